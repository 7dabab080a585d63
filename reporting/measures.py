"""How each indicator of ``indicators.INDICATORS`` is measured for a unit's sub-tree over a
period, and compared with its target (``Target`` rows, Plan 141).

Each measure is one aggregate query (the on-time and online rates read the monthly table's
totals and cost nothing more). An indicator whose data the portal does not hold yet is
reported as not measurable ("chưa đo được"), never as zero.
"""

from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Avg, Count, F, Q

from counter.models import Ticket
from dossiers.models import DossierEvent, Rating, StaffProfile
from dossiers.roles import Role
from feedback.models import Sentiment

from . import digitization_measures
from .database import report_db
from .indicators import INDICATORS
from .models import Target
from .periods import Period
from .tables import Table, monthly_table, report_units

NOT_MEASURABLE = "chưa đo được"


@dataclass
class Measure:
    code: str
    name: str
    unit: str
    value: float | None = None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    met: bool | None = None
    measurable: bool = True
    note: str = ""

    @property
    def display(self) -> str:
        if not self.measurable:
            return NOT_MEASURABLE
        if self.value is None:
            return "—"
        return _fmt(self.value, self.unit)

    @property
    def target_display(self) -> str:
        if self.target is None:
            return "chưa có chỉ tiêu"
        sign = "≥" if INDICATORS[self.code].higher_is_better else "≤"
        return f"{sign} {_fmt(self.target, self.unit)}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data.update(display=self.display, target_display=self.target_display)
        return data


def _fmt(value, unit):
    if unit == "%":
        return f"{value:.1f}%".replace(".", ",")
    if unit == "phút":
        return f"{value:.1f} phút".replace(".", ",")
    return f"{value:,.0f} {unit}".replace(",", ".")


def _rate(numerator, denominator):
    return round(100.0 * numerator / denominator, 2) if denominator else None


def _ratio(code, numerator, denominator, note=""):
    info = INDICATORS[code]
    return Measure(
        code, info.name, info.unit, _rate(numerator, denominator), numerator, denominator, note=note
    )


def on_time(ctx):
    t = ctx.table.total
    return _ratio("on_time", t["early"] + t["on_time"], t["finished"])


def online(ctx):
    t = ctx.table.total
    return _ratio("online", t["new_online"], t["new"])


def electronic_transfer(ctx):
    events = DossierEvent.objects.using(report_db()).filter(
        action__in=("assign", "transfer"),
        electronic__isnull=False,
        from_unit__in=ctx.units.values("pk"),
        at__gte=ctx.period.start,
        at__lt=ctx.period.until,
    )
    counts = events.aggregate(all=Count("pk"), electronic=Count("pk", filter=Q(electronic=True)))
    return _ratio("electronic_transfer", counts["electronic"], counts["all"])


def satisfaction(ctx):
    ratings = Rating.objects.using(report_db()).filter(
        dossier__receiving_unit__in=ctx.units.values("pk"),
        at__gte=ctx.period.start,
        at__lt=ctx.period.until,
    )
    counts = ratings.aggregate(
        all=Count("pk"),
        good=Count("pk", filter=Q(score__gte=3)),
        # Comments the sentiment model read (feedback/sentiment/), and those it read negative.
        commented=Count("sentiment"),
        negative=Count("sentiment", filter=Q(sentiment__label=Sentiment.NEGATIVE)),
    )
    return _ratio("satisfaction", counts["good"], counts["all"], note=negative_share_note(counts))


def negative_share_note(counts) -> str:
    """The share of negative comments beside the satisfaction figure ("" without comments)."""
    if not counts["commented"]:
        return ""
    share = round(100 * counts["negative"] / counts["commented"], 1)
    return (
        f"góp ý tiêu cực {counts['negative']}/{counts['commented']} "
        f"({str(share).replace('.', ',')}%)"
    )


