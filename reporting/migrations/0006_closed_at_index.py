"""Reports bound "not closed before the period" by the stored closing moment
(``Dossier.closed_at``, dossiers 0022) rather than by joining the closing events: an index on
(receiving unit, closed_at) holds it, and the closing events' partial index, which only that
join read, goes (issue #16: a commune's report read its predecessors' whole history).

PostgreSQL only and CONCURRENTLY, as 0003."""

from django.db import migrations

from core.migration_ops import PostgresOnlySQL

CLOSED = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS reporting_dossier_unit_closed ON "
    "dossiers_dossier (receiving_unit_id, closed_at)"
)
EVENTS = (
    "CREATE INDEX CONCURRENTLY IF NOT EXISTS reporting_event_closing_v2 ON "
    "dossiers_dossierevent (dossier_id) INCLUDE (at) "
    "WHERE action IN ('withdraw', 'refuse', 'stop')"
)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [
        ("reporting", "0005_closing_index_with_stop"),
        ("dossiers", "0022_closed_at"),
    ]

    operations = [
        PostgresOnlySQL(
            sql=CLOSED,
            reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS reporting_dossier_unit_closed",
        ),
        PostgresOnlySQL(
            sql="DROP INDEX CONCURRENTLY IF EXISTS reporting_event_closing_v2", reverse_sql=EVENTS
        ),
    ]
