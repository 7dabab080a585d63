"""Today's figures of a unit's counters, for the live strip of the dashboard and the map of
counters (issue #23, items 4 and 5): one payload, computed by five aggregate queries grouped
by unit (and two more: the counters in force, the overdue dossiers the units hold), cached
in the shared cache under the reports' data version (cache.py) and the minute, so that an
open dashboard costs one cache read a check until a dossier is received or returned, a
rating, a ticket or a PAKN is saved (receivers.py bumps the version, again on commit).

The pages follow it through server-sent events (live_stream.py), which bench/bench_live.py
measured cheaper than polling, where a gevent worker serves them (``LIVE_STREAM``); else they
poll the fragments of views_live.py every 3 s.
"""

import hashlib
import time as time_module
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from counter.models import Ticket
from dossiers.models import Dossier, Rating
from dossiers.queries import dossier_filter, units_in_force
from feedback.models import Feedback, Sentiment

from . import cache, periods, score766
from .dashboard import scope_key
from .database import report_db
from .tables import report_units

SATISFACTION_GROUP = "hai_long"  # reporting/data/score766.json

# Every figure of a unit's row, zero when nothing happened.
COUNTS = (
    "received",
    "returned",
    "overdue",
    "ratings",
    "satisfied",
    "commented",
    "negative",
    "pakn_received",
    "pakn_open",
    "pakn_overdue",
    "tickets",
)


def _day_bounds(day):
    zone = timezone.get_current_timezone()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)


def _grouped(queryset, unit_field, **aggregates):
    """{unit id: {name: value}} of one aggregate query grouped by ``unit_field``."""
    rows = queryset.values(unit_field).annotate(**aggregates).order_by()
    return {row.pop(unit_field): row for row in rows}


def unit_rows(units, now) -> dict[int, dict]:
    """The figures of each unit of ``units`` (a queryset): dossiers received and returned
    today and overdue now (at the counter that received them), ratings and their comments'
    sentiment this month, PAKN received today and open now (at the unit answering them),
    queue tickets called today and their mean wait. Five queries, whatever the number."""
    db = report_db()
    day = timezone.localdate(now)
    start, end = _day_bounds(day)
    month_start, _ = _day_bounds(day.replace(day=1))
    ids = units.values("pk")
    dossiers = _grouped(
        Dossier.objects.using(db).filter(receiving_unit__in=ids),
        "receiving_unit",
        received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        returned=Count("pk", filter=Q(returned_at__gte=start, returned_at__lt=end)),
        overdue=Count("pk", filter=dossier_filter(overdue=True)),
    )
    ratings = _grouped(
        Rating.objects.using(db).filter(
            dossier__receiving_unit__in=ids, at__gte=month_start, at__lt=end
        ),
        "dossier__receiving_unit",
        ratings=Count("pk"),
        satisfied=Count("pk", filter=Q(score__gte=3)),
        commented=Count("sentiment"),
        negative=Count("sentiment", filter=Q(sentiment__label=Sentiment.NEGATIVE)),
    )
    open_pakn = Q(state=Feedback.State.RECEIVED)
    pakn = _grouped(
        Feedback.objects.using(db).filter(unit__in=ids),
        "unit",
        pakn_received=Count("pk", filter=Q(received_at__gte=start, received_at__lt=end)),
        pakn_open=Count("pk", filter=open_pakn),
        pakn_overdue=Count("pk", filter=open_pakn & Q(due_at__lt=now)),
    )
    tickets = _grouped(
        Ticket.objects.using(db).filter(
            area__unit__in=ids, day=day, called_at__isnull=False, issued_at__gte=start
        ),
        "area__unit",
        tickets=Count("pk"),
        wait=Avg(F("called_at") - F("issued_at")),
    )
    result = {}
    for source in (dossiers, ratings, pakn, tickets):
        for pk, values in source.items():
            result.setdefault(pk, {}).update(values)
    for values in result.values():
        wait = values.pop("wait", None)
        values["wait_minutes"] = round(wait.total_seconds() / 60, 1) if wait else None
    return result


