"""Per-client limits of the public site: lookups by code and factor (status page, rating,
supplement answers, online submissions) counted per client address and minute.

The count lives in the shared cache — Redis in full mode, so every gunicorn process and
every host counts the same client together; the embedded mode's one process counts in
memory. On Redis a hit is one round trip: a script that INCRs the window's key and sets its
expiry on the first hit. :class:`LookupCount` sends it at once and reads the answer only
when asked, so the status page's database query runs while Redis answers.

The round trip goes through :class:`RedisCounter`, this thread's own socket to the cache's
Redis, not through redis-py: redis-py gives its sockets a timeout, which CPython enforces
with a ``poll()`` before every send and every receive — two more system calls per lookup,
and under load each system call hands the GIL to another gunicorn thread (in
bench/bench_status_page.py the page without its count served a fifth more requests; the
count's Python and system calls are what is left of that). This socket blocks, and the
kernel enforces the same timeout (``SO_RCVTIMEO``/``SO_SNDTIMEO``).
"""

import hashlib
import logging
import socket
import struct
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError as RedisPyError

from .services.audit import rate_key

WINDOW_S = 60
TOO_MANY = "Ông/bà đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."

# INCR, and EXPIRE on the window's first hit: one command, one round trip.
COUNT_HIT = b"""
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""
COUNT_HIT_SHA = hashlib.sha1(COUNT_HIT).hexdigest().encode()  # noqa: S324 (Redis's script id)
TIMEOUT_S = 5  # redis-py's default socket timeout, kept by the kernel here


def _command(*parts: bytes) -> bytes:
    """One Redis command in its wire format (RESP)."""
    return b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts)


class RedisError(Exception):
    """Redis answered an error, or something that is not an answer to the count."""


class RedisCounter:
    """This thread's connection to the cache's Redis, speaking only what the count needs:
    AUTH and SELECT once, then the counting script (EVALSHA; EVAL when Redis has forgotten
    it). One command in flight at a time: :meth:`send`, then :meth:`read` its answer. Any
    failure closes the socket; the next count connects again."""

    def __init__(self, url: str):
        from redis.connection import parse_url  # the URL forms Django's RedisCache accepts

        self.options = parse_url(url)
        self.sock = None
        self._sent = None  # (key, ttl, on a kept connection) of the count awaiting its answer

    @staticmethod
    def serves(url) -> bool:
        """Whether a counter speaks to this cache location (TLS and clusters: redis-py)."""
        return isinstance(url, str) and urlsplit(url).scheme in ("redis", "unix")

    def _connect(self):
        options = self.options
        if "path" in options:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(TIMEOUT_S)
            try:
                sock.connect(options["path"])
            except BaseException:
                sock.close()
                raise
        else:
            address = (options.get("host") or "localhost", int(options.get("port") or 6379))
            sock = socket.create_connection(address, timeout=TIMEOUT_S)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        timeout = struct.pack("ll", TIMEOUT_S, 0)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeout)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeout)
        sock.settimeout(None)  # blocking: no poll() before each call, the kernel times out
        self.sock = sock
        login = [options[name].encode() for name in ("username", "password") if options.get(name)]
        if login:
            self._ask(_command(b"AUTH", *login))
        if options.get("db"):
            self._ask(_command(b"SELECT", str(options["db"]).encode()))

    def _ask(self, command):
        self.sock.sendall(command)
        return self._answer()

    def _answer(self):
        """The next answer: an integer or a status; an error raises :class:`RedisError`."""
        try:
            line = self.sock.recv(256)
            while not line.endswith(b"\r\n"):
                more = self.sock.recv(256)
                if not more:
                    raise ConnectionError("Redis closed the connection")
                line += more
        except BlockingIOError as exc:  # SO_RCVTIMEO ran out
            raise TimeoutError(f"Redis did not answer within {TIMEOUT_S} s") from exc
        kind, value = line[:1], line[1:-2]
        if kind == b":":
            return int(value)
        if kind == b"+":
            return value
        raise RedisError(line[1:].decode("utf-8", "replace").strip())

    def close(self):
        self._sent = None
        if self.sock is not None:
            sock, self.sock = self.sock, None
            sock.close()

    def send(self, key: bytes, ttl: int):
        """Send the count of ``key`` (expiring after ``ttl`` s); :meth:`read` gets it."""
        command = _command(b"EVALSHA", COUNT_HIT_SHA, b"1", key, b"%d" % ttl)
        reused = self.sock is not None
        try:
            if reused:
                try:
                    self.sock.sendall(command)
                except ConnectionError:  # Redis dropped the kept connection (a restart)
                    self.close()
                    reused = False
            if not reused:
                self._connect()
                self.sock.sendall(command)
        except BaseException:
            self.close()
            raise
        self._sent = (key, ttl, reused)

    def read(self) -> int:
        """The count sent last."""
        key, ttl, reused = self._sent
        self._sent = None
        try:
            try:
                return self._answer()
            except RedisError as exc:
                if not str(exc).startswith("NOSCRIPT"):
                    raise
            except ConnectionError:
                if not reused:
                    raise
                # Redis dropped the kept connection (a restart): count on a new one.
                self.close()
                self._connect()
            # This Redis does not know the script (it restarted): EVAL loads it and counts.
            return self._ask(_command(b"EVAL", COUNT_HIT, b"1", key, b"%d" % ttl))
        except BaseException:
            self.close()
            raise


_local = threading.local()
log = logging.getLogger(__name__)

# When the shared cache cannot be reached the citizen still gets the page: the lookup is
# counted in this process's memory instead (a limit per process, not per site) until it is
# back. An outage of the cache must not become an outage of the status page.
_here = LocMemCache("public-limits-fallback", {"OPTIONS": {"MAX_ENTRIES": 50_000}})
_warned_at = 0.0


# The errors of a cache that cannot be reached, did not answer or answered an error.
UNREACHABLE = (OSError, RedisError, RedisPyError)


def _warn(error):
    global _warned_at
    if time.monotonic() - _warned_at > WINDOW_S:  # once a minute, not once a lookup
        _warned_at = time.monotonic()
        log.warning("Shared cache unreachable (%s); public lookups counted per process", error)


def _count_here(key, ttl, error) -> int:
    _warn(error)
    _here.add(key, 0, ttl)
    return _here.incr(key)


class SurvivesCacheOutage:
    """For DRF throttles: when the shared cache cannot be reached, count in this process's
    memory (as :class:`LookupCount` does) rather than answer the API client with a 500."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except UNREACHABLE as error:
            _warn(error)
            self.cache = _here
            return super().allow_request(request, view)


