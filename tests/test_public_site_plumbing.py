"""The public site's plumbing under the status page: the per-client count in Redis (sent
before the query, read after it), the cached Content-Security-Policy header."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from bacyen_portal.csp import CSPMiddleware
from dossiers.ratelimit import LookupCount, _connection

pytestmark = pytest.mark.django_db


def request(address="10.1.2.3"):
    return RequestFactory().get("/tra-cuu/", REMOTE_ADDR=address)


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
    _connection(settings.CACHES["default"]["LOCATION"]).script_flush()
    again = LookupCount(request())
    assert again.over_limit() is False and again.count == first.count + 1


def test_the_count_expires_with_its_minute():
    counted = LookupCount(request())
    counted.over_limit()
    client = _connection(settings.CACHES["default"]["LOCATION"])
    keys = client.keys("*public-lookups:10.1.2.3:*")
    assert len(keys) == 1 and 60 <= client.ttl(keys[0]) <= 70
    cache.clear()


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
