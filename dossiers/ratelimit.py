"""Per-client limits of the public site, counted with django-ratelimit in the ``limits`` cache
(Redis in full mode, shared by every process and host; memory in the embedded mode's one
process; see bacyen_portal/cache.py for a Redis outage).

One counter per kind of work, the same for the pages and the API: a client's look-ups by code
and factor (status, rating, supplement, stop) per minute, and its online submissions per hour.
The per-dossier guard against guessing a factor is :mod:`dossiers.public_guard`; it counts a
look-up's client with its own counters in one round trip to Redis (:func:`client_counter`).
"""

from dataclasses import dataclass

from django.conf import settings
from django_ratelimit import ALL
from django_ratelimit.core import (
    EXPIRATION_FUDGE,
    _get_window,
    _make_cache_key,
    _split_rate,
    get_usage,
)
from rest_framework.throttling import BaseThrottle

from .services.audit import rate_key

TOO_MANY = "Ông/bà đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."
TOO_MANY_SUBMISSIONS = (
    "Ông/bà đã nộp quá nhiều hồ sơ trực tuyến trong một giờ. Vui lòng thử lại sau, hoặc liên hệ "
    "Bộ phận Một cửa."
)


def _lookups_rate(group, request):
    return f"{settings.PUBLIC_LOOKUPS_PER_MINUTE}/m"


def _submissions_rate(group, request):
    return f"{settings.PUBLIC_SUBMISSIONS_PER_HOUR}/h"


KINDS = {  # group: the rate's callable
    "public-lookups": _lookups_rate,
    "online-submissions": _submissions_rate,
}


def count(request, group):
    """Count one request of ``group`` for this client now: django-ratelimit's usage dict
    (``should_limit`` once past the limit, ``time_left`` in seconds)."""
    return get_usage(request, group=group, key=rate_key, rate=KINDS[group], increment=True)


def public_rate_limited(request) -> bool:
    """Count one public look-up for this client now; True once past the minute's limit."""
    return count(request, "public-lookups")["should_limit"]


def submissions_limited(request) -> bool:
    """Count one online submission for this client; True once past the hour's limit."""
    return count(request, "online-submissions")["should_limit"]


@dataclass(slots=True)
class Counter:
    """One of django-ratelimit's counters: its cache key, expiry (seconds) and limit."""

    key: str
    ttl: int
    limit: int


def client_counter(request, group) -> Counter | None:
    """The counter :func:`count` counts this client's request of ``group`` in — the same key,
    expiry and limit, made by django-ratelimit's own helpers as ``get_usage`` makes them — for
    a caller that counts it along with other counters in one round trip (the public guard).
    None when django-ratelimit is switched off (``RATELIMIT_ENABLE``). The count is over the
    limit when it passes ``limit``, as ``get_usage`` says."""
    if not getattr(settings, "RATELIMIT_ENABLE", True):
        return None
    rate = KINDS[group](group, request)
    limit, period = _split_rate(rate)
    value = rate_key(group, request)
    key = _make_cache_key(group, _get_window(value, period), rate, value, ALL)
    return Counter(key=key, ttl=period + EXPIRATION_FUDGE, limit=limit)


class SharedThrottle(BaseThrottle):
    """A DRF throttle on the pages' own counter (``group``), so that the API and the pages
    share one budget per client instead of one each."""

    group = ""

    def allow_request(self, request, view):
        usage = count(request, self.group)
        self.time_left = max(usage["time_left"], 1)
        return not usage["should_limit"]

    def wait(self):
        return self.time_left


class SubmissionThrottle(SharedThrottle):
    group = "online-submissions"
