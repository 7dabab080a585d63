"""Reads shared by pages, the API and reports, scoped to the user's unit.

Every list of dossiers a staff member sees starts from :func:`scoped_dossiers`; every list of
units from :func:`scoped_units`. A user with no unit sees nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, F, Max, Prefetch, Q
from django.utils import timezone

from core.filters import on_days

from . import legal
from .calendar import add_working_time
from .models import (
    Applicant,
    AuditEvent,
    Dossier,
    DossierEvent,
    Procedure,
    ProcedureComponent,
    Rating,
    Unit,
)

# The public site's reads live in public_lookup.py (the status page's hot path).
from .public_lookup import (  # noqa: F401
    CODE_SHAPE,
    applicant_by_id_number,
    citizen_dossiers,
    owned_public_status,
    public_lookup,
    public_status,
    supplement_reason,
)
from .roles import Role
from .text import fold
from .workflow import RUNNING_STATES, STOPPABLE_STATES, State

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


def clerk_unit(user):
    """The unit of a counter clerk (role clerk), or None for anyone else."""
    unit = staff_unit(user)
    return unit if unit is not None and Role.CLERK.value in user_roles(user) else None


def sees_whole_area(user) -> bool:
    return bool(_group_names(user) & AREA_WIDE_ROLES)


def units_in_force(day):
    """The tree as of ``day``: the units in force on that date, in tree order. One filter on
    the unit table, so a page, the API or a report adds no query per row by asking."""
    return Unit.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    ).order_by("path")


def lineage(unit) -> list[int]:
    """The ids of ``unit`` and of every unit it took over (Unit.took_over, kept with the
    successions): a successor's staff see what its predecessors received and handled, with
    no query more and a literal list PostgreSQL can use its indexes for."""
    return [unit.pk, *unit.took_over]


def scoped_units(user):
    """Units whose dossiers the user may see: the area's sub-tree for the district office,
    else the user's own unit and the units it succeeded."""
    unit = staff_unit(user)
    if unit is None:
        return Unit.objects.none()
    if sees_whole_area(user):
        area = unit.area() or unit
        return area.subtree()
    return Unit.objects.filter(pk__in=lineage(unit))


def scoped_dossiers(user):
    """Dossiers the user's unit received, handles or was handed at some step (the district
    office: every dossier received in its area)."""
    unit = staff_unit(user)
    if unit is None:
        return Dossier.objects.none()
    if sees_whole_area(user):
        units = scoped_units(user)
        return Dossier.objects.filter(receiving_unit__in=units)
    received, held, handed = _scope_terms(unit)
    return Dossier.objects.filter(received | held | handed)


def _scope_terms(unit):
    """The three ways a dossier is in a unit's scope: it (or a unit it succeeded) received
    it, holds it, was handed it."""
    units = lineage(unit)
    handed = DossierEvent.objects.filter(to_unit__in=units).values("dossier_id")
    return Q(receiving_unit__in=units), Q(current_unit__in=units), Q(pk__in=handed)


def scope_parts(user):
    """The user's scope as disjoint querysets that each use one index: what the unit
    received; what it holds now without having received it; what it was handed earlier.
    Aggregates over the parts are exact and avoid the OR that defeats PostgreSQL's indexes
    on a million dossiers (docs/benchmarks.md)."""
    unit = staff_unit(user)
    if unit is None:
        return []
    if sees_whole_area(user):
        return [Dossier.objects.filter(receiving_unit__in=scoped_units(user))]
    received, held, handed = _scope_terms(unit)
    return [
        Dossier.objects.filter(received),
        Dossier.objects.filter(held).exclude(received),
        Dossier.objects.filter(handed).exclude(received).exclude(held),
    ]


def counts_by_state(parts, condition=None) -> dict[str, int]:
    """State -> number of dossiers in ``parts`` matching ``condition``; one aggregate each."""
    counts: dict[str, int] = {}
    for part in parts:
        if condition is not None:
            part = part.filter(condition)
        for state, n in part.order_by().values_list("state").annotate(n=Count("*")):
            counts[state] = counts.get(state, 0) + n
    return counts


def home_counts(user) -> tuple[dict[str, int], int]:
    """The home tiles: state -> number of the user's scoped dossiers, and how many of them
    the list's "Quá hạn" filter shows (dossier_filter), in the same aggregate per part."""
    counts, overdue = {}, 0
    late = dossier_filter(overdue=True)
    for part in scope_parts(user):
        rows = (
            part.order_by()
            .values_list("state")
            .annotate(n=Count("*"), late=Count("pk", filter=late))
        )
        for state, n, n_late in rows:
            counts[state] = counts.get(state, 0) + n
            overdue += n_late
    return counts, overdue


def received_at_level(level) -> Q:
    """Procedures of ``level``: filed under it, or received at both the commune and the
    province when it is one of those two (Procedure.levels)."""
    q = Q(level=level)
    if level.code in (Procedure.Levels.COMMUNE, Procedure.Levels.PROVINCE):
        q |= Q(levels=Procedure.Levels.BOTH) | Q(levels=level.code)
    return q


