"""The public site's plumbing under the status page: the per-client count in Redis (sent
before the query, read after it, over the thread's own socket), the cached
Content-Security-Policy header."""

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from bacyen_portal.csp import CSPMiddleware
from dossiers.ratelimit import LookupCount, RedisCounter, _counter

pytestmark = pytest.mark.django_db


def request(address="10.1.2.3"):
    return RequestFactory().get("/tra-cuu/", REMOTE_ADDR=address)


def cache_redis():
    """A redis-py client of the cache's Redis, to look at what the counter did."""
    return redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])


def test_counts_add_up_per_client_and_stop_at_the_limit():
    limit = settings.PUBLIC_LOOKUPS_PER_MINUTE
    results = [LookupCount(request()).over_limit() for _ in range(limit + 1)]
    assert results == [False] * limit + [True]
    assert LookupCount(request("10.9.9.9")).over_limit() is False


def test_a_failure_while_redis_answers_leaves_no_answer_for_the_next_lookup():
    with pytest.raises(RuntimeError), LookupCount(request()):
        raise RuntimeError("the query failed")
    # The dropped connection reconnects; the next lookup reads its own count, not the old one.
    counts = []
    for _ in range(3):
        counted = LookupCount(request())
        counted.over_limit()
        counts.append(counted.count)
    assert counts == [counts[0], counts[0] + 1, counts[0] + 2]


def test_redis_forgetting_the_script_costs_one_reload_not_a_count():
    first = LookupCount(request())
    first.over_limit()
    cache_redis().script_flush()
    again = LookupCount(request())
    assert again.over_limit() is False and again.count == first.count + 1


def test_redis_dropping_the_kept_connection_costs_no_lookup_and_no_count():
    # A Redis restart (or a proxy's idle timeout) closes the thread's kept connection: the
    # next count goes over a new one, once.
    first = LookupCount(request())
    first.over_limit()
    assert cache_redis().client_kill_filter(_type="normal", skipme=True) >= 1
    again = LookupCount(request())
    assert again.over_limit() is False and again.count == first.count + 1


def test_the_count_expires_with_its_minute():
    counted = LookupCount(request())
    counted.over_limit()
    client = cache_redis()
    keys = client.keys("*public-lookups:10.1.2.3:*")
    assert len(keys) == 1 and 60 <= client.ttl(keys[0]) <= 70
    cache.clear()


def test_a_lookup_is_one_redis_command_in_djangos_own_cache_keys(client):
    # bench/bench_status_page.py: each round trip and system call is paid per lookup.
    LookupCount(request()).over_limit()  # the thread's connection is open, the script loaded
    admin = cache_redis()
    admin.config_resetstat()
    page = client.get("/tra-cuu/", {"ma": "H50.22.02-261124-0001", "kt": "ABCDEF"})
    assert page.status_code == 200
    commands = {
        name.removeprefix("cmdstat_"): value["calls"]
        for name, value in admin.info("commandstats").items()
        if name not in ("cmdstat_info", "cmdstat_config|resetstat")
    }
    # One command from the portal; INCR and (the window's first hit) EXPIRE run inside it.
    assert commands == {"evalsha": 1, "incr": 1, "expire": 1}
    # The key is Django's (prefix, version): the cache's own clear() resets the counts.
    assert len(admin.keys(cache.make_key("public-lookups:127.0.0.1:*"))) == 1
    cache.clear()
    assert admin.keys(cache.make_key("public-lookups:*")) == []


def test_the_counter_logs_in_and_picks_the_database_of_the_url():
    base = settings.CACHES["default"]["LOCATION"].rsplit("/", 1)[0]
    admin, other_db = cache_redis(), redis.Redis.from_url(f"{base}/5")
    admin.acl_setuser("counter", enabled=True, passwords=["+s3cret"], keys=["*"],
                      categories=["+@all"])  # fmt: skip
    url = base.replace("redis://", "redis://counter:s3cret@") + "/5"
    counter, wrong = RedisCounter(url), RedisCounter(url.replace("s3cret", "wrong"))
    try:
        counter.send(b"auth-test", 70)
        assert counter.read() == 1
        assert other_db.get("auth-test") == b"1" and 60 <= other_db.ttl("auth-test") <= 70
        with pytest.raises(Exception, match="WRONGPASS"):
            wrong.send(b"auth-test", 70)
        assert wrong.sock is None  # a failed login leaves no half-open connection behind
    finally:
        counter.close()
        admin.acl_deluser("counter")
        other_db.flushdb()


def test_a_redis_that_never_answers_fails_the_count_after_the_timeout(monkeypatch):
    import socket
    import time

    monkeypatch.setattr("dossiers.ratelimit.TIMEOUT_S", 1)
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        counter = RedisCounter(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        counter.send(b"k", 70)
        started = time.monotonic()
        with pytest.raises(TimeoutError):
            counter.read()
        assert 0.9 <= time.monotonic() - started < 3 and counter.sock is None


def test_tls_and_other_locations_count_through_djangos_cache():
    assert RedisCounter.serves("redis://127.0.0.1:6379/2")
    assert RedisCounter.serves("unix:///run/redis.sock?db=2")
    assert not RedisCounter.serves("rediss://cache.example:6380/2")
    assert not RedisCounter.serves(["redis://a:6379/2", "redis://b:6379/2"])


def test_each_thread_keeps_its_own_counter():
    import threading

    location = settings.CACHES["default"]["LOCATION"]
    mine, theirs = _counter(location), []
    thread = threading.Thread(target=lambda: theirs.append(_counter(location)))
    thread.start()
    thread.join()
    assert _counter(location) is mine and theirs[0] is not mine


def headers_of(response=None):
    middleware = CSPMiddleware(lambda r: response or HttpResponse("x"))
    return middleware(request())


def directives(header):
    return {part.strip() for part in header.split(";")}


def test_the_kept_header_is_django_csps_own():
    from csp.utils import build_policy

    assert directives(headers_of()["Content-Security-Policy"]) == directives(build_policy())
    assert directives(headers_of()["Content-Security-Policy"]) == directives(build_policy())


def test_the_header_follows_the_settings():
    policy = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=policy):
        assert headers_of()["Content-Security-Policy"] == "default-src 'none'"
    assert "default-src 'self'" in headers_of()["Content-Security-Policy"]


def test_a_view_of_its_own_policy_takes_django_csps_path():
    response = HttpResponse("x")
    response._csp_update = {"img-src": ["https://maps.example"]}
    assert "https://maps.example" in headers_of(response)["Content-Security-Policy"]
