"""Which database the report queries read: the read replica named by REPORTING_DATABASE_URL
(the ``reporting`` alias) when configured, else the primary. Writes never go there. A page
that finds the replica down is read again on the primary (``on_primary``), and says so."""

import logging
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import OperationalError, connections

logger = logging.getLogger(__name__)

REPLICA = "reporting"
# How far behind the primary a streaming standby has replayed; 0 on a primary (or a mirror).
LAG_SQL = (
    "SELECT CASE WHEN pg_is_in_recovery() THEN "
    "GREATEST(COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0), 0) "
    "ELSE 0 END"
)


_PRIMARY = ContextVar("reports_on_primary", default=False)


def report_db() -> str:
    if _PRIMARY.get() or REPLICA not in settings.DATABASES:
        return "default"
    return REPLICA


@contextmanager
def on_primary():
    """The report queries made inside read the primary: the replica did not answer."""
    token = _PRIMARY.set(True)
    try:
        yield
    finally:
        _PRIMARY.reset(token)


def read_or_primary(read, *args, **kwargs):
    """``read(*args, **kwargs)``, and once more on the primary if the reporting replica did
    not answer (stopped, restarted, unreachable). For reads only: a read that wrote before
    failing would write twice. Any other error, or one on the primary, is the error it is."""
    try:
        return read(*args, **kwargs)
    except OperationalError:
        if report_db() == "default":
            raise
        logger.warning("Reporting replica unreachable: read again on the primary")
        with on_primary():
            return read(*args, **kwargs)


def replica_lag(alias: str = REPLICA) -> float | None:
    """Seconds the reporting replica is behind the primary; None without a replica. Raises
    the database's error when the replica does not answer (the caller says so).

    The replay time is that of the last transaction replayed: on a quiet primary it ages
    although nothing is missing, so a small figure is exact and a large one an upper bound."""
    if alias not in settings.DATABASES:
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])
