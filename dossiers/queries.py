"""Reads shared by pages, the API and reports, scoped to the user's unit.

Every list of dossiers a staff member sees starts from :func:`scoped_dossiers`; every list of
units from :func:`scoped_units`. A user with no unit sees nothing.
"""

from django.db.models import Count, Prefetch, Q

from .models import Dossier, Procedure, ProcedureComponent, Unit
from .roles import Role
from .text import fold

# Roles that see every dossier of their area (the district office's whole district).
AREA_WIDE_ROLES = frozenset({Role.DISTRICT_OFFICE, Role.ADMIN})


def staff_unit(user):
    """The unit of a staff account, or None (anonymous, or an account without a unit)."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff", None)
    return profile.unit if profile is not None else None


def _group_names(user):
    # Cached on the user object: one query per request, however often scoping is asked.
    if not hasattr(user, "_portal_roles"):
        user._portal_roles = frozenset(user.groups.values_list("name", flat=True))
    return user._portal_roles


def sees_whole_area(user) -> bool:
    return bool(_group_names(user) & AREA_WIDE_ROLES)


def scoped_units(user):
    """Units whose dossiers the user may see: the area's sub-tree for the district office,
    else the user's own unit."""
    unit = staff_unit(user)
    if unit is None:
        return Unit.objects.none()
    if sees_whole_area(user):
        area = unit.area() or unit
        return area.subtree()
    return Unit.objects.filter(pk=unit.pk)


def scoped_dossiers(user):
    """Dossiers the user's unit received or handles (the district office: its whole area)."""
    unit = staff_unit(user)
    if unit is None:
        return Dossier.objects.none()
    if sees_whole_area(user):
        units = scoped_units(user)
        return Dossier.objects.filter(receiving_unit__in=units)
    return Dossier.objects.filter(Q(receiving_unit=unit) | Q(current_unit=unit))


def dossier_counts_by_state(user) -> dict[str, int]:
    """State -> number of the user's scoped dossiers, in one aggregate query."""
    rows = scoped_dossiers(user).order_by().values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def procedure_catalogue(*, text="", field=None, level=None, online_level=None, unit=None):
    """Active procedures with their field, level and components, filtered; diacritics in the
    query are ignored (``fold``) so "bac yen" finds "Bắc Yên"."""
    qs = (
        Procedure.objects.filter(is_active=True)
        .select_related("field", "level")
        .prefetch_related(
            Prefetch(
                "components", queryset=ProcedureComponent.objects.select_related("reusable_type")
            ),
            "steps",
        )
    )
    if text:
        for word in fold(text).split():
            qs = qs.filter(search_name__contains=word)
    if field is not None:
        qs = qs.filter(field=field)
    if level is not None:
        qs = qs.filter(level=level)
    if online_level:
        qs = qs.filter(online_level=online_level)
    if unit is not None:
        qs = qs.filter(handling_units=unit)
    return qs
