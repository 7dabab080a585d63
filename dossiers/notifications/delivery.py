"""Sending outbox rows, and finding the rows the sweeper must enqueue again."""

from django.db import transaction
from django.utils import timezone

from core import work

from ..models import Notification
from .channels import channel_for

State = Notification.State
MAX_ATTEMPTS = Notification.MAX_ATTEMPTS


def deliver(notification_id: int) -> str:
    """Send one row unless it is sent, being sent, or out of attempts; returns its state after
    (``sent`` / ``queued`` for a channel without a gateway / ``failed``), or ``skipped``.

    The row is claimed (core.work.claim) and stays locked while the channel sends, so two
    tasks for the same row (the task and the sweeper's) never send it twice; a worker killed
    mid-send rolls back to the previous state and the message is sent again later (at least
    once, never lost). A failure waits for its retry (core.work.fail)."""
    with transaction.atomic():
        rows = Notification.objects.filter(pk=notification_id, attempts__lt=MAX_ATTEMPTS)
        if not work.claim(rows):
            return "skipped"
        row = Notification.objects.get(pk=notification_id)
        channel = channel_for(row.channel)
        try:
            delivered_by = channel.send(row)[:80]
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded
            return work.fail(row, f"{type(exc).__name__}: {exc}")
        sent = Notification.objects.filter(pk=notification_id)
        if not getattr(channel, "reaches_recipient", True):
            # Done as work (not claimed again), but honest: written down, not sent.
            work.finish(sent, delivered_by=delivered_by, state=State.QUEUED)
            return State.QUEUED
        work.finish(sent, sent_at=timezone.now(), delivered_by=delivered_by)
        return State.SENT


def retry_in(notification_id: int) -> float | None:
    """Seconds until the failed row's next attempt; None when it has none left."""
    return work.retry_in(Notification.objects.filter(pk=notification_id))


def due_for_sweep(now=None, limit=500) -> list[int]:
    """Rows pending for more than a minute (their task was never enqueued or was lost), and
    failed rows with attempts left whose retries were lost; oldest first."""
    due = work.due_for_sweep(Notification, now=now)
    return list(due.order_by("queued_at").values_list("pk", flat=True)[:limit])
