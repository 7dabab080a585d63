"""Computing a score: one aggregate query per measurable sub-indicator (its rows and numerator
from rows.py), points from the rules of the data file, cached by unit, scope and period."""

from django.db.models import Count

from .. import cache
from ..periods import Period, check_not_future
from ..tables import report_units
from . import rules
from .result import EMPTY, MEASURED, UNMEASURABLE, Score, ScoreGroup, ScoreItem
from .rows import ROWS

TREND_PERIODS = 12


class Context:
    """What a sub-indicator's rows read: the units of ``unit``'s report (its sub-tree within
    the reader's scope), the period, and whether a scope applies (the monthly table then also
    counts what the units hold, tables.base ``held``)."""

    def __init__(self, unit, period: Period, scope=None):
        self.unit, self.period = unit, period
        self.units = report_units(unit, scope, period)
        self.held = scope is not None


def figure(ctx, code) -> tuple[int, int] | str:
    """(numerator, denominator) of a sub-indicator, or why it cannot be measured yet."""
    rule = rules.item_rule(code)
    if "unmeasurable" in rule:
        return rule["unmeasurable"]
    rows_of, why_not, counted = ROWS[code]
    reason = why_not() if why_not else ""
    if reason:
        return reason
    rows, good = rows_of(ctx)
    distinct = counted != "pk"
    counts = rows.order_by().aggregate(
        all=Count(counted, distinct=distinct),
        good=Count(counted, distinct=distinct, filter=good),
    )
    return counts["good"], counts["all"]


def _item(ctx, rule, factor) -> ScoreItem:
    item = ScoreItem(
        code=rule["code"],
        name=rule["name"],
        group=rule["group"],
        max_points=round(rule["max_points"] * factor, 2),
        target=rules.target(rule, ctx.period.last.year),
        formula=rule["formula"].format(**rule),  # numbers of the rule (minutes) in its text
        verified=rule["verified"],
    )
    found = figure(ctx, rule["code"])
    if isinstance(found, str):
        item.status, item.reason = UNMEASURABLE, found
        return item
    item.numerator, item.denominator = found
    if not item.denominator:
        item.status, item.reason = EMPTY, "Không có hồ sơ hay PAKN nào để tính trong kỳ."
        return item
    item.status = MEASURED
    item.rate = round(100 * item.numerator / item.denominator, 2)
    item.points = rules.points(item.max_points, item.rate, item.target)
    return item


def compute(unit, period: Period, *, scope=None) -> Score:
    """The score of ``unit`` (its sub-tree within ``scope``) for ``period``, uncached."""
    check_not_future(period)
    level = rules.level_of(unit)
    ctx = Context(unit, period, scope)
    factor = rules.scale(level)
    wanted = {i["code"] for i in rules.applicable(level)}
    result = Score(
        unit_code=unit.code,
        unit_name=unit.name,
        level=level,
        period_token=period.token,
        period_label=period.label,
        complete=period.complete,
        left_out=[i["name"] for i in rules.data()["items"] if i["code"] not in wanted],
    )
    for group in rules.data()["groups"]:
        items = [
            _item(ctx, rule, factor)
            for rule in rules.data()["items"]
            if rule["group"] == group["code"] and rule["code"] in wanted
        ]
        result.groups.append(ScoreGroup(group["code"], group["name"], items))
    return result


def _scope_key(scope) -> str:
    return "score766:area" if scope is None else "score766:own"


def score(unit, period: Period, *, scope=None) -> Score:
    """The score of ``unit`` for ``period`` (reporting.periods.Period), from the shared cache
    when the data has not changed since (reporting/cache.py); a period that has not begun is
    refused with a PeriodError. ``scope``: the units the reader may see (access.scope)."""
    check_not_future(period)
    key = cache.key(unit, period, _scope_key(scope))
    found = cache.get(key)
    if found is None:
        found = compute(unit, period, scope=scope)
        cache.put(key, found)
    return found


def trend(unit, period: Period, *, scope=None, count=TREND_PERIODS) -> list[Score]:
    """The score of this period and the ``count - 1`` before it, oldest first."""
    return [score(unit, p, scope=scope) for p in period.trend(count)]
