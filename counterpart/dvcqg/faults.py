"""The fault the counterpart is told to play (control/faults), kept in its SQLite file.

Modes, for each of the next ``count`` requests to the integration endpoint (all of them when
count is null) whose service is in ``services`` (any service when empty; LayToken only when
named there):

- ``error_500``: answer HTTP 500, record nothing;
- ``timeout``: record the message as usual, then sleep ``delay_seconds`` (30 by default,
  longer than the client waits) before answering: the client gives up although the platform
  has the message, so its resend must come back as a duplicate;
- ``slow``: sleep ``delay_seconds`` (2 by default), then handle the request as usual;
- ``duplicate_ack``: record the message as usual but answer ``"duplicate": true`` (the
  platform says it already had it);
- ``reject``: record nothing, answer ``error_code`` 2 "Dữ liệu không hợp lệ (mô phỏng)".
"""

from dataclasses import dataclass

from django.db import transaction

from .models import Fault

DEFAULT_DELAYS = {"timeout": 30.0, "slow": 2.0}


@dataclass(frozen=True)
class Playing:
    mode: str
    delay: float


NOTHING = Playing(Fault.NONE, 0.0)


def set_fault(mode, count=None, delay_seconds=None, services=None) -> Fault:
    if mode not in Fault.MODES:
        raise ValueError(f"Chế độ lỗi «{mode}» không có; chọn một trong: {', '.join(Fault.MODES)}")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError("count phải là số nguyên dương, hoặc null (đến khi đặt lại)")
    if services is not None and not (
        isinstance(services, list) and all(isinstance(s, str) for s in services)
    ):
        raise ValueError("services phải là danh sách tên dịch vụ")
    delay = DEFAULT_DELAYS.get(mode, 0.0) if delay_seconds is None else float(delay_seconds)
    if delay < 0:
        raise ValueError("delay_seconds không được âm")
    fault, _ = Fault.objects.update_or_create(
        pk=1,
        defaults={
            "mode": mode,
            "remaining": count,
            "delay_seconds": delay,
            "services": services or [],
        },
    )
    return fault


def clear():
    Fault.objects.all().delete()


def take(service: str) -> Playing:
    """The fault this request plays (consuming one of its count), or NOTHING."""
    with transaction.atomic():
        fault = Fault.objects.select_for_update().filter(pk=1).first()
        if fault is None or fault.mode == Fault.NONE:
            return NOTHING
        if fault.services and service not in fault.services:
            return NOTHING
        if not fault.services and service == "LayToken":
            return NOTHING
        playing = Playing(fault.mode, fault.delay_seconds)
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                fault.mode = Fault.NONE
            fault.save(update_fields=["remaining", "mode"])
        return playing


def describe() -> dict:
    fault = Fault.objects.filter(pk=1).first()
    if fault is None:
        return {"mode": Fault.NONE, "count": None, "delay_seconds": 0.0, "services": []}
    return {
        "mode": fault.mode,
        "count": fault.remaining,
        "delay_seconds": fault.delay_seconds,
        "services": fault.services,
    }
