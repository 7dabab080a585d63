"""The monthly report table of Thông tư 01/2020/TT-VPCP, for any period, in one SQL aggregate.

A dossier belongs to the table of the unit that received it (and of every unit above). For a
period [S, E) — E is now while the period runs — each dossier received before E and not
closed before S falls in exactly one cell on each side:

    carried over (received before S)  + new (online; direct or by post)
  = finished in the period (early, on time, late)
  + withdrawn or declined in the period (shown apart)
  + stopped at the applicant's request in the period (Nghị định 118/2025, its own column)
  + still in progress at E (within the deadline, overdue)

"Closed" is the moment a dossier stopped being in progress: ``Dossier.closed_at``, written by
the action that closed it (its result, decline, withdrawal, refusal or stop); an index on
(receiving unit, closed_at) bounds "not closed before the period" however long the history.
Early / on time / late compare local dates of the finish and the due moment
(dossiers.calendar.classify_finish); an extension with apology stays late. A dossier
waiting for the applicant's supplement at E is not overdue.

Every column is a condition (:func:`conditions`): the aggregate counts them with
``COUNT(*) FILTER (WHERE …)``, the drill-down filters the dossiers with the same condition,
and a snapshot collects their ids with ``ARRAY_AGG(id) FILTER (WHERE …)`` — one definition.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from types import SimpleNamespace

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connections, models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, TruncDate

from dossiers.models import (
    ONLINE_CHANNELS,
    Dossier,
    DossierEvent,
    Field,
    Procedure,
    Succession,
    Unit,
)
from dossiers.queries import units_in_force
from dossiers.workflow import DROPPED_STATES, FINISHED_STATES, UNCLOSED_STATES, State

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
    Column("withdrawn", "Rút hồ sơ, trả lại", "Rút, dừng, trả lại"),
    Column("stopped", "Dừng giải quyết theo đề nghị", "Rút, dừng, trả lại"),
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


def group_key(group_by, period):
    """The row a dossier counts in. By unit, on the map in force at the period's end: a
    dossier received by a unit that has since been succeeded counts for its successor."""
    if group_by != "unit":
        return F(GROUPS[group_by])
    successor = Succession.objects.filter(
        predecessor=OuterRef("receiving_unit"), date__lte=period.last
    ).order_by("pk")
    return Coalesce(
        Subquery(successor.values("successor_id")[:1]),
        F("receiving_unit_id"),
        output_field=models.BigIntegerField(),
    )


GROUP_LABELS = {"field": "Lĩnh vực", "unit": "Đơn vị", "procedure": "Thủ tục"}

FINISHED = tuple(FINISHED_STATES)
DROPPED = tuple(sorted(DROPPED_STATES))
# Counted in the "withdrawn" column; a stop at the applicant's request has its own column.
WITHDRAWN_STATES = (State.DECLINED, State.WITHDRAWN, State.REFUSED)

UNCLOSED = tuple(sorted(UNCLOSED_STATES))


def annotated(queryset):
    """The local days the conditions compare (early / on time / late)."""
    return queryset.annotate(
        finished_day=TruncDate("finished_at"),
        due_day=TruncDate("due_at"),
    )


def open_at(moment) -> Q:
    """Not closed before ``moment``."""
    return Q(closed_at__isnull=True) | Q(closed_at__gte=moment)


def conditions(period: Period) -> dict[str, Q]:
    """Column -> condition on an :func:`annotated` queryset of dossiers."""
    start, end = period.start, period.until
    closed_in = Q(closed_at__gte=start, closed_at__lt=end)
    finished = Q(state__in=FINISHED) & closed_in
    not_waiting = Q(clock_stopped_at__isnull=True) | Q(clock_stopped_at__gte=end)
    overdue = Q(due_at__lt=end) & not_waiting
    within = Q(due_at__isnull=True) | Q(due_at__gte=end) | Q(clock_stopped_at__lt=end)
    open_at_end = Q(received_at__lt=end) & open_at(end)
    new = Q(received_at__gte=start, received_at__lt=end)
    no_dates = Q(due_at__isnull=True) | Q(finished_at__isnull=True)
    return {
        "carried": Q(received_at__lt=start) & open_at(start),
        "new_online": new & Q(channel__in=ONLINE_CHANNELS),
        "new_direct": new & ~Q(channel__in=ONLINE_CHANNELS),
        "early": finished & Q(was_extended=False, finished_day__lt=F("due_day")),
        "on_time": finished & Q(was_extended=False) & (Q(finished_day=F("due_day")) | no_dates),
        "late": finished & (Q(was_extended=True) | Q(finished_day__gt=F("due_day"))),
        "within": open_at_end & within,
        "overdue": open_at_end & overdue,
        "withdrawn": Q(state__in=WITHDRAWN_STATES) & closed_in,
        "stopped": Q(state=State.STOPPED) & closed_in,
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


def base(units, period: Period, *, db=None, held=False):
    """Dossiers received by ``units`` that may appear in the period's table: received before
    its end and not closed before its start. ``held``: also those the units hold or were
    handed at some step — a unit's own report (a reader with a scope, access.scope), which
    reads what its dossier lists show (dossiers.queries.scoped_dossiers); an agency that
    receives nothing itself read zeros before (issue 21)."""
    db = db or report_db()
    unit_ids = units.using(db).values("id") if hasattr(units, "using") else units
    where = Q(receiving_unit__in=unit_ids)
    if held:
        handed = DossierEvent.objects.using(db).filter(to_unit__in=unit_ids)
        where |= Q(current_unit__in=unit_ids) | Q(pk__in=handed.values("dossier_id"))
    qs = annotated(Dossier.objects.using(db).filter(where))
    return qs.filter(received_at__lt=period.until).filter(
        Q(received_at__gte=period.start) | open_at(period.start)
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
            if r["received"] != r["finished"] + r["in_progress"] + r["withdrawn"] + r["stopped"]
        ]


def report_units(unit: Unit, scope=None, period=None):
    """The units whose receptions make up ``unit``'s table: its sub-tree, and for a period
    ending after a reorganisation the units succeeded by one in it (what they left open is
    the successor's "carried over"), within ``scope`` (the units a user may see) when given."""
    inside = Q(path__startswith=unit.path)
    if period is not None:
        # An uncorrelated subquery, not a join: PostgreSQL hashes it once whatever its
        # statistics say (an OR across a join to the successions was planned row by row).
        succeeded = Succession.objects.filter(
            successor__path__startswith=unit.path, date__lte=period.last
        )
        inside |= Q(pk__in=succeeded.values("predecessor_id"))
    units = Unit.objects.filter(inside)
    if scope is not None:
        units = units.filter(pk__in=scope.values("pk"))
    return units


def monthly_table(unit: Unit, period: Period, *, group_by="field", scope=None, where=None):
    """The table of ``unit`` (its sub-tree, within ``scope``) for ``period``, one row per
    group (every field or every counter unit, zeros included; procedures that appear) —
    one aggregate query, plus the names of the rows."""
    if group_by not in GROUPS:
        raise ValueError(f"Không có cách nhóm «{group_by}».")
    units = report_units(unit, scope, period)
    if scope is None and where is None and _vendor(report_db()) == "postgresql":
        found = _run_compiled(group_by, unit, period)
    else:
        found = {
            row.pop("key"): row
            for row in _aggregate(units, period, group_by, where, held=scope is not None)
        }
    rows = [
        Row(pk, label, found.get(pk, dict.fromkeys(CODES, 0)))
        for pk, label in _row_labels(group_by, unit, period, scope, found)
    ]
    return Table(unit, period, group_by, rows)


def _aggregate(units, period, group_by, where=None, held=False):
    """The table's one query: a row per group, a ``COUNT(*) FILTER`` per column."""
    qs = base(units, period, held=held)
    if where is not None:
        qs = qs.filter(where)
    conds = conditions(period)
    aggregates = {code: Count("pk", filter=conds[code]) for code in CODES}
    return qs.order_by().values(key=group_key(group_by, period)).annotate(**aggregates)


# The same query compiled once per grouping with stand-in values, then run with the real
# ones: building and compiling this ORM expression costs more than PostgreSQL takes to plan
# and run it for one unit (bench/bench_reporting.py).
_STAND_INS = SimpleNamespace(
    start=datetime(1901, 1, 1, tzinfo=UTC),
    until=datetime(1901, 1, 2, tzinfo=UTC),
    last=date(1901, 1, 3),
    path="/0/",
)
_COMPILED: dict = {}


def _run_compiled(group_by, unit, period):
    db = report_db()
    key = (db, group_by)
    if key not in _COMPILED:
        stand_in_units = report_units(Unit(path=_STAND_INS.path), period=_STAND_INS)
        query = _aggregate(stand_in_units, _STAND_INS, group_by)
        _COMPILED[key] = query.query.get_compiler(db).as_sql()
    sql, params = _COMPILED[key]
    real = {
        _STAND_INS.start: period.start,
        _STAND_INS.until: period.until,
        _STAND_INS.last: period.last,
        f"{_STAND_INS.path}%": f"{unit.path}%",
    }
    params = [real.get(p, p) if isinstance(p, (date, str)) else p for p in params]
    if not set(real.values()) <= set(params):  # a stand-in the backend rewrote: never guess
        units = report_units(unit, period=period)
        return {row.pop("key"): row for row in _aggregate(units, period, group_by)}
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}


