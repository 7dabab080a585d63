"""What the dashboard shows for a unit and a period, as plain JSON-able data: the indicators
against their targets with a 12-period trend, the table by field, the units ranked by their
on-time rate with their overdue dossiers. Computed inline for a month, on the ``reports``
queue for longer periods (tasks.py), cached until the data changes (cache.py)."""

from dossiers.models import Unit

from . import cache
from .measures import Targets, measure_all
from .periods import Period
from .tables import CODES, TOTALS, Table, monthly_table

TREND_PERIODS = 12


# Past this many counters in the sub-tree, even a month's twelve-period trend is worth a task.
HEAVY_UNITS = 30


def is_heavy(unit, period: Period) -> bool:
    """Longer than a month, or a large sub-tree: computed on the reports queue."""
    if period.days > 31:
        return True
    counters = Unit.objects.filter(path__startswith=unit.path, has_counter=True).count()
    return counters > HEAVY_UNITS


def scope_key(scope) -> str:
    return "area" if scope is None else "own"


def table_data(table: Table) -> dict:
    def row(r):
        return {"key": r.key, "label": r.label, "cells": r.cells}

    return {
        "group_by": table.group_by,
        "rows": [row(r) for r in table.rows],
        "total": row(table.total),
    }


def _ranking(units_table: Table) -> list[dict]:
    ranked = []
    for r in units_table.rows:
        finished = r["finished"]
        rate = round(100.0 * (r["early"] + r["on_time"]) / finished, 1) if finished else None
        ranked.append(
            {
                "key": r.key,
                "label": r.label,
                "received": r["received"],
                "finished": finished,
                "on_time_rate": rate,
                "overdue": r["overdue"],
                "late": r["late"],
            }
        )
    # Units with something finished first, best rate first; then by name.
    ranked.sort(key=lambda x: (x["on_time_rate"] is None, -(x["on_time_rate"] or 0), x["label"]))
    for i, item in enumerate(ranked, 1):
        item["rank"] = i if item["on_time_rate"] is not None else None
    return ranked


def compute(unit, period: Period, *, scope=None, progress=None) -> dict:
    """Every number of the dashboard. ``progress(percent)`` is called as the trend's periods
    are computed (the task stores it for the page)."""
    targets = Targets()
    fields = monthly_table(unit, period, group_by="field", scope=scope)
    units = monthly_table(unit, period, group_by="unit", scope=scope)
    measures = measure_all(unit, period, scope=scope, table=fields, targets=targets)
    trend_periods = period.trend(TREND_PERIODS)
    trend = {m.code: [] for m in measures}
    for i, p in enumerate(trend_periods):
        if p == period:
            values = measures
        else:
            values = measure_all(unit, p, scope=scope, targets=targets)
        for m in values:
            trend[m.code].append(m.value)
        if progress:
            progress(int(100 * (i + 1) / len(trend_periods)))
    return {
        "unit": {"pk": unit.pk, "code": unit.code, "name": unit.name},
        "period": {
            "kind": period.kind,
            "token": period.token,
            "label": period.label,
            "first": period.first.isoformat(),
            "last": period.last.isoformat(),
            "complete": period.complete,
        },
        "indicators": [m.as_dict() for m in measures],
        "trend": {"labels": [p.label for p in trend_periods], "values": trend},
        "fields": table_data(fields),
        "units": table_data(units),
        "ranking": _ranking(units),
        "columns": CODES,
        "totals": list(TOTALS),
    }


def cached(unit, period: Period, *, scope=None):
    """(cache key, data or None)."""
    key = cache.key(unit, period, scope_key(scope))
    return key, cache.get(key)


def get_or_compute(unit, period: Period, *, scope=None) -> dict:
    key, data = cached(unit, period, scope=scope)
    if data is None:
        data = compute(unit, period, scope=scope)
        cache.put(key, data)
    return data
