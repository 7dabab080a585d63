"""The closing events' partial index also holds the stop at the applicant's request
(Nghị định 118/2025/NĐ-CP): the report joins ``withdraw``, ``refuse`` and ``stop`` events
(reporting/tables.py, CLOSING_ACTIONS), and a partial index is used only when its predicate
covers the query's. Rebuilt CONCURRENTLY under a new name, then the old one dropped."""

from django.db import migrations

from core.migration_ops import PostgresOnlySQL

NEW = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS reporting_event_closing_v2 ON "
    "dossiers_dossierevent (dossier_id) INCLUDE (at) "
    "WHERE action IN ('withdraw', 'refuse', 'stop')"
)
OLD = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS reporting_event_closing ON "
    "dossiers_dossierevent (dossier_id) INCLUDE (at) WHERE action IN ('withdraw', 'refuse')"
)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("reporting", "0004_reportjob_durable_work")]

    operations = [
        PostgresOnlySQL(
            sql=NEW, reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS reporting_event_closing_v2"
        ),
        PostgresOnlySQL(
            sql="DROP INDEX CONCURRENTLY IF EXISTS reporting_event_closing", reverse_sql=OLD
        ),
    ]