def _row_labels(group_by, unit, period, scope, found):
    db = report_db()
    if group_by == "field":
        # Every field, so a month without dossiers is a complete table of zeros.
        return [(f.pk, f.name) for f in Field.objects.using(db).order_by("name")]
    if group_by == "unit":
        # The counters of the map in force at the period's end, and any unit with dossiers.
        units = report_units(unit, scope).using(db)
        in_force = units_in_force(period.last).using(db).values("pk")
        wanted = units.filter(Q(has_counter=True, pk__in=in_force) | Q(pk__in=list(found)))
        return [(u.pk, u.name) for u in wanted.order_by("path")]
    procedures = Procedure.objects.using(db).filter(pk__in=list(found)).order_by("national_code")
    return [(p.pk, f"{p.national_code} · {p.name}") for p in procedures]


def cell_ids(unit: Unit, period: Period, *, group_by="field", scope=None) -> dict:
    """{row key: {column: [dossier ids]}} for every non-empty cell — the dossiers behind the
    numbers, frozen in a snapshot. One ``ARRAY_AGG … FILTER`` query on PostgreSQL."""
    qs = base(report_units(unit, scope, period), period, held=scope is not None).annotate(
        row_key=group_key(group_by, period)
    )
    conds = conditions(period)
    key = "row_key"
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

    return connections[alias].vendor
