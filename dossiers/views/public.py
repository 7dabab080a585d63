"""The public status page: no login, no JavaScript, light enough for a cheap phone on a slow
connection. Shows a dossier only to whoever holds its code and a second factor, and never
the applicant's ID number, address, phone or documents, nor staff names."""

import functools
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.template.loader import render_to_string

from .. import queries
from ..services.audit import rate_key
from ..workflow import PUBLIC_LABELS, PUBLIC_NOTES, PUBLIC_STEP_LABELS

NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập. Kiểm tra lại mã hồ sơ và mã "
    "tra cứu in trên Giấy tiếp nhận (hoặc 4 số cuối điện thoại đã đăng ký)."
)
TOO_MANY = "Ông/bà đã tra cứu quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại."


def public_steps(dossier):
    """(moment, label, unit name, note for the citizen) for each step so far."""
    steps = []
    for at, action, unit_name, note in queries.public_history(dossier):
        label = PUBLIC_STEP_LABELS.get(action)
        if label is None:
            continue
        unit = unit_name if unit_name and action in ("assign", "transfer") else ""
        steps.append((at, label, unit, note if action in PUBLIC_NOTES else ""))
    return steps


def status_context(dossier):
    late = dossier.is_late
    return {
        "dossier": dossier,
        "state_label": PUBLIC_LABELS[dossier.state],
        "steps": public_steps(dossier),
        "late": late,
    }


RATE_WINDOW_S = 60


# INCR, and EXPIRE on the window's first hit: one command, one round trip.
COUNT_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return n
"""


@functools.cache
def _count_hit(url):
    import redis

    return redis.Redis.from_url(url).register_script(COUNT_HIT)


def public_rate_limited(request) -> bool:
    """Count one public lookup for this client in the current minute (a fixed window); True
    once past PUBLIC_LOOKUPS_PER_MINUTE. On the shared Redis cache it is one round trip (a
    script: INCR, and EXPIRE on the window's first hit); a local cache counts in process."""
    window = int(time.time() // RATE_WINDOW_S)
    key = f"public-lookups:{rate_key(None, request)}:{window}"
    ttl = RATE_WINDOW_S + 10
    cache = caches["default"]
    location = settings.CACHES["default"].get("LOCATION", "")
    if isinstance(cache, RedisCache) and isinstance(location, str):
        count = _count_hit(location)(keys=[cache.make_and_validate_key(key)], args=[ttl])
    else:
        cache.add(key, 0, ttl)
        count = cache.incr(key)
    return count > settings.PUBLIC_LOOKUPS_PER_MINUTE


def status(request):
    code, factor = request.GET.get("ma", ""), request.GET.get("kt", "")
    context = {"code": code[:40], "factor": ""}
    status_code = 200
    if code or factor:
        if public_rate_limited(request):
            context["error"], status_code = TOO_MANY, 429
        else:
            dossier = queries.public_lookup(code, factor)
            if dossier is None:
                context["error"] = NOT_FOUND
            else:
                context.update(status_context(dossier))
    # No request context: the page uses none of the staff pages' context processors, and
    # skipping them is measurable at the status page's rate (bench/bench_status_page.py).
    return HttpResponse(render_to_string("public/status.html", context), status=status_code)