def procedure_catalogue(
    *, text="", field=None, level=None, online_level=None, unit=None, verified=None
):
    """Active procedures with their field, level and components, filtered; diacritics in the
    query are ignored (``fold``) so "bac yen" finds "Bắc Yên"; ``verified`` True/False keeps
    the procedures checked against a source, or those still "chưa xác minh"."""
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
        qs = qs.filter(received_at_level(level))
    if online_level:
        qs = qs.filter(online_level=online_level)
    if unit is not None:
        qs = qs.filter(handling_units=unit)
    if verified is not None:
        qs = qs.filter(verified=verified)
    return qs


def dossier_filter(
    *,
    state="",
    procedure=None,
    field=None,
    overdue=False,
    due_soon=False,
    received_from=None,
    received_to=None,
    text="",
):
    """The list's filters as one condition, applied alike to the rows and to the counts."""
    now = timezone.now()
    q = Q()
    if state:
        q &= Q(state=state)
    if procedure is not None:
        q &= Q(procedure=procedure)
    if field is not None:
        q &= Q(procedure__field=field)
    if overdue:
        q &= Q(state__in=RUNNING_STATES, due_at__lt=now)
    if due_soon:
        q &= Q(state__in=RUNNING_STATES, due_at__gte=now, due_at__lte=add_working_time(now, 2))
    q &= on_days("received_at", received_from, received_to)
    if text.strip():
        q &= _text_condition(text.strip())
    return q


# Past this many matching applicants the search keeps a subquery instead of a list of ids.
TEXT_ID_LIMIT = 500


def _text_condition(text):
    """Code, applicant (name or ID number) or procedure name. Matching applicants and
    procedures are looked up first (trigram indexes on PostgreSQL), so the dossier condition
    is an OR of indexable terms rather than of joins."""
    applicants = Applicant.objects.filter(
        Q(search_name__contains=fold(text)) | Q(id_number=text)
    ).values("id")
    applicant_ids = list(applicants.values_list("id", flat=True)[: TEXT_ID_LIMIT + 1])
    if len(applicant_ids) > TEXT_ID_LIMIT:
        applicant_ids = applicants
    procedure_ids = list(
        Procedure.objects.filter(search_name__contains=fold(text)).values_list("id", flat=True)
    )
    return (
        Q(code__icontains=text)
        | Q(applicant_id__in=applicant_ids)
        | Q(procedure_id__in=procedure_ids)
    )


LIST_RELATED = ("procedure", "procedure__field", "applicant", "receiving_unit", "current_unit")


class MergedRows:
    """The rows of disjoint, filtered parts in one order, sliced lazily.

    A slice [a:b] reads the first b (order key, id) pairs of each part along its index, merges
    them, and loads only the rows of the slice with what a list row shows: one query per part
    plus one, whatever the page number or the page length.
    """

    def __init__(self, parts, ordering):
        self.parts, self.ordering = parts, ordering
        self.field, self.desc = ordering.lstrip("-"), ordering.startswith("-")

    def _order(self):
        key = (
            F(self.field).desc(nulls_last=True) if self.desc else F(self.field).asc(nulls_last=True)
        )
        return (key, "-id" if self.desc else "id")

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        pairs = []
        for part in self.parts:
            pairs += part.order_by(*self._order()).values_list(self.field, "id")[:stop]
        present = [p for p in pairs if p[0] is not None]
        present.sort(reverse=self.desc)
        # Rows without the key come last, by id in the same direction, as the database has them.
        absent = sorted((p for p in pairs if p[0] is None), key=lambda p: p[1], reverse=self.desc)
        ids = [pk for _, pk in (present + absent)[start:stop]]
        rows = Dossier.objects.filter(pk__in=ids).select_related(*LIST_RELATED).in_bulk()
        return [rows[pk] for pk in ids]


@dataclass
class Listing:
    """Rows of a dossier list (sliced by the paginator) and its exact counts by state."""

    rows: object
    counts: dict

    @property
    def total(self):
        return sum(self.counts.values())


def dossier_list(user, *, ordering="-received_at", **filters) -> Listing:
    """The user's scoped dossiers, filtered and sorted, as a Listing. Counts and rows come
    from the scope's parts, each along its own index; a page costs a fixed number of queries
    whatever its length or number (docs/benchmarks.md: a million dossiers)."""
    condition = dossier_filter(**filters)
    parts, counts = [], {}
    for part in scope_parts(user):
        part = part.filter(condition)
        part_counts = counts_by_state([part])
        if part_counts:
            parts.append(part)
        for state, n in part_counts.items():
            counts[state] = counts.get(state, 0) + n
    return Listing(rows=MergedRows(parts, ordering), counts=counts)


