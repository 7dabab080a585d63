"""Sending outbox rows, and finding the rows the sweeper must enqueue again."""

from core import work

from ..models import Notification
from .channels import channel_for

State = Notification.State
MAX_ATTEMPTS = Notification.MAX_ATTEMPTS


def deliver(notification_id: int) -> str:
    """Send one row through its channel (core.work.deliver: claimed and locked while it
    sends, never twice, a failure waits for its retry); returns its state after (``sent``,
    ``queued`` for a channel without a gateway, ``failed``), or ``skipped``."""
    return work.deliver(
        Notification,
        notification_id,
        lambda row: channel_for(row.channel).send(row),
        reaches=lambda row: getattr(channel_for(row.channel), "reaches_recipient", True),
    )


def retry_in(notification_id: int) -> float | None:
    """Seconds until the failed row's next attempt; None when it has none left."""
    return work.retry_in(Notification.objects.filter(pk=notification_id))


def due_for_sweep(now=None, limit=500) -> list[int]:
    """Rows pending for more than a minute (their task was never enqueued or was lost), and
    failed rows with attempts left whose retries were lost; oldest first."""
    due = work.due_for_sweep(Notification, now=now)
    return list(due.order_by("queued_at").values_list("pk", flat=True)[:limit])
