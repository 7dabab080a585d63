"""The clerk's list page (``/ho-so/``) over 1,000,000 dossiers on PostgreSQL.

The same pages are timed at 1,000 dossiers first (the reference), then the table is grown to
1,000,000 dossiers over 5 years and 23 counters by one INSERT … SELECT generate_series, and
the pages are timed again. Each row: p95 of 30 requests through Django's test client (the
whole middleware stack and template), and the SQL query count, which must be the same at
both sizes. Target: p95 ≤ 100 ms at 1M. The rows are removed afterwards.
"""

import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from bench.sql import Statements
from dossiers.demo import load_reference_data, load_staff, load_units
from dossiers.models import Applicant, Dossier

NEEDS_DB = True
BIG, SMALL, REQUESTS = 1_000_000, 1_000, 30
PAGES = {
    "first page": "/ho-so/",
    "overdue filter": "/ho-so/?overdue=on",
    "state filter, sorted by due": "/ho-so/?state=in_progress&sort=due",
    "text search": "/ho-so/?q=0000123",
    "page 200": "/ho-so/?page=200",
}

GROW = """
WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_unit WHERE has_counter),
     procs AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_procedure),
     people AS (SELECT min(id) AS lo, max(id) AS hi FROM dossiers_applicant),
     rows AS (
       SELECT g,
              units.ids[1 + (g * 7919) %% array_length(units.ids, 1)] AS unit_id,
              procs.ids[1 + (g * 104729) %% array_length(procs.ids, 1)] AS procedure_id,
              people.lo + (g * 31337) %% (people.hi - people.lo + 1) AS applicant_id,
              now() - make_interval(secs => ((g * 2654435761) %% (5 * 365 * 86400))) AS received,
              (ARRAY['returned','returned','returned','archived','archived','archived',
                     'received','in_progress','result_ready','withdrawn'])[1 + g %% 10] AS state
       FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g, units, procs, people)
INSERT INTO dossiers_dossier (code, check_code, procedure_id, applicant_id, receiving_unit_id,
    current_unit_id, state, channel, received_at, due_at, appointment_at, step_due_at,
    finished_at, returned_at, was_extended, note, created_at, updated_at)
SELECT 'BENCH-' || to_char(received, 'YYMMDD') || '-' || lpad(g::text, 7, '0'), 'BENCH1',
       procedure_id, applicant_id, unit_id, unit_id, state,
       (ARRAY['direct','online','post'])[1 + g %% 3], received,
       received + interval '5 days', received + interval '5 days', received + interval '5 days',
       CASE WHEN state IN ('returned','archived','result_ready')
            THEN received + interval '4 days' END,
       CASE WHEN state IN ('returned','archived') THEN received + interval '5 days' END,
       false, '', received, received
FROM rows
"""


def _grow(first, last):
    with connection.cursor() as cursor:
        cursor.execute(GROW, {"first": first, "last": last})
        # What autovacuum does to a table that has settled: statistics and the visibility map
        # that lets the counts read the index alone.
        cursor.execute("VACUUM ANALYZE dossiers_dossier")


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
    Applicant.objects.bulk_create(
        [
            Applicant(id_number=f"0149{i:08d}", name=f"Người nộp {i}", search_name=f"nguoi nop {i}")
            for i in range(100_000)
        ],
        batch_size=5000, ignore_conflicts=True,
    )  # fmt: skip
    client = Client()
    client.force_login(get_user_model().objects.get(username="motcua.huyen1"))
    try:
        _grow(1, SMALL)
        small = _measure(client)
        started = time.perf_counter()
        _grow(SMALL + 1, BIG)
        grown_in = time.perf_counter() - started
        big = _measure(client)
        unit_rows = Dossier.objects.filter(receiving_unit=units["H50.22.02"]).count()
    finally:
        with connection.cursor() as cursor:  # raw: Django's delete would load a million rows
            cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE 'BENCH-%%'")
    rows = []
    for label in PAGES:
        (p95_big, q_big), (p95_small, q_small) = big[label], small[label]
        same = "same" if q_big == q_small else f"DIFFERENT ({q_small} at 1k)"
        rows.append({
            "name": f"list page, {label}, p95", "subject_s": p95_big, "reference_s": p95_small,
            "reference": "the same page at 1,000 dossiers", "unit": "request", "n": 1,
            "notes": f"{q_big} SQL queries at 1M ({same}); {unit_rows:,} dossiers in the "
                     f"clerk's unit; table grown in {grown_in:.0f} s",
        })  # fmt: skip
    return rows