def _rates(figures: dict) -> dict:
    """The shares read from the counts (None without a denominator)."""
    figures["satisfaction"] = (
        round(100 * figures["satisfied"] / figures["ratings"], 1) if figures["ratings"] else None
    )
    figures["negative_share"] = (
        round(100 * figures["negative"] / figures["commented"], 1) if figures["commented"] else None
    )
    return figures


def _totals(rows: list[dict]) -> dict:
    totals = {name: sum(r[name] for r in rows) for name in COUNTS}
    waited = [(r["wait_minutes"], r["tickets"]) for r in rows if r["wait_minutes"] is not None]
    called = sum(n for _, n in waited)
    totals["wait_minutes"] = round(sum(w * n for w, n in waited) / called, 1) if called else None
    return _rates(totals)


def score_figures(unit, now, scope=None) -> dict:
    """The unit's QĐ 766 score of the running month for the live strip: its total and its
    satisfaction group (mức độ hài lòng: ratings and PAKN), from the score's own cache."""
    day = timezone.localdate(now)
    found = score766.score(unit, periods.month(day.year, day.month), scope=scope)
    satisfaction = next(g for g in found.groups if g.code == SATISFACTION_GROUP)
    return {
        "total": found.total,
        "max": found.max,
        "satisfaction": satisfaction.points,
        "satisfaction_max": satisfaction.max_points,
    }


def compute(unit, scope=None, now=None) -> dict:
    """The live payload of ``unit``'s sub-tree (within ``scope``): the totals over every unit
    of it, and one row per counter in force today (the map's markers)."""
    now = now or timezone.now()
    units = report_units(unit, scope)
    figures = unit_rows(units, now)
    counters = units_in_force(timezone.localdate(now)).filter(
        pk__in=units.values("pk"), has_counter=True
    )
    empty = dict.fromkeys(COUNTS, 0) | {"wait_minutes": None}
    rows = [
        _rates(
            {
                "pk": u.pk,
                "code": u.code,
                "name": u.counter_label,
                "short_name": u.short_name or u.name,
                "statistical_code": u.statistical_code,
                **empty,
                **figures.get(u.pk, {}),
            }
        )
        for u in counters
    ]
    every = [{**empty, **values} for values in figures.values()]
    totals = _totals(every)
    # An agency receives nothing itself: its overdue dossiers are those it holds too.
    totals["overdue"] = (
        Dossier.objects.using(report_db())
        .filter(Q(receiving_unit__in=units.values("pk")) | Q(current_unit__in=units.values("pk")))
        .filter(dossier_filter(overdue=True))
        .count()
    )
    return {
        "as_of": timezone.localtime(now).isoformat(timespec="seconds"),
        "unit": {"pk": unit.pk, "code": unit.code, "name": unit.name},
        "totals": totals,
        "counters": rows,
        "score": score_figures(unit, now, scope),
    }


def _digest(key) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:12] if key else ""


def _computed_once(key, unit, scope) -> dict:
    """Computed and cached by one process at a time: every open dashboard sees the key change
    within the same second, and would otherwise all compute it (the bench saw it)."""
    if key is not None and not cache.claim(f"{key}:computing"):
        for _ in range(20):
            time_module.sleep(0.1)
            data = cache.get(key)
            if data is not None:
                return data
    data = compute(unit, scope)
    cache.put(key, data)
    return data


def fragment(unit, scope=None, *, seen="") -> dict | None:
    """What a live fragment draws: the cached payload (computed on a miss, or without a
    cache) and the digest of its key, which the fragment sends back as ``seen`` on its next
    poll; None when ``seen`` is still the current digest (nothing to draw again)."""
    key = cache.live_key(unit, scope_key(scope))
    digest = _digest(key)
    if digest and seen == digest:
        return None
    data = cache.get(key) or _computed_once(key, unit, scope)
    return {
        "live": data,
        "as_of": parse_datetime(data["as_of"]),
        "digest": digest,
        "unit_code": unit.code,
        "live_stream": settings.LIVE_STREAM,
    }