def dossier_detail(user, code):
    """One scoped dossier with its components, history and printed forms; DoesNotExist when
    the user's unit never received, handled or was handed it."""
    return (
        scoped_dossiers(user)
        .select_related(
            "procedure",
            "procedure__field",
            "applicant",
            "receiving_unit",
            "current_unit",
            "competent_unit",
            "successor_counter",
            "return_unit",
            "received_by",
            "assigned_to",
            "current_step",
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
    )


def _at_unit(user, condition, ordering="due_at") -> Listing:
    """Dossiers now at the user's unit matching ``condition``, soonest due first unless
    ``ordering`` says otherwise."""
    unit = staff_unit(user)
    if unit is None:
        return Listing(rows=MergedRows([], ordering), counts={})
    part = Dossier.objects.filter(condition, current_unit=unit)
    return Listing(rows=MergedRows([part], ordering), counts=counts_by_state([part]))


def inbox(user, ordering="due_at") -> Listing:
    """Dossiers now at the user's unit, handed over by another unit, waiting for action."""
    unit = staff_unit(user)
    waiting = Q(state__in=(State.IN_PROGRESS, State.SUPPLEMENT_REQUESTED))
    return _at_unit(user, waiting & ~Q(receiving_unit=unit), ordering)


def approval_queue(user, ordering="due_at") -> Listing:
    """Results waiting for the signature of a leader of the user's unit."""
    return _at_unit(user, Q(state=State.PENDING_APPROVAL), ordering)


def online_procedures(text=""):
    """Active procedures a citizen may submit online (fully or partly), by field and name;
    the text search ignores diacritics like the catalogue's."""
    qs = (
        Procedure.objects.filter(is_active=True)
        .exclude(online_level=Procedure.OnlineLevel.NONE)
        .select_related("field")
        .order_by("field__name", "name")
    )
    for word in fold(text or "").split()[:8]:
        qs = qs.filter(search_name__contains=word)
    return qs


def province_wide(day) -> bool:
    """Whether on ``day`` every counter of the province receives every procedure of its
    catalogue (Nghị định 118/2025, in force 1/7/2025: the rule and its scope are data in
    legal_bases.json); before it, a counter received what its area handled."""
    rule = legal.rule("nd-118-2025", "province_wide_reception", day)
    return rule is not None and rule["scope"] == "all"


def competent_units(procedure, day):
    """The units in force on ``day`` that resolve ``procedure`` (its handling units)."""
    return units_in_force(day).filter(pk__in=procedure.handling_units.values("pk"))


def receiving_units(procedure) -> list:
    """The counters, in force today, that receive ``procedure`` — every one when it is
    boundary-free, else those that handle it or whose area holds a unit that does (the rule
    services.reception.check_unit_receives enforces). Two queries, whatever the tree's size."""
    today = timezone.localdate()
    units = {u.pk: u for u in units_in_force(today).select_related("level")}
    counters = [u for u in units.values() if u.has_counter]
    if procedure.boundary_free:
        return counters
    handling = list(procedure.handling_units.values_list("pk", "path"))
    if province_wide(today):
        provinces = {path[: path.index("/", 1) + 1] for _, path in handling}
        return [u for u in counters if u.province_path in provinces]

    def area_path(unit):
        while unit is not None and not unit.level.is_area:
            unit = units.get(unit.parent_id)
        return unit.path if unit is not None else None

    receiving = []
    for counter in counters:
        area = area_path(counter)
        if any(pk == counter.pk or (area and path.startswith(area)) for pk, path in handling):
            receiving.append(counter)
    return receiving


def flagged_ratings(user):
    """Negative ratings with a comment on dossiers the leader's unit received (newest first)."""
    unit = staff_unit(user)
    if unit is None or Role.LEADER.value not in user_roles(user):
        return Rating.objects.none()
    return Rating.objects.filter(flagged=True, dossier__receiving_unit=unit).select_related(
        "dossier"
    )[:20]


def pending_stop_requests(user):
    """Dossiers whose applicant asked to stop the handling and whose counter — the user's unit,
    for a clerk or leader there — has not yet acted (oldest request first)."""
    unit = staff_unit(user)
    if unit is None or not {Role.CLERK.value, Role.LEADER.value} & user_roles(user):
        return Dossier.objects.none()
    counter = Q(successor_counter=unit) | Q(successor_counter__isnull=True, receiving_unit=unit)
    return (
        Dossier.objects.filter(counter, stop_requested_at__isnull=False)
        .filter(state__in=STOPPABLE_STATES)
        .select_related("procedure")
        .order_by("stop_requested_at", "id")[:50]
    )


def public_factor_failures(dossier, hours=24):
    """Wrong second factors typed for ``dossier`` on the public site in the last ``hours``:
    {count, addresses, last} from the audit trail (the dossier page shows them to its unit)."""
    return AuditEvent.objects.filter(
        action="public.factor_failed",
        object_type="dossiers.dossier",
        object_id=str(dossier.pk),
        at__gte=timezone.now() - timedelta(hours=hours),
    ).aggregate(count=Count("id"), addresses=Count("ip_address", distinct=True), last=Max("at"))
