"""Indexes the monthly report needs on the dossiers app's tables, owned by reporting so the
dossiers app's migrations stay its own (bench/bench_reporting.py, docs/benchmarks.md).

PostgreSQL only (the embedded SQLite mode has a few hundred dossiers), built CONCURRENTLY so a
running portal keeps receiving dossiers while they build; IF NOT EXISTS makes a re-run safe.
"""

from django.db import migrations

from core.migration_ops import PostgresOnlySQL

INDEXES = [
    # The moment a withdrawn or refused dossier was closed: the report joins these events
    # only, and the partial index is a few percent of the event table.
    (
        "reporting_event_closing",
        "ON dossiers_dossierevent (dossier_id) INCLUDE (at) WHERE action IN ('withdraw', 'refuse')",
    ),
    # One unit's table read from the index alone: its dossiers by reception, with every
    # column a cell's condition reads.
    (
        "reporting_dossier_unit_received",
        "ON dossiers_dossier (receiving_unit_id, received_at) INCLUDE (id, state, channel, "
        "finished_at, updated_at, due_at, was_extended, clock_stopped_at, procedure_id)",
    ),
]


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [
        ("reporting", "0002_plan141_targets"),
        ("dossiers", "0007_applicant_search_name"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}",
            reverse_sql=f"DROP INDEX CONCURRENTLY IF EXISTS {name}",
        )
        for name, definition in INDEXES
    ]
