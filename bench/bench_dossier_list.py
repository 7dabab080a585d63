"""The clerk's list page (``/ho-so/``) over 1,000,000 dossiers on PostgreSQL.

The same pages are timed at 1,000 dossiers first (the reference), then the table is grown to
1,000,000 dossiers over 5 years and 23 counters by bench/volume.py, and
the pages are timed again. Each row: p95 of 30 requests through Django's test client (the
whole middleware stack and template), and the SQL query count, which must be the same at
both sizes. Target: p95 ≤ 100 ms at 1M. The rows are removed afterwards.
"""

import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bench import volume
from bench.sql import Statements
from dossiers.demo import load_reference_data, load_staff, load_units
from dossiers.models import Dossier

NEEDS_DB = True
BIG, SMALL, REQUESTS = 1_000_000, 1_000, 30
PAGES = {
    "first page": "/ho-so/",
    "overdue filter": "/ho-so/?overdue=on",
    "state filter, sorted by due": "/ho-so/?state=in_progress&sort=due",
    "text search": "/ho-so/?q=0000123",
    "page 200": "/ho-so/?page=200",
}

# Three in ten returned, three archived, one withdrawn, the others open or with a result.
STATES = (
    "returned",
    "returned",
    "returned",
    "archived",
    "archived",
    "archived",
    "received",
    "in_progress",
    "result_ready",
    "withdrawn",
)
CODE = "'BENCH-' || to_char(received, 'YYMMDD') || '-' || lpad(g::text, 7, '0')"


def _grow(first, last):
    return volume.grow(first, last, code=CODE, state=volume.cycle(STATES))


def _measure(client):
    results = {}
    for label, url in PAGES.items():
        client.get(url)  # warm
        with Statements() as counter:
            response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        times = []
        for _ in range(REQUESTS):
            start = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - start)
        times.sort()
        results[label] = (times[int(0.95 * (len(times) - 1))], counter.count)
    return results


def run() -> list[dict]:
    if connection.vendor != "postgresql":
        raise RuntimeError("bench_dossier_list needs PostgreSQL: run it through `make bench`.")
    units = load_units()
    load_reference_data()
    load_staff(units)
    volume.applicants(100_000)
    client = Client()
    client.force_login(get_user_model().objects.get(username="motcua.huyen1"))
    try:
        _grow(1, SMALL)
        small = _measure(client)
        grown_in = _grow(SMALL + 1, BIG)
        big = _measure(client)
        unit_rows = Dossier.objects.filter(receiving_unit=units["H50.22.02"]).count()
    finally:
        volume.remove("BENCH-")
    rows = []
    for label in PAGES:
        (p95_big, q_big), (p95_small, q_small) = big[label], small[label]
        same = "same" if q_big == q_small else f"DIFFERENT ({q_small} at 1k)"
        rows.append(
            {
                "name": f"list page, {label}, p95",
                "subject_s": p95_big,
                "reference_s": p95_small,
                "reference": "the same page at 1,000 dossiers",
                "unit": "request",
                "n": 1,
                "notes": f"{q_big} SQL queries at 1M ({same}); {unit_rows:,} dossiers in the "
                f"clerk's unit; table grown in {grown_in:.0f} s",
            }
        )
    return rows
