"""Computed dashboards in the shared cache, keyed by unit, scope, period and data version.

The cache is an optimisation: when it is unreachable (Redis down) reports are computed
afresh and the clerk's work that bumps the version carries on (issue #5's outage test)."""

import logging

from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

VERSION_KEY = "reporting:data-version"
# Read by bacyen_portal/metrics.py.
HITS_KEY = "reporting:cache-hits"
MISSES_KEY = "reporting:cache-misses"
TIMEOUT = 24 * 3600


def version() -> int | None:
    try:
        return cache.get_or_set(VERSION_KEY, 1, timeout=None)
    except Exception:  # noqa: BLE001 - no cache: no cached report either
        logger.warning("Report cache unreachable; computing without it", exc_info=True)
        return None


def bump_version():
    """Called on every save of a row a report reads (an extra bump for a change rolled back
    costs one cache miss, nothing more); never raises."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:
            cache.set(VERSION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001 - see the module docstring
        logger.warning("Report cache version not bumped (cache unreachable)", exc_info=True)


def key(unit, period, scope_key) -> str | None:
    current = version()
    if current is None:
        return None
    # A running period also moves with the clock (overdue counts): one key per minute.
    clock = "" if period.complete else period.until.strftime("%Y%m%d%H%M")
    return f"reporting:v{current}:{unit.pk}:{scope_key}:{period.token}:{clock}"


def live_key(unit, scope_key) -> str | None:
    """The live figures' key (reporting/live.py): the data version and the minute (the
    overdue counts move with the clock)."""
    current = version()
    if current is None:
        return None
    minute = timezone.localtime().strftime("%Y%m%d%H%M")
    return f"reporting:live:v{current}:{unit.pk}:{scope_key}:{minute}"


def get(cache_key):
    if cache_key is None:
        return None
    try:
        found = cache.get(cache_key)
    except Exception:  # noqa: BLE001
        return None
    _count(HITS_KEY if found is not None else MISSES_KEY)
    return found


def _count(counter):
    """Hits and misses, counted in the shared cache for /metrics (every process adds to the
    same two numbers); never raises."""
    try:
        try:
            cache.incr(counter)
        except ValueError:
            cache.set(counter, 1, timeout=None)
    except Exception:  # noqa: BLE001, S110 - a lost count is no reason to fail a report
        pass


def claim(lock_key, seconds=10) -> bool:
    """Whether this process may compute what ``lock_key`` guards (the first to ask in the
    next ``seconds``); True without a cache."""
    try:
        return cache.add(lock_key, 1, timeout=seconds)
    except Exception:  # noqa: BLE001 - see the module docstring
        return True


def put(cache_key, data):
    if cache_key is None:
        return
    try:
        cache.set(cache_key, data, timeout=TIMEOUT)
    except Exception:  # noqa: BLE001
        logger.warning("Report not cached (cache unreachable)", exc_info=True)
