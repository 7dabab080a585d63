"""Computed dashboards in the shared cache, keyed by unit, scope, period and data version."""

from django.core.cache import cache

VERSION_KEY = "reporting:data-version"
TIMEOUT = 24 * 3600


def version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def bump_version():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def key(unit, period, scope_key) -> str:
    # A running period also moves with the clock (overdue counts): one key per minute.
    clock = "" if period.complete else period.until.strftime("%Y%m%d%H%M")
    return f"reporting:v{version()}:{unit.pk}:{scope_key}:{period.token}:{clock}"


def get(cache_key):
    return cache.get(cache_key)


def put(cache_key, data):
    cache.set(cache_key, data, timeout=TIMEOUT)