def _counter(url) -> RedisCounter:
    """This thread's counter for ``url`` (gunicorn's threads live as long as their worker)."""
    counters = getattr(_local, "counters", None)
    if counters is None:
        counters = _local.counters = {}
    counter = counters.get(url)
    if counter is None:
        counter = counters[url] = RedisCounter(url)
    return counter


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
        self.count = None
        self._pending = None  # the counter, while Redis answers
        self._key, self._ttl = key, ttl
        cache = caches["default"]
        location = settings.CACHES["default"].get("LOCATION", "")
        try:
            if isinstance(cache, RedisCache) and RedisCounter.serves(location):
                counter = _counter(location)
                counter.send(cache.make_key(key).encode(), ttl)
                self._pending = counter
            else:
                cache.add(key, 0, ttl)
                self.count = cache.incr(key)
        except UNREACHABLE as error:
            self.count = _count_here(key, ttl, error)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close(failed=exc[0] is not None)

    def close(self, failed=False):
        """Read the pending answer (after a failure, drop the connection instead)."""
        counter, self._pending = self._pending, None
        if counter is None:
            return
        if failed:
            counter.close()
            return
        try:
            self.count = counter.read()
        except UNREACHABLE as error:
            self.count = _count_here(self._key, self._ttl, error)

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
