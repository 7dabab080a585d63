"""The public site's plumbing under the status page: the per-client count (django-ratelimit
in the ``limits`` cache, which outlives a Redis outage), the cached Content-Security-Policy
header."""

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from bacyen_portal.csp import CSPMiddleware
from core.cache import LimitsCache
from dossiers.ratelimit import public_rate_limited

pytestmark = pytest.mark.django_db


def request(address="10.1.2.3"):
    return RequestFactory().get("/tra-cuu/", REMOTE_ADDR=address)


def test_counts_add_up_per_client_and_stop_at_the_limit():
    limit = settings.PUBLIC_LOOKUPS_PER_MINUTE
    results = [public_rate_limited(request()) for _ in range(limit + 1)]
    assert results == [False] * limit + [True]
    assert public_rate_limited(request("10.9.9.9")) is False


def test_the_limits_count_in_redis_through_djangos_cache():
    public_rate_limited(request())
    client = redis.Redis.from_url(settings.CACHES["limits"]["LOCATION"])
    keys = client.keys("*")
    assert len(keys) == 1 and client.get(keys[0]) == b"1"  # django-ratelimit's one counter
    assert isinstance(caches["limits"], LimitsCache)


def test_a_redis_outage_counts_in_this_process_and_logs_once(caplog):
    limits = LimitsCache("redis://127.0.0.1:1/0", {})  # nothing listens on port 1
    assert limits.add("k", 0, 60) is True and limits.incr("k") == 1 and limits.incr("k") == 2
    assert limits.get_many(["k"]) == {"k": 2}
    assert caplog.text.count("Redis unreachable") == 1


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


@pytest.mark.parametrize("where", ["redis", "fallback"])
def test_counted_tries_are_given_back_but_an_expired_counter_is_not_made_again(where):
    from core.cache import give_back, read_and_count

    limits = caches["limits"] if where == "redis" else LimitsCache("redis://127.0.0.1:1/0", {})
    limits.set("lock", 12.5, 60)
    counted = read_and_count(limits, ["lock", "none"], {"a": 60, "b": 60})
    assert counted == ({"lock": 12.5}, {"a": 1, "b": 1})
    assert read_and_count(limits, [], {"a": 60}) == ({}, {"a": 2})
    give_back(limits, ["a", "b"])
    assert limits.get_many(["a", "b"]) == {"a": 1, "b": 0}
    limits.delete("a")  # expired meanwhile
    give_back(limits, ["a"])
    assert limits.get("a") is None


def test_the_guard_counts_the_client_in_django_ratelimits_own_counter(client):
    from django_ratelimit.core import get_usage

    from dossiers.ratelimit import KINDS, rate_key

    for _ in range(3):  # well-formed (counted with the guard's counters) and malformed
        client.get("/tra-cuu/", {"ma": "H50.22.02-260101-0001", "kt": "AAAAAA"})
    client.get("/tra-cuu/", {"ma": "WRONG", "kt": "1"})
    usage = get_usage(
        request(address="127.0.0.1"),
        group="public-lookups",
        key=rate_key,
        rate=KINDS["public-lookups"],
        increment=False,
    )
    assert usage["count"] == 4 and usage["limit"] == settings.PUBLIC_LOOKUPS_PER_MINUTE
