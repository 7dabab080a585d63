"""Reads shared by pages, the API and reports, scoped to the user's unit.

Every list of dossiers a staff member sees starts from :func:`scoped_dossiers`; every list of
units from :func:`scoped_units`. A user with no unit sees nothing.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .calendar import add_working_time
from .models import Dossier, DossierEvent, Procedure, ProcedureComponent, Unit
from .roles import Role
from .text import fold
from .workflow import State

# Roles that see every dossier of their area (the district office's whole district).
AREA_WIDE_ROLES = frozenset({Role.DISTRICT_OFFICE, Role.ADMIN})


def staff_unit(user):
    """The unit of a staff account, or None (anonymous, or an account without a unit)."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "staff", None)
    return profile.unit if profile is not None else None


def user_roles(user) -> set[str]:
    """The role names (groups) of a user; empty for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(_group_names(user))


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
    """Dossiers the user's unit received, handles or was handed at some step (the district
    office: every dossier received in its area)."""
    unit = staff_unit(user)
    if unit is None:
        return Dossier.objects.none()
    if sees_whole_area(user):
        units = scoped_units(user)
        return Dossier.objects.filter(receiving_unit__in=units)
    handed_to_unit = DossierEvent.objects.filter(dossier=OuterRef("pk"), to_unit=unit)
    return Dossier.objects.filter(
        Q(receiving_unit=unit) | Q(current_unit=unit) | Q(Exists(handed_to_unit))
    )


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


# States whose clock is running (a supplement request stops it).
RUNNING_STATES = (
    State.RECEIVED,
    State.IN_PROGRESS,
    State.PENDING_APPROVAL,
)


def dossier_list(
    user,
    *,
    state="",
    procedure=None,
    field=None,
    overdue=False,
    due_soon=False,
    received_from=None,
    received_to=None,
    text="",
    ordering="-received_at",
):
    """The user's scoped dossiers with what a list shows, filtered and sorted; a fixed number
    of queries whatever the page length (everything the row shows is joined here)."""
    qs = scoped_dossiers(user).select_related(
        "procedure", "procedure__field", "applicant", "receiving_unit", "current_unit"
    )
    now = timezone.now()
    if state:
        qs = qs.filter(state=state)
    if procedure is not None:
        qs = qs.filter(procedure=procedure)
    if field is not None:
        qs = qs.filter(procedure__field=field)
    if overdue:
        qs = qs.filter(state__in=RUNNING_STATES, due_at__lt=now)
    if due_soon:
        qs = qs.filter(
            state__in=RUNNING_STATES, due_at__gte=now, due_at__lte=add_working_time(now, 2)
        )
    if received_from:
        qs = qs.filter(received_at__date__gte=received_from)
    if received_to:
        qs = qs.filter(received_at__date__lte=received_to)
    if text:
        text = text.strip()
        qs = qs.filter(
            Q(code__icontains=text)
            | Q(applicant__name__icontains=text)
            | Q(applicant__id_number=text)
            | Q(procedure__search_name__contains=fold(text))
        )
    return qs.order_by(ordering, "-id")


def dossier_detail(user, code):
    """One scoped dossier with its components, history and printed forms; DoesNotExist when
    the user's unit never received, handled or was handed it."""
    return (
        scoped_dossiers(user)
        .select_related(
            "procedure", "procedure__field", "applicant", "receiving_unit", "current_unit",
            "received_by", "assigned_to", "current_step",
        )
        .prefetch_related(
            "components",
            Prefetch(
                "events",
                queryset=DossierEvent.objects.select_related(
                    "actor", "actor_unit", "from_unit", "to_unit", "step"
                ).order_by("at", "id"),
            ),
            "printed_forms",
        )
        .get(code=code)
    )  # fmt: skip


def inbox(user):
    """Dossiers now at the user's unit, handed over by another unit, waiting for action."""
    unit = staff_unit(user)
    if unit is None:
        return Dossier.objects.none()
    return (
        dossier_list(user)
        .filter(current_unit=unit, state__in=(State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED))
        .exclude(receiving_unit=unit)
    )


def approval_queue(user):
    """Results waiting for the signature of a leader of the user's unit."""
    unit = staff_unit(user)
    if unit is None:
        return Dossier.objects.none()
    return dossier_list(user).filter(current_unit=unit, state=State.PENDING_APPROVAL)
