"""The monthly report table of Thông tư 01/2020/TT-VPCP, for any period, in one SQL aggregate.

A dossier belongs to the table of the unit that received it (and of every unit above). For a
period [S, E) — E is now while the period runs — each dossier received before E and not
closed before S falls in exactly one cell on each side:

    carried over (received before S)  + new (online; direct or by post)
  = finished in the period (early, on time, late)
  + withdrawn or declined in the period (shown apart)
  + still in progress at E (within the deadline, overdue)

"Closed" is the moment a dossier stopped being in progress: ``finished_at`` for a result or a
decline, the ``withdraw`` event for a withdrawal (joined once, through a partial index).
Early / on time / late compare local dates of the finish and the due moment
(dossiers.calendar.classify_finish); an extension with apology stays late. A dossier
waiting for the applicant's supplement at E is not overdue.

Every column is a condition (:func:`conditions`): the aggregate counts them with
``COUNT(*) FILTER (WHERE …)``, the drill-down filters the dossiers with the same condition,
and a snapshot collects their ids with ``ARRAY_AGG(id) FILTER (WHERE …)`` — one definition.
"""

from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Case, Count, F, FilteredRelation, Q, Value, When
from django.db.models.functions import Coalesce, TruncDate

from dossiers.models import Dossier, Field, Procedure, Unit
from dossiers.workflow import FINISHED_STATES, State

from .database import report_db
from .periods import Period


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    group: str


COLUMNS = [
    Column("carried", "Kỳ trước chuyển qua", "Số hồ sơ nhận giải quyết"),
    Column("new_online", "Mới tiếp nhận trực tuyến", "Số hồ sơ nhận giải quyết"),
    Column("new_direct", "Mới tiếp nhận trực tiếp, bưu chính", "Số hồ sơ nhận giải quyết"),
    Column("early", "Trước hạn", "Số hồ sơ đã giải quyết"),
    Column("on_time", "Đúng hạn", "Số hồ sơ đã giải quyết"),
    Column("late", "Quá hạn", "Số hồ sơ đã giải quyết"),
    Column("within", "Trong hạn", "Số hồ sơ đang giải quyết"),
    Column("overdue", "Quá hạn", "Số hồ sơ đang giải quyết"),
    Column("withdrawn", "Rút hồ sơ, trả lại", "Rút, trả lại"),
]
CODES = [c.code for c in COLUMNS]
COLUMN_BY_CODE = {c.code: c for c in COLUMNS}
# Totals shown beside the columns: sums of columns, so they can never disagree with them.
TOTALS = {
    "received": ("carried", "new_online", "new_direct"),
    "new": ("new_online", "new_direct"),
    "finished": ("early", "on_time", "late"),
    "in_progress": ("within", "overdue"),
}
TOTAL_LABELS = {
    "received": "Tổng số nhận giải quyết",
    "new": "Mới tiếp nhận",
    "finished": "Tổng số đã giải quyết",
    "in_progress": "Tổng số đang giải quyết",
}
CELL_LABELS = {**{c.code: f"{c.group}: {c.label}" for c in COLUMNS}, **TOTAL_LABELS}

GROUPS = {
    "field": "procedure__field_id",
    "unit": "receiving_unit_id",
    "procedure": "procedure_id",
}
GROUP_LABELS = {"field": "Lĩnh vực", "unit": "Đơn vị", "procedure": "Thủ tục"}

FINISHED = tuple(FINISHED_STATES)
DROPPED = (State.WITHDRAWN, State.DECLINED, State.REFUSED)
# States whose closing moment is an event rather than a column of the dossier.
EVENT_CLOSED = {State.WITHDRAWN: "withdraw", State.REFUSED: "refuse"}
CLOSING_ACTIONS = tuple(EVENT_CLOSED.values())


def closed_at():
    """When the dossier stopped being in progress; NULL while it still is. A withdrawal's or
    refusal's moment is its event's, joined once (``closing`` below): the state is terminal,
    so a dossier has at most one such event."""
    return Case(
        When(state__in=(*FINISHED, State.DECLINED), then=Coalesce("finished_at", "updated_at")),
        When(state__in=tuple(EVENT_CLOSED), then=Coalesce("closing__at", "updated_at")),
        default=Value(None),
    )


def annotated(queryset):
    """The annotations the conditions read (inlined by the database, not columns)."""
    return queryset.annotate(
        closing=FilteredRelation("events", condition=Q(events__action__in=CLOSING_ACTIONS)),
        closed=closed_at(),
        finished_day=TruncDate("finished_at"),
        due_day=TruncDate("due_at"),
    )


def conditions(period: Period) -> dict[str, Q]:
    """Column -> condition on an :func:`annotated` queryset of dossiers."""
    start, end = period.start, period.until
    in_period = Q(closed__gte=start, closed__lt=end)
    open_at_end = Q(received_at__lt=end) & (Q(closed__isnull=True) | Q(closed__gte=end))
    waiting = Q(clock_stopped_at__isnull=False, clock_stopped_at__lt=end)
    overdue = Q(due_at__lt=end) & ~waiting
    finished = Q(state__in=FINISHED) & in_period
    late = Q(was_extended=True) | Q(finished_day__gt=F("due_day"))
    early = Q(was_extended=False, finished_day__lt=F("due_day"))
    new = Q(received_at__gte=start, received_at__lt=end)
    return {
        "carried": Q(received_at__lt=start) & (Q(closed__isnull=True) | Q(closed__gte=start)),
        "new_online": new & Q(channel="online"),
        "new_direct": new & ~Q(channel="online"),
        "early": finished & early,
        "on_time": finished & ~late & ~early,
        "late": finished & late,
        "within": open_at_end & ~overdue,
        "overdue": open_at_end & overdue,
        "withdrawn": Q(state__in=DROPPED) & in_period,
    }


