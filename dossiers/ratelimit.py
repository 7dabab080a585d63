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


class LookupCount:
    """One public lookup counted for the request's client in the current minute (a fixed
    window). Use it as a context manager around the work the count may overlap, then ask
    :meth:`over_limit`; a count that was sent is always read or its connection dropped, so
    no answer is left for the connection's next user."""

    def __init__(self, request):
        window = int(time.time() // WINDOW_S)
        self.key = f"public-lookups:{rate_key(None, request)}:{window}"
        self.ttl = WINDOW_S + 10
        self.count = None
        self._pending = None  # (script, pool, connection, cache key) while Redis answers
        cache = caches["default"]
        location = settings.CACHES["default"].get("LOCATION", "")
        if isinstance(cache, RedisCache) and isinstance(location, str):
            script = _script(location)
            pool = script.registered_client.connection_pool
            connection = pool.get_connection()
            cache_key = cache.make_and_validate_key(self.key)
            try:
                connection.send_command("EVALSHA", script.sha, 1, cache_key, self.ttl)
            except BaseException:
                connection.disconnect()
                pool.release(connection)
                raise
            self._pending = (script, pool, connection, cache_key)
        else:
            cache.add(self.key, 0, self.ttl)
            self.count = cache.incr(self.key)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(failed=exc[0] is not None)

    def close(self, failed=False):
        """Read the pending answer (or, after a failure, drop the connection)."""
        if self._pending is None:
            return
        script, pool, connection, cache_key = self._pending
        self._pending = None
        try:
            if failed:
                connection.disconnect()
            else:
                self.count = self._read(script, connection, cache_key)
        except BaseException:
            connection.disconnect()
            raise
        finally:
            pool.release(connection)

    def _read(self, script, connection, cache_key):
        from redis.exceptions import NoScriptError

        try:
            return connection.read_response()
        except NoScriptError:  # Redis restarted and forgot the script: load it, count again
            return script(keys=[cache_key], args=[self.ttl])

    def over_limit(self) -> bool:
        self.close()
        return self.count > settings.PUBLIC_LOOKUPS_PER_MINUTE


def public_rate_limited(request) -> bool:
    """Count one public lookup for this client now; True once past the minute's limit."""
    return LookupCount(request).over_limit()
