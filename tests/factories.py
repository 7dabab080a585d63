"""factory_boy factories for the suite's own data (no hand-kept JSON fixtures)."""

from datetime import time

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from dossiers.models import Applicant, Field, Procedure, StaffProfile, Unit, UnitLevel

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

    code = factory.Sequence(lambda n: f"T{n:03d}")
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
