"""The guard in front of every public look-up by dossier code and second factor: the status
page and API, the rating page and API, the online supplement page (and any later page that
takes a code and factor). Pages and API call :func:`look_up`; nothing reads a dossier by code
and factor around it.

Dossier codes are sequential by law (TT 03/2025/TT-VPCP Điều 13: the agency's code, the day,
the day's sequence), so a neighbour's code is easy to guess and the second factor carries the
whole secret. Three limits, all counted in the ``limits`` cache:

1. **per client**: look-ups per minute per address, one counter for pages and API
   (:mod:`dossiers.ratelimit`);
2. **per dossier, whatever the address**: ``PUBLIC_FACTOR_FAILURES`` wrong factors lock the
   code's public look-up for ``PUBLIC_LOCK_MINUTES`` (the right factor is refused too while
   locked); a clerk of the receiving unit can lift the lock from the dossier page;
3. **the phone path**: the last four digits of the phone (10,000 values) is the weaker factor,
   closed for the code after ``PUBLIC_PHONE_FAILURES`` wrong tries in 24 hours; the printed
   check code (6 characters of 31: about 8.9e8 values) keeps working.

Codes that do not exist are counted and locked exactly like real ones, so the answers never
tell whether a code exists. A wrong factor for a real dossier is written to the audit trail
with the dossier's unit, which the dossier page shows.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches

from core.cache import give_back, read_and_count

from .models import AuditEvent, Dossier
from .public_lookup import clean, is_phone_factor
from .ratelimit import TOO_MANY, client_counter, public_rate_limited
from .services.audit import record

NOT_FOUND = (
    "Không tìm thấy hồ sơ với mã và thông tin xác nhận đã nhập. Kiểm tra lại mã hồ sơ và mã "
    "tra cứu in trên Giấy tiếp nhận (hoặc 4 số cuối điện thoại đã đăng ký)."
)
LOCKED = (
    "Tra cứu trực tuyến hồ sơ này đang tạm khóa vì thông tin xác nhận đã bị nhập sai nhiều lần. "
    "Ông/bà vui lòng thử lại sau {minutes} phút, hoặc mang Giấy tiếp nhận và giấy tờ tùy thân đến "
    "Bộ phận Một cửa nơi nộp hồ sơ để được mở khóa ngay."
)
PHONE_LOCKED = (
    "Đã nhập sai 4 số cuối điện thoại quá số lần cho phép trong ngày. Ông/bà vui lòng tra cứu "
    "bằng mã tra cứu in trên Giấy tiếp nhận, hoặc liên hệ Bộ phận Một cửa nơi nộp hồ sơ."
)
PHONE_DAY_S = 24 * 3600
CHECK, PHONE = "check", "phone"


@dataclass(slots=True)
class Guarded:
    """What a look-up gives the page or API: the dossier read, or an error and its status."""

    found: object = None
    error: str = ""
    status: int = 200
    retry_after: int = 0


def _cache():
    return caches["limits"]


def _too_many():
    return Guarded(error=TOO_MANY, status=429, retry_after=60)


def _keys(code):
    return {
        "failures": f"public-factor-failures:{code}",
        "lock": f"public-factor-lock:{code}",
        "phone_failures": f"public-phone-failures:{code}",
        "phone_lock": f"public-phone-lock:{code}",
    }


def look_up(request, code, factor, read) -> Guarded:
    """``read(code, factor)`` (a query of :mod:`dossiers.public_lookup`) behind the three limits.
    Malformed input is answered like a wrong factor, without a query."""
    cleaned = clean(code, factor)
    if cleaned is None:
        if public_rate_limited(request):  # counted for the client all the same
            return _too_many()
        return Guarded(error=NOT_FOUND, status=404)
    code, factor = cleaned
    path = PHONE if is_phone_factor(factor) else CHECK
    keys, cache = _keys(code), _cache()
    # The try is counted as wrong before the read and given back if it was right: requests
    # arriving together cannot all pass the lock's check before one of them sets the lock.
    # The client's count (django-ratelimit's counter), the locks' read and the try's count
    # make one round trip to Redis; giving the try back makes one more.
    tries = {keys["failures"]: settings.PUBLIC_LOCK_MINUTES * 60}
    if path == PHONE:
        tries[keys["phone_failures"]] = PHONE_DAY_S
    client = client_counter(request, "public-lookups")
    counters = {client.key: client.ttl, **tries} if client is not None else tries
    until, counts = read_and_count(cache, _lock_keys(keys, path), counters)
    if client is not None and counts[client.key] > client.limit:
        refused = _too_many()
    else:
        refused = _refusal(keys, until)
    if refused is not None:
        give_back(cache, tries)
        return refused
    failures = counts[keys["failures"]]
    phone_failures = counts[keys["phone_failures"]] if path == PHONE else 0
    over = failures > settings.PUBLIC_FACTOR_FAILURES or (
        path == PHONE and phone_failures > settings.PUBLIC_PHONE_FAILURES
    )
    if over:  # the request that reached the limit is setting the lock
        give_back(cache, tries)
        return _locked(code, path) or Guarded(error=NOT_FOUND, status=404)
    found = read(code, factor)
    if found is not None:
        give_back(cache, tries)
        return Guarded(found=found)
    _failed(request, code, path, failures, phone_failures)
    return Guarded(error=NOT_FOUND, status=404)


def _lock_keys(keys, path):
    return [keys["lock"]] + ([keys["phone_lock"]] if path == PHONE else [])


def _locked(code, path) -> Guarded | None:
    keys = _keys(code)
    return _refusal(keys, _cache().get_many(_lock_keys(keys, path)))


def _refusal(keys, until) -> Guarded | None:
    """The answer while the code (or its phone path) is locked, from the locks' expiry times
    ``until`` (a ``get_many`` of them); None when neither is."""
    now = time.time()
    if until.get(keys["lock"], 0) > now:
        left = int(until[keys["lock"]] - now) + 1
        return Guarded(error=LOCKED.format(minutes=-(-left // 60)), status=429, retry_after=left)
    if until.get(keys["phone_lock"], 0) > now:
        return Guarded(
            error=PHONE_LOCKED, status=429, retry_after=int(until[keys["phone_lock"]] - now) + 1
        )
    return None


def _failed(request, code, path, failures, phone_failures):
    """A wrong factor for ``code``, already counted: lock the code (or its phone path) at the
    limit; audit it when the dossier exists."""
    keys, cache = _keys(code), _cache()
    lock_s = settings.PUBLIC_LOCK_MINUTES * 60
    locked = failures >= settings.PUBLIC_FACTOR_FAILURES
    if locked:
        cache.set(keys["lock"], time.time() + lock_s, lock_s)
    phone_locked = path == PHONE and phone_failures >= settings.PUBLIC_PHONE_FAILURES
    if phone_locked:
        cache.set(keys["phone_lock"], time.time() + PHONE_DAY_S, PHONE_DAY_S)
    dossier = (
        Dossier.objects.filter(code=code)
        .select_related("receiving_unit")
        .only("pk", "code", "receiving_unit")
        .first()
    )
    if dossier is not None:
        record(
            AuditEvent.Kind.SECURITY,
            "public.factor_failed",
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data={
                "path": path,
                "failures": failures,
                "locked": locked,
                "phone_locked": phone_locked,
            },
        )


@dataclass(slots=True)
class LockState:
    """The public look-up's state of one dossier, for its unit's staff."""

    failures: int
    locked_until: float | None
    phone_locked_until: float | None

    @property
    def locked(self):
        return bool(self.locked_until or self.phone_locked_until)

    @property
    def locked_until_at(self):
        return _moment(self.locked_until)

    @property
    def phone_locked_until_at(self):
        return _moment(self.phone_locked_until)


def _moment(timestamp):
    return datetime.fromtimestamp(timestamp, tz=UTC) if timestamp else None


def lock_state(code) -> LockState:
    keys = _keys(code)
    values = _cache().get_many(list(keys.values()))
    now = time.time()

    def until(key):
        value = values.get(keys[key])
        return value if value and value > now else None

    return LockState(
        failures=int(values.get(keys["failures"]) or 0),
        locked_until=until("lock"),
        phone_locked_until=until("phone_lock"),
    )


def unlock(code):
    """Lift every lock and forget the wrong tries of ``code`` (the service audits it)."""
    _cache().delete_many(list(_keys(code).values()))
