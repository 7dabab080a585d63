"""The working-day calendar (dossiers.calendar): the cost of computing a due moment.

1. ``WorkingCalendar.add_working_time`` with a calendar built once, against the naive count
   that steps day by day skipping only Saturdays and Sundays (no holidays, no hours).
2. ``WorkingCalendar.load()`` + one ``add_working_time``, what a caller pays when it does not
   reuse a calendar, against ``add_working_time`` on a calendar loaded once. The override table
   holds a dozen rows meanwhile, inside a transaction that is rolled back.
"""

import random
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from dossiers.calendar import WorkingCalendar
from dossiers.models import CalendarOverride

NEEDS_DB = True

SEED = 20260101
PAIRS = 20_000
LOAD_PAIRS = 2_000
REPEATS = 5


def sample(count: int, seed: int = SEED) -> list[tuple[datetime, int]]:
    """(start, days): aware local moments spread over 2024–2027, days in 1..30."""
    rng = random.Random(seed)
    zone = ZoneInfo(settings.TIME_ZONE)
    first = datetime(2024, 1, 1, tzinfo=zone)
    span = int((datetime(2028, 1, 1, tzinfo=zone) - first).total_seconds())
    return [
        (first + timedelta(seconds=rng.randrange(span)), rng.randint(1, 30)) for _ in range(count)
    ]


def best_of(func, pairs, repeats: int = REPEATS) -> float:
    best = float("inf")
    for _ in range(repeats):
        began = time.perf_counter()
        func(pairs)
        best = min(best, time.perf_counter() - began)
    return best


def naive_due(start: datetime, days: int) -> date:
    """The reference: count weekdays only, ignoring holidays and working hours."""
    d, n = start.date(), days
    while n:
        d += timedelta(1)
        if d.weekday() < 5:
            n -= 1
    return d


def run_naive(pairs):
    for start, days in pairs:
        naive_due(start, days)


def run_reused(calendar):
    def run(pairs):
        for start, days in pairs:
            calendar.add_working_time(start, days)

    return run


def run_loading(pairs):
    for start, days in pairs:
        WorkingCalendar.load().add_working_time(start, days)


def later_than_naive(calendar, pairs) -> float:
    """Share of due dates that fall later than the naive weekday count (holidays, hours)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    later = sum(
        calendar.add_working_time(start, days).astimezone(zone).date() > naive_due(start, days)
        for start, days in pairs
    )
    return later / len(pairs)


def make_up_overrides() -> list[CalendarOverride]:
    """A dozen plausible rows: make-up working Saturdays and extra days off, 2024–2027."""
    rows = []
    for year in range(2024, 2028):
        saturday = date(year, 1, 6) + timedelta(days=(5 - date(year, 1, 6).weekday()) % 7)
        rows.append(CalendarOverride(date=saturday, kind=CalendarOverride.Kind.WORKING_DAY))
        rows.append(CalendarOverride(date=date(year, 5, 2), kind=CalendarOverride.Kind.DAY_OFF))
        rows.append(CalendarOverride(date=date(year, 9, 3), kind=CalendarOverride.Kind.DAY_OFF))
    for row in rows:
        row.reason = "bench"
    return rows


def run() -> list[dict]:
    pairs = sample(PAIRS)
    calendar = WorkingCalendar(overrides={}, periods=settings.WORKING_HOURS)
    reused = run_reused(calendar)
    reused(pairs)  # warm the per-year holiday cache
    results = [
        {
            "name": "add_working_time, calendar reused",
            "subject_s": best_of(reused, pairs),
            "reference_s": best_of(run_naive, pairs),
            "reference": "naive weekday count (skips Sat/Sun only, no holidays, no hours)",
            "unit": "call",
            "n": len(pairs),
            "notes": (
                f"starts 2024–2027, 1–30 days, seed {SEED}; "
                f"{later_than_naive(calendar, pairs):.0%} of due dates later than the naive "
                "count (off-hours starts, holidays)"
            ),
        }
    ]

    load_pairs = pairs[:LOAD_PAIRS]
    with transaction.atomic():
        CalendarOverride.objects.bulk_create(make_up_overrides())
        loaded = WorkingCalendar.load()
        run_loading(load_pairs[:10])  # open the connection, warm the caches
        results.append(
            {
                "name": "WorkingCalendar.load() + add_working_time",
                "subject_s": best_of(run_loading, load_pairs),
                "reference_s": best_of(run_reused(loaded), load_pairs),
                "reference": "add_working_time on a calendar loaded once",
                "unit": "call",
                "n": len(load_pairs),
                "notes": f"{len(loaded.overrides)} override rows; one query per call",
            }
        )
        transaction.set_rollback(True)
    return results
