"""The cache the public site's limits count in: Django's Redis cache (redis-py with hiredis),
which keeps counting in this process's memory while Redis cannot be reached.

Every limit (django-ratelimit's counters, DRF's throttles, the per-dossier factor lock and the
per-username login back-off) goes through the ``limits`` alias of ``settings.CACHES``. An
outage of Redis must not become an outage of the status page, nor a 500 on the API: while it
lasts each process counts alone (a limit per process rather than per site), and a warning is
logged once a minute. Other caches (the reports') keep the plain backend, where a stale local
copy would be worse than an error.
"""

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
UNREACHABLE = (OSError, RedisError)  # redis-py's ConnectionError/TimeoutError, socket errors
WARN_EVERY_S = 60


class LimitsCache(RedisCache):
    """RedisCache whose reads and writes fall back to process memory when Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self.fallback = LocMemCache(
            f"limits-fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 50_000}}
        )
        self._warned_at = 0.0

    def _warn(self, error):
        now = time.monotonic()
        if now - self._warned_at > WARN_EVERY_S:
            self._warned_at = now
            log.warning("Redis unreachable (%s): limits counted in this process's memory", error)

    def _either(name):  # noqa: N805 (a decorator factory used in the class body)
        def method(self, *args, **kwargs):
            try:
                return getattr(RedisCache, name)(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._warn(error)
                return getattr(self.fallback, name)(*args, **kwargs)

        method.__name__ = name
        return method

    add = _either("add")
    get = _either("get")
    set = _either("set")
    delete = _either("delete")
    incr = _either("incr")
    get_many = _either("get_many")
    delete_many = _either("delete_many")
    touch = _either("touch")
    del _either


def bump(cache, key, ttl) -> int:
    """Add one to the counter ``key`` of ``cache`` (created expiring after ``ttl`` s) and return
    it: the per-dossier guard's and the login back-off's counters."""
    cache.add(key, 0, ttl)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, ttl)
        return 1
