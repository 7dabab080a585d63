"""What the receiving unit does about its dossiers' public look-up: lift the lock that wrong
second factors set (dossiers/public_guard.py) when the applicant comes to the counter."""

from django.db import transaction

from .. import public_guard
from ..models import AuditEvent, Dossier
from ..queries import staff_unit, user_roles
from ..roles import Role
from .audit import record
from .errors import WorkflowError

UNLOCKERS = {Role.CLERK.value, Role.LEADER.value}


def may_unlock(user, dossier) -> bool:
    """Whether ``user`` is a clerk or leader of ``dossier``'s receiving unit."""
    unit = staff_unit(user)
    return bool(
        unit is not None
        and unit.pk in (dossier.counter_unit_id, dossier.return_counter_id)
        and UNLOCKERS & user_roles(user)
    )


def unlock_public_lookup(dossier_id, *, actor, request=None):
    """A clerk or leader of the dossier's receiving unit lifts its public look-up lock and
    forgets the wrong tries; audited with the state it found. One transaction; the cache is
    cleared after it commits."""
    with transaction.atomic():
        dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
        unit = staff_unit(actor)
        if (
            unit is None
            or unit.pk not in (dossier.counter_unit_id, dossier.return_counter_id)
            or not (UNLOCKERS & user_roles(actor))
        ):
            raise WorkflowError(
                "Chỉ cán bộ Bộ phận Một cửa hoặc lãnh đạo đơn vị tiếp nhận hồ sơ mới mở khóa "
                "được tra cứu trực tuyến.",
                status=403,
            )
        state = public_guard.lock_state(dossier.code)
        record(
            AuditEvent.Kind.SECURITY,
            "public.lookup_unlocked",
            actor=actor,
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data={
                "failures": {"old": state.failures, "new": 0},
                "locked": {"old": state.locked, "new": False},
            },
        )
        transaction.on_commit(lambda: public_guard.unlock(dossier.code))
    return dossier