def cell_condition(period: Period, code: str) -> Q:
    """The condition of one column or total (a total is the OR of its disjoint columns)."""
    conds = conditions(period)
    if code in conds:
        return conds[code]
    if code not in TOTALS:
        raise KeyError(code)
    q = Q()
    for part in TOTALS[code]:
        q |= conds[part]
    return q


def base(units, period: Period, *, db=None):
    """Dossiers received by ``units`` that may appear in the period's table: received before
    its end and not closed before its start."""
    db = db or report_db()
    unit_ids = units.using(db).values("id") if hasattr(units, "using") else units
    qs = annotated(Dossier.objects.using(db).filter(receiving_unit__in=unit_ids))
    return qs.filter(received_at__lt=period.until).filter(
        Q(received_at__gte=period.start) | Q(closed__isnull=True) | Q(closed__gte=period.start)
    )


@dataclass
class Row:
    key: int | None
    label: str
    counts: dict = field(default_factory=dict)

    def __getitem__(self, code):
        if code in TOTALS:
            return sum(self.counts.get(c, 0) for c in TOTALS[code])
        if code not in COLUMN_BY_CODE:  # templates look names up as keys first
            raise KeyError(code)
        return self.counts.get(code, 0)

    @property
    def cells(self):
        return {code: self[code] for code in [*CODES, *TOTALS]}


@dataclass
class Table:
    unit: Unit
    period: Period
    group_by: str
    rows: list[Row]

    @property
    def total(self) -> Row:
        counts = {code: sum(r.counts.get(code, 0) for r in self.rows) for code in CODES}
        return Row(None, "Tổng cộng", counts)

    def unbalanced(self) -> list[Row]:
        """Rows whose received side differs from their outcome side (none, by construction)."""
        return [
            r
            for r in [*self.rows, self.total]
            if r["received"] != r["finished"] + r["in_progress"] + r["withdrawn"]
        ]


def report_units(unit: Unit, scope=None):
    """The units whose receptions make up ``unit``'s table: its sub-tree, within ``scope``
    (the units a user may see) when given."""
    units = Unit.objects.filter(path__startswith=unit.path)
    if scope is not None:
        units = units.filter(pk__in=scope.values("pk"))
    return units


def monthly_table(unit: Unit, period: Period, *, group_by="field", scope=None, where=None):
    """The table of ``unit`` (its sub-tree, within ``scope``) for ``period``, one row per
    group (every field or every counter unit, zeros included; procedures that appear) —
    one aggregate query, plus the names of the rows."""
    if group_by not in GROUPS:
        raise ValueError(f"Không có cách nhóm «{group_by}».")
    units = report_units(unit, scope)
    qs = base(units, period)
    if where is not None:
        qs = qs.filter(where)
    conds = conditions(period)
    aggregates = {code: Count("pk", filter=conds[code]) for code in CODES}
    key = GROUPS[group_by]
    found = {row.pop("key"): row for row in qs.order_by().values(key=F(key)).annotate(**aggregates)}
    rows = [
        Row(pk, label, found.get(pk, dict.fromkeys(CODES, 0)))
        for pk, label in _row_labels(group_by, units, found)
    ]
    return Table(unit, period, group_by, rows)


def _row_labels(group_by, units, found):
    db = report_db()
    if group_by == "field":
        # Every field, so a month without dossiers is a complete table of zeros.
        return [(f.pk, f.name) for f in Field.objects.using(db).order_by("name")]
    if group_by == "unit":
        wanted = units.using(db).filter(Q(has_counter=True) | Q(pk__in=list(found)))
        return [(u.pk, u.name) for u in wanted.order_by("path")]
    procedures = Procedure.objects.using(db).filter(pk__in=list(found)).order_by("national_code")
    return [(p.pk, f"{p.national_code} · {p.name}") for p in procedures]


def cell_ids(unit: Unit, period: Period, *, group_by="field", scope=None) -> dict:
    """{row key: {column: [dossier ids]}} for every non-empty cell — the dossiers behind the
    numbers, frozen in a snapshot. One ``ARRAY_AGG … FILTER`` query on PostgreSQL."""
    qs = base(report_units(unit, scope), period)
    conds = conditions(period)
    key = GROUPS[group_by]
    result: dict = {}
    if qs.db and _vendor(qs.db) == "postgresql":
        aggregates = {
            code: ArrayAgg("pk", filter=conds[code], default=Value([]), order_by="pk")
            for code in CODES
        }
        for row in qs.order_by().values(key=F(key)).annotate(**aggregates):
            cells = {code: row[code] for code in CODES if row[code]}
            if cells:
                result[str(row["key"])] = cells
        return result
    for code in CODES:  # SQLite (embedded mode): one query per column
        for group, pk in qs.filter(conds[code]).order_by("pk").values_list(key, "pk"):
            result.setdefault(str(group), {}).setdefault(code, []).append(pk)
    return result


def _vendor(alias):
    from django.db import connections

    return connections[alias].vendor
