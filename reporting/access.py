"""Who may read reports, and of which units (design.md, Security model).

The district office (and the admin) read every unit of their area; a unit's leader reads
their own unit. The units a reader may see come from ``dossiers.queries.scoped_units``, the
same scope as the dossier lists, so a drill-down never shows a dossier its reader could not
open.
"""

from dossiers import queries
from dossiers.models import Unit
from dossiers.roles import Role

from .errors import ReportError

READER_ROLES = frozenset({Role.DISTRICT_OFFICE, Role.ADMIN, Role.LEADER})


def check_reader(user):
    if not queries.user_roles(user) & {r.value for r in READER_ROLES}:
        raise ReportError(
            "Chỉ Văn phòng HĐND-UBND và lãnh đạo đơn vị được xem báo cáo.", status=403
        )
    if queries.staff_unit(user) is None:
        raise ReportError("Tài khoản chưa được gán đơn vị nên không có báo cáo.", status=403)


def scope(user):
    """Units the reader may report on; None when it is a whole area (no extra filter: the
    unit's sub-tree already lies in it)."""
    return None if queries.sees_whole_area(user) else queries.scoped_units(user)


def default_unit(user) -> Unit:
    unit = queries.staff_unit(user)
    if queries.sees_whole_area(user):
        return unit.area() or unit
    return unit


def reportable_units(user):
    """The units offered in the unit picker: the area and its counters, or the own unit
    (none for an account without a unit)."""
    if queries.staff_unit(user) is None:
        return []
    units = queries.scoped_units(user).select_related("level")
    if queries.sees_whole_area(user):
        area = default_unit(user)
        return [u for u in units if u.pk == area.pk or u.has_counter or u.level.is_area]
    return list(units)


def resolve_unit(user, code) -> Unit:
    """The unit named ``code`` if the reader may see it (else a clear refusal); the
    reader's default unit when ``code`` is empty."""
    check_reader(user)
    if not code:
        return default_unit(user)
    unit = Unit.objects.select_related("level", "parent").filter(code=code.strip()).first()
    if unit is None:
        raise ReportError(f"Không có đơn vị mã «{code}».", status=404, field="unit")
    if not queries.scoped_units(user).filter(pk=unit.pk).exists():
        raise ReportError(
            f"{unit.name} nằm ngoài phạm vi báo cáo của tài khoản này.", status=403, field="unit"
        )
    return unit