def waiting_time(ctx):
    tickets = Ticket.objects.using(report_db()).filter(
        area__unit__in=ctx.units.values("pk"),
        issued_at__gte=ctx.period.start,
        issued_at__lt=ctx.period.until,
        called_at__isnull=False,
    )
    result = tickets.aggregate(n=Count("pk"), wait=Avg(F("called_at") - F("issued_at")))
    info = INDICATORS["waiting_time"]
    wait = result["wait"]
    if wait is not None and not hasattr(wait, "total_seconds"):  # SQLite: microseconds
        wait = timedelta(microseconds=wait)
    minutes = round(wait.total_seconds() / 60, 1) if wait is not None else None
    return Measure("waiting_time", info.name, info.unit, minutes, denominator=result["n"])


def productivity(ctx):
    """Dossiers received per counter staff member, pro-rated to a year."""
    staff = (
        StaffProfile.objects.using(report_db())
        .filter(
            unit__in=ctx.units.values("pk"),
            user__is_active=True,
            user__groups__name=Role.CLERK.value,
        )
        .values("unit__is_remote")
        .annotate(n=Count("user", distinct=True))
    )
    by_remote = {row["unit__is_remote"]: row["n"] for row in staff}
    people = sum(by_remote.values())
    received = ctx.table.total["new"]
    info = INDICATORS["productivity"]
    value = round(received / people * 365 / ctx.period.days, 1) if people else None
    measure = Measure(
        "productivity",
        info.name,
        info.unit,
        value,
        received,
        people,
        note=f"{received} hồ sơ, {people} cán bộ Một cửa, quy ra năm",
    )
    # Mixed sub-trees: each member of staff counts with the target of their unit.
    parts = [(n, ctx.target_for("productivity", remote)) for remote, n in by_remote.items()]
    if people and all(t is not None for _, t in parts):
        measure.target = round(sum(n * t for n, t in parts) / people, 1)
    return measure


MEASURES = {
    "on_time": on_time,
    "online": online,
    "result_digitization": digitization_measures.result_digitization,
    "dossier_digitization": digitization_measures.dossier_digitization,
    "reuse": digitization_measures.reuse,
    "electronic_transfer": electronic_transfer,
    "satisfaction": satisfaction,
    "waiting_time": waiting_time,
    "productivity": productivity,
}


class Targets:
    """The targets table, read once: the row in force for an indicator, a level, a year and
    a unit's remoteness — the most specific row of the latest year not after ``year``."""

    def __init__(self):
        self.rows = list(Target.objects.using(report_db()).all())

    def value(self, code, level_code, year, remote):
        candidates = [
            t
            for t in self.rows
            if t.indicator == code
            and t.year <= year
            and t.level_code in ("", level_code)
            and t.for_remote_units in (None, remote)
        ]
        if not candidates:
            return None
        best = max(
            candidates,
            key=lambda t: (t.year, t.level_code != "", t.for_remote_units is not None),
        )
        return float(best.value) if isinstance(best.value, Decimal) else best.value


class Context:
    def __init__(self, unit, period: Period, table: Table, units, targets: Targets):
        self.unit, self.period, self.table, self.units = unit, period, table, units
        self.targets = targets

    def target_for(self, code, remote=None):
        remote = self.unit.is_remote if remote is None else remote
        return self.targets.value(code, self.unit.level.code, self.period.last.year, remote)


def measure_all(unit, period: Period, *, scope=None, table=None, targets=None) -> list[Measure]:
    """Every indicator of ``unit``'s sub-tree (within ``scope``) for ``period``, with its
    target in force and whether it is met."""
    table = table or monthly_table(unit, period, scope=scope)
    ctx = Context(unit, period, table, report_units(unit, scope, period), targets or Targets())
    results = []
    for code, measure_fn in MEASURES.items():
        measure = measure_fn(ctx)
        if measure.measurable and measure.target is None:
            measure.target = ctx.target_for(code)
        if measure.value is not None and measure.target is not None:
            better = INDICATORS[code].higher_is_better
            measure.met = (
                measure.value >= measure.target if better else measure.value <= measure.target
            )
        results.append(measure)
    return results
