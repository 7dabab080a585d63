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
    about as much as a round trip to a local Redis, and every public look-up makes several
    cache calls. A ``redis.Redis`` holds no connection of its own (it borrows from the pool per
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
        self._scripts = {}  # the Lua scripts of SCRIPTS, registered on first use

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

    def read_and_count(self, reads, counters):
        """:func:`read_and_count` in one round trip to Redis (one Lua script, atomic)."""
        try:
            keys = [self.make_and_validate_key(key) for key in [*reads, *counters]]
            values, counts = self._script("read_and_count")(
                keys=keys, args=[len(reads), *counters.values()]
            )
        except UNREACHABLE as error:
            self._warn(error)
            return read_and_count(self.fallback, reads, counters)
        loads = self._cache._serializer.loads
        found = {
            key: loads(value) for key, value in zip(reads, values, strict=True) if value is not None
        }
        return found, dict(zip(counters, counts, strict=True))

    def give_back(self, keys):
        """:func:`give_back` in one round trip to Redis (one Lua script, atomic)."""
        try:
            self._script("give_back")(keys=[self.make_and_validate_key(key) for key in keys])
        except UNREACHABLE as error:
            self._warn(error)
            give_back(self.fallback, keys)

    def _script(self, name):
        """The Lua script ``name`` of :data:`SCRIPTS`, registered with this cache's client
        (redis-py sends its SHA1, and the text once if Redis does not know it yet)."""
        client = self._cache.get_client(write=True)
        script = self._scripts.get(name)
        if script is None or script.registered_client is not client:
            script = self._scripts[name] = client.register_script(SCRIPTS[name])
        return script


# One script runs alone in Redis: nothing comes between a counter's SET NX and its INCR (an
# INCR of a key that just expired would make it again with no expiry).
SCRIPTS = {
    # KEYS: the keys read, then the counters; ARGV: how many keys are read, then each
    # counter's expiry in seconds. Returns {the values read, the counts}.
    "read_and_count": """
local read = tonumber(ARGV[1])
local values = {}
if read > 0 then values = redis.call('MGET', unpack(KEYS, 1, read)) end
local counts = {}
for i = read + 1, #KEYS do
  redis.call('SET', KEYS[i], 0, 'EX', ARGV[i - read + 1], 'NX')
  counts[#counts + 1] = redis.call('INCR', KEYS[i])
end
return {values, counts}
""",
    # Each counter of KEYS that still exists goes down by one; one that expired is not made
    # again.
    "give_back": """
for _, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then redis.call('DECR', key) end
end
""",
}


def read_and_count(cache, reads, counters):
    """The values of the keys ``reads`` of ``cache`` (a dict of those present, as
    ``get_many``), and each counter of ``counters`` (key: ttl in seconds) counted one up, created
    expiring after its ttl if missing: ``(values, counts)``, two dicts by key.

    On the ``limits`` cache in Redis (:class:`LimitsCache`) it is one round trip (a Lua
    script), where ``get_many`` and a :func:`bump` per counter took three or five; on any
    other cache (the embedded mode's memory, Redis's fallback) it is those calls."""
    if isinstance(cache, LimitsCache):
        return cache.read_and_count(reads, counters)
    values = cache.get_many(reads) if reads else {}
    return values, {key: bump(cache, key, ttl) for key, ttl in counters.items()}


def give_back(cache, keys):
    """Count each counter of ``keys`` one down again, unless it expired meanwhile (it is then
    not created again): what :func:`read_and_count` counted for a try that turned out right.
    One round trip on :class:`LimitsCache` in Redis."""
    if isinstance(cache, LimitsCache):
        return cache.give_back(keys)
    for key in keys:
        try:
            cache.decr(key)
        except ValueError:  # expired meanwhile: nothing to give back
            pass


def bump(cache, key, ttl) -> int:
    """Add one to the counter ``key`` of ``cache`` (created expiring after ``ttl`` s) and return
    it: the login back-off's counters (and the guard's, on a cache other than Redis).

    ``incr`` first: on Redis Django's ``incr`` is EXISTS then INCR, and a missing key stops at
    the EXISTS and takes an ``add``: two round trips either way, where ``add`` then ``incr``
    took three every time (bench/bench_status_page.py)."""
    try:
        return cache.incr(key)
    except ValueError:  # no count yet, or it just expired
        if cache.add(key, 1, ttl):
            return 1
        return cache.incr(key)  # another request created it meanwhile
