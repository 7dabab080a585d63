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
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
UNREACHABLE = (OSError, RedisError)  # redis-py's ConnectionError/TimeoutError, socket errors
WARN_EVERY_S = 60


class ReusedClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool.

    Django wraps its pool in a new ``redis.Redis`` on every cache call; building one costs
    about as much as a round trip to a local Redis, and every public look-up makes six cache
    calls. A ``redis.Redis`` holds no connection of its own (it borrows from the pool per
    command) and is thread-safe, so one per pool serves all (Django's ``get_client`` is there
    to be overridden: its comment says so)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(
                connection_pool=self._get_connection_pool(write)
            )
        return client


class LimitsCache(RedisCache):
    """RedisCache whose reads and writes fall back to process memory when Redis fails."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
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
    it: the per-dossier guard's and the login back-off's counters.

    ``incr`` first: on Redis Django's ``incr`` is EXISTS then INCR, and a missing key stops at
    the EXISTS and takes an ``add``: two round trips either way, where ``add`` then ``incr``
    took three every time (bench/bench_status_page.py)."""
    try:
        return cache.incr(key)
    except ValueError:  # no count yet, or it just expired
        if cache.add(key, 1, ttl):
            return 1
        return cache.incr(key)  # another request created it meanwhile
