"""factory_boy factories for the suite's own data (no hand-kept JSON fixtures)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from dossiers.models import (
    Applicant,
    Channel,
    Dossier,
    Field,
    Procedure,
    StaffProfile,
    Unit,
    UnitLevel,
)
from dossiers.workflow import CLOSED_STATES, State

PASSWORD = "Mat-khau-thu-123"


class UnitLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitLevel
        django_get_or_create = ("code",)

    code = "commune"
    name = "Xã, thị trấn"
    rank = 3
    is_area = True


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"T01.{n:03d}")  # an electronic identification code
    name = factory.Sequence(lambda n: f"UBND xã Thử Nghiệm {n}")
    level = factory.SubFactory(UnitLevelFactory)
    kind = "commune"
    has_counter = True


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = "HT"
    name = "Hộ tịch"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    national_code = factory.Sequence(lambda n: f"1.{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục đăng ký khai sinh thử {n}")
    field = factory.SubFactory(FieldFactory)
    level = factory.SubFactory(UnitLevelFactory)
    time_kind = Procedure.TimeKind.WORKING_DAYS
    working_days = 3
    retention_years = 10

    class Params:
        same_day = factory.Trait(
            time_kind=Procedure.TimeKind.SAME_DAY, working_days=None, same_day_cutoff=time(15, 0)
        )


class ApplicantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Applicant

    id_number = factory.Sequence(lambda n: f"014090{n:06d}")
    name = "Lò Văn Sinh"
    phone = "0912345678"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"canbo{n}")
    first_name = "Lan"
    last_name = "Cầm Thị"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
        self.save()


def staff(unit, role="clerk", **kwargs):
    """A staff account in ``unit`` with ``role``."""
    user = UserFactory(role=role, **kwargs)
    StaffProfile.objects.create(user=user, unit=unit)
    return user


RECEIVED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _after(days):
    return factory.LazyAttribute(lambda d: d.received_at + timedelta(days=days))


class DossierFactory(factory.django.DjangoModelFactory):
    """A dossier row as the services leave it in a state, written directly and without its
    history: for tests of what reads dossiers (scoping, lists, printed forms). A trait per
    state of ``dossiers.workflow.State`` sets the state and the moments it implies, e.g.
    ``DossierFactory(returned=True, receiving_unit=unit)``; a keyword given beside a trait wins.
    Tests of a change of state walk the services instead (``workflow_fixtures.receive``)."""

    class Meta:
        model = Dossier

    procedure = factory.SubFactory(ProcedureFactory)
    applicant = factory.SubFactory(ApplicantFactory)
    receiving_unit = factory.SubFactory(UnitFactory)
    current_unit = factory.SelfAttribute("receiving_unit")
    state = State.RECEIVED
    channel = Channel.DIRECT
    received_at = RECEIVED_AT
    submitted_at = None
    # Shaped like the codes the counter allots (unit, day, sequence): the public site's
    # look-ups refuse any other shape.
    code = factory.LazyAttributeSequence(
        lambda d, n: f"{d.receiving_unit.code}-{d.received_at or d.submitted_at:%y%m%d}-{n + 1:04d}"
    )
    # As the closing action writes it: the result's or decline's moment, else now (a
    # withdrawal, refusal or stop taken as the row is written); NULL while unclosed.
    closed_at = factory.LazyAttribute(
        lambda d: (d.finished_at or timezone.now()) if d.state in CLOSED_STATES else None
    )

    class Params:
        submitted = factory.Trait(
            state=State.SUBMITTED,
            channel=Channel.ONLINE,
            received_at=None,
            submitted_at=RECEIVED_AT,
        )
        received = factory.Trait(state=State.RECEIVED)
        in_progress = factory.Trait(state=State.IN_PROGRESS)
        supplement_requested = factory.Trait(
            state=State.SUPPLEMENT_REQUESTED, clock_stopped_at=_after(1)
        )
        pending_approval = factory.Trait(state=State.PENDING_APPROVAL)
        result_ready = factory.Trait(state=State.RESULT_READY, finished_at=_after(2))
        returned = factory.Trait(state=State.RETURNED, finished_at=_after(2), returned_at=_after(3))
        archived = factory.Trait(state=State.ARCHIVED, finished_at=_after(2), returned_at=_after(3))
        refused = factory.Trait(state=State.REFUSED)
        withdrawn = factory.Trait(state=State.WITHDRAWN)
        stopped = factory.Trait(state=State.STOPPED)
        declined = factory.Trait(state=State.DECLINED, finished_at=_after(2))
