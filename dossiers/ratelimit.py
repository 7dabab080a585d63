"""Per-client limits of the public site: lookups by code and factor (status page, rating,
supplement answers, online submissions) counted per client address and minute.

The count lives in the shared cache — Redis in full mode, so every gunicorn process and
every host counts the same client together; the embedded mode's one process counts in
memory. On Redis a hit is one round trip: a script that INCRs the window's key and sets its
expiry on the first hit. :class:`LookupCount` sends it at once and reads the answer only
when asked, so the status page's database query runs while Redis answers (under load each
blocking round trip costs a context switch: bench/bench_status_page.py).
"""

import functools
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

from .services.audit import rate_key

WINDOW_S = 60
TOO_MANY = "Ông/bà đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."

# INCR, and EXPIRE on the window's first hit: one command, one round trip.
COUNT_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@functools.cache
def _script(url):
    import redis

    return redis.Redis.from_url(url).register_script(COUNT_HIT)


_local = threading.local()


def _connection(url):
    """This thread's own connection to the cache's Redis: no pool, no lock to take per lookup
    (gunicorn's threads live as long as their worker). Reconnects by itself after a failure."""
    client = getattr(_local, "clients", {}).get(url)
    if client is None:
        import redis

        client = redis.Redis.from_url(url, single_connection_client=True)
        _local.clients = {**getattr(_local, "clients", {}), url: client}
    return client


class LookupCount:
    """One public lookup counted for the request's client in the current minute, a fixed
    window (another ``scope`` counts something else against its own ``limit`` per
    ``window_s`` seconds: online submissions per hour). Use it as a context manager around
    the work the count may overlap, then ask :meth:`over_limit`; a count that was sent is
    always read, or its connection dropped, so no answer is left behind for the next lookup
    on that connection."""

    def __init__(self, request, *, scope="public-lookups", limit=None, window_s=WINDOW_S):
        window = int(time.time() // window_s)
        key = f"{scope}:{rate_key(None, request)}:{window}"
        ttl = window_s + 10
        self.limit = settings.PUBLIC_LOOKUPS_PER_MINUTE if limit is None else limit
        self.ttl = ttl
        self.count = None
        self._pending = None  # (client, cache key, Redis URL) while Redis answers
        cache = caches["default"]
        location = settings.CACHES["default"].get("LOCATION", "")
        if isinstance(cache, RedisCache) and isinstance(location, str):
            client, cache_key = _connection(location), cache.make_key(key)
            try:
                client.connection.send_command("EVALSHA", _script(location).sha, 1, cache_key, ttl)
            except BaseException:
                client.connection.disconnect()
                raise
            self._pending = (client, cache_key, location)
        else:
            cache.add(key, 0, ttl)
            self.count = cache.incr(key)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(failed=exc[0] is not None)

    def close(self, failed=False):
        """Read the pending answer (after a failure, drop the connection instead)."""
        if self._pending is None:
            return
        client, cache_key, url = self._pending
        self._pending = None
        if failed:
            client.connection.disconnect()
            return
        from redis.exceptions import NoScriptError

        try:
            self.count = client.connection.read_response()
        except NoScriptError:  # Redis restarted and forgot the script: load it, count again
            self.count = _script(url)(keys=[cache_key], args=[self.ttl], client=client)
        except BaseException:
            client.connection.disconnect()
            raise

    def over_limit(self) -> bool:
        self.close()
        return self.count > self.limit


def public_rate_limited(request) -> bool:
    """Count one public lookup for this client now; True once past the minute's limit."""
    return LookupCount(request).over_limit()


TOO_MANY_SUBMISSIONS = (
    "Ông/bà đã nộp quá nhiều hồ sơ trực tuyến trong một giờ. Vui lòng thử lại sau, hoặc liên hệ "
    "Bộ phận Một cửa."
)


def submissions_limited(request) -> bool:
    """Count one online submission for this client; True once past the hour's limit."""
    return LookupCount(
        request, scope="online-submissions", limit=settings.PUBLIC_SUBMISSIONS_PER_HOUR,
        window_s=3600,
    ).over_limit()  # fmt: skip
