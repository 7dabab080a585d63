"""The fault the counterpart population database plays (control/faults), in its SQLite file:
``down`` answers HTTP 503 without looking anything up; ``slow`` sleeps ``delay_seconds``
(30 by default, longer than the portal waits) before answering as usual. ``count`` look-ups
play it (all of them while null)."""

from django.db import transaction

from .models import Fault

DEFAULT_DELAY = 30.0


def set_fault(mode, count=None, delay_seconds=None):
    if mode not in Fault.MODES:
        raise ValueError(f"Chế độ lỗi «{mode}» không có; chọn một trong: {', '.join(Fault.MODES)}")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError("count phải là số nguyên dương, hoặc null (đến khi đặt lại)")
    delay = DEFAULT_DELAY if delay_seconds is None else float(delay_seconds)
    Fault.objects.update_or_create(
        pk=1, defaults={"mode": mode, "remaining": count, "delay_seconds": max(delay, 0.0)}
    )


def take() -> tuple[str, float]:
    """(mode, delay) this look-up plays, consuming one of the fault's count."""
    with transaction.atomic():
        fault = Fault.objects.select_for_update().filter(pk=1).first()
        if fault is None or fault.mode == "none":
            return "none", 0.0
        playing = (fault.mode, fault.delay_seconds)
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                fault.mode = "none"
            fault.save(update_fields=["remaining", "mode"])
        return playing


def describe() -> dict:
    fault = Fault.objects.filter(pk=1).first() or Fault()
    return {"mode": fault.mode, "count": fault.remaining, "delay_seconds": fault.delay_seconds}
