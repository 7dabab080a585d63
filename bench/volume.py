"""A large volume of dossiers for the benchmarks: one generator, used by every bench that needs
a million rows (the clerk's list, the status page, the monthly report).

:func:`grow` writes dossiers ``first``…``last`` with one ``INSERT … SELECT generate_series``:
spread over 5 years of reception and over the chosen units, procedures and applicants by
multiplicative hashes of the row number ``g`` (the same ``g`` always gives the same row, so
two runs grow the same table; applicants are taken by their place in the table, so the gaps
``bulk_create(ignore_conflicts=True)`` leaves in their ids do not matter). What differs
between benches is passed as SQL expressions of ``g``, ``received`` (the reception moment) and
``dice`` (0–999, a hash of ``g``): the code, the check code, the state, how long the dossier
took. A dossier finished (result ready, returned, archived, declined) ``takes`` after
reception, was returned a day later, and was last updated when it finished; any closed one
(withdrawn, refused and stopped too) closed then. Every benchmark removes its rows with
:func:`remove` by its code prefix.
"""

import time

from django.db import connection

from dossiers.models import Applicant
from dossiers.workflow import UNCLOSED_STATES

# A state per row, 3 in 10 returned and 3 in 10 archived, the rest open or closed otherwise:
# ``cycle(...)`` of ten states, the state of row g being the (g mod 10)-th.
RETURNED_MOSTLY = (
    "returned",
    "returned",
    "returned",
    "archived",
    "archived",
    "archived",
    "received",
    "in_progress",
    "result_ready",
    "in_progress",
)
FOUR_DAYS = "interval '4 days'"
# The reception moment of row g: spread over the 5 years before now.
RECEIVED = "(now() - make_interval(secs => ((g * 2654435761) %% (5 * 365 * 86400))))"

GROW = """
WITH units AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_unit WHERE {units}),
     later AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_unit WHERE {later_units}),
     procs AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_procedure),
     people AS (SELECT array_agg(id ORDER BY id) AS ids FROM dossiers_applicant),
     rows AS (
       SELECT g,
              CASE WHEN {received} < %(switch)s::timestamptz
                   THEN units.ids[1 + (g * 7919) %% array_length(units.ids, 1)]
                   ELSE later.ids[1 + (g * 7919) %% array_length(later.ids, 1)] END AS unit_id,
              procs.ids[1 + (g * 104729) %% array_length(procs.ids, 1)] AS procedure_id,
              people.ids[1 + (g * 31337) %% array_length(people.ids, 1)] AS applicant_id,
              {received} AS received,
              (g * 40503) %% 1000 AS dice
       FROM generate_series(%(first)s::bigint, %(last)s::bigint) AS g, units, later, procs,
            people),
     lives AS (SELECT *, {state} AS state, {takes} AS takes FROM rows)
INSERT INTO dossiers_dossier (code, check_code, procedure_id, applicant_id, receiving_unit_id,
    current_unit_id, state, channel, received_at, due_at, appointment_at, step_due_at,
    finished_at, returned_at, closed_at, was_extended, note, created_at, updated_at)
SELECT {code}, {check_code}, procedure_id, applicant_id, unit_id, unit_id, state,
       (ARRAY['direct','online','post'])[1 + g %% 3], received,
       received + interval '5 days', received + interval '5 days', received + interval '5 days',
       CASE WHEN state IN ('result_ready','returned','archived','declined')
            THEN received + takes END,
       CASE WHEN state IN ('returned','archived') THEN received + takes + interval '1 day' END,
       CASE WHEN state NOT IN ({unclosed}) THEN received + takes END,
       {was_extended}, '', received,
       CASE WHEN state IN ('received','in_progress') THEN received ELSE received + takes END
FROM lives
"""

# The steps a dossier in each state has been through, as the status page lists them.
HISTORIES = """
INSERT INTO dossiers_dossierevent (dossier_id, action, from_state, to_state, at, from_unit_id,
    to_unit_id, note)
SELECT d.id, s.action, s.from_state, s.to_state, d.received_at + s.after, d.receiving_unit_id,
       d.receiving_unit_id, ''
FROM dossiers_dossier d
JOIN (VALUES (0, 'receive', '', 'received', interval '0'),
             (1, 'assign', 'received', 'in_progress', interval '2 hours'),
             (2, 'approve', 'pending_approval', 'result_ready', interval '4 days'),
             (3, 'return_result', 'result_ready', 'returned', interval '5 days'))
     AS s(rank, action, from_state, to_state, after)
  ON s.rank <= CASE d.state WHEN 'received' THEN 0 WHEN 'in_progress' THEN 1
                            WHEN 'result_ready' THEN 2 ELSE 3 END
WHERE d.code LIKE %(like)s
"""


def cycle(states) -> str:
    """The SQL state of row ``g`` taken in turn from ``states``."""
    listed = ",".join(f"'{state}'" for state in states)
    return f"(ARRAY[{listed}])[1 + g %% {len(states)}]"


def applicants(count, id_prefix="0149"):
    """``count`` applicants the dossiers are spread over (kept between runs)."""
    Applicant.objects.bulk_create(
        [
            Applicant(
                id_number=f"{id_prefix}{i:08d}",
                name=f"Người nộp {i}",
                phone=f"09{i:08d}",
                search_name=f"nguoi nop {i}",
            )
            for i in range(count)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


def grow(
    first,
    last,
    *,
    code,
    check_code="'BENCH1'",
    state=None,
    takes=FOUR_DAYS,
    was_extended="false",
    units="has_counter",
    later_units=None,
    switch=None,
) -> float:
    """Insert dossiers ``first``…``last`` (see the module's docstring for the SQL expressions),
    received by the units of the SQL condition ``units`` — or, when ``switch`` (a moment) is
    given, by those of ``later_units`` for the rows received from ``switch`` on (a map that
    changed on that day), then ``VACUUM ANALYZE`` as autovacuum would once the table settled
    (statistics, and the visibility map index-only scans need). Returns the seconds it took."""
    started = time.perf_counter()
    state = state or cycle(RETURNED_MOSTLY)
    sql = GROW.format(
        units=units,
        later_units=later_units or units,
        received=RECEIVED,
        state=state,
        takes=takes,
        code=code,
        check_code=check_code,
        was_extended=was_extended,
        unclosed=",".join(f"'{state}'" for state in sorted(UNCLOSED_STATES)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, {"first": first, "last": last, "switch": switch or "infinity"})
        cursor.execute("VACUUM ANALYZE dossiers_dossier")
    return time.perf_counter() - started


def histories(prefix) -> None:
    """Each dossier of ``prefix`` gets the steps of its state (1 to 4)."""
    with connection.cursor() as cursor:
        cursor.execute(HISTORIES, {"like": f"{prefix}%"})
        cursor.execute("VACUUM ANALYZE dossiers_dossierevent")


def count(prefix) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE code LIKE %s", [f"{prefix}%"])
        return cursor.fetchone()[0]


def remove(prefix) -> None:
    """Delete the dossiers of ``prefix`` and their events (raw SQL: Django's delete would load
    millions of rows), then vacuum: left to autovacuum, a million dead rows load the CPUs under
    whichever benchmark runs next."""
    like = f"{prefix}%"
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM dossiers_dossierevent e USING dossiers_dossier d "
            "WHERE e.dossier_id = d.id AND d.code LIKE %s",
            [like],
        )
        cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE %s", [like])
        cursor.execute("VACUUM dossiers_dossierevent, dossiers_dossier")
