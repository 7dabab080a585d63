"""Sending outbox rows, and finding the rows the sweeper must enqueue again."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Notification
from .channels import channel_for

State = Notification.State
MAX_ATTEMPTS = 5
# A failed row whose task's retries were lost (worker killed between two attempts) is taken
# up again after this long: longer than the largest backoff of the task's own retries.
FAILED_RETAKE_AFTER = timedelta(minutes=15)
PENDING_AFTER = timedelta(minutes=1)


def deliver(notification_id: int) -> str:
    """Send one row unless it is sent, being sent, or out of attempts; returns its state after
    (``sent`` / ``failed``), or ``skipped``.

    The row stays locked while the channel sends, so two tasks for the same row (the task and
    the sweeper's) never send it twice; a worker killed mid-send rolls back to the previous
    state and the message is sent again later (at least once, never lost)."""
    with transaction.atomic():
        row = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, state__in=(State.PENDING, State.FAILED))
            .first()
        )
        if row is None or row.attempts >= MAX_ATTEMPTS:
            return "skipped"
        row.attempts += 1
        row.attempted_at = timezone.now()
        try:
            row.delivered_by = channel_for(row.channel).send(row)[:80]
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded
            row.state = State.FAILED
            row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        else:
            row.state, row.sent_at, row.last_error = State.SENT, timezone.now(), ""
        row.save(
            update_fields=["attempts", "attempted_at", "delivered_by", "state", "sent_at",
                           "last_error"]
        )  # fmt: skip
        return row.state


def may_retry(notification_id: int) -> bool:
    return Notification.objects.filter(
        pk=notification_id, state=State.FAILED, attempts__lt=MAX_ATTEMPTS
    ).exists()


def due_for_sweep(now=None, limit=500) -> list[int]:
    """Rows pending for more than a minute (their task was never enqueued or was lost), and
    failed rows with attempts left whose retries were lost; oldest first."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(
            Q(state=State.PENDING, created_at__lt=now - PENDING_AFTER)
            | Q(state=State.FAILED, attempts__lt=MAX_ATTEMPTS,
                attempted_at__lt=now - FAILED_RETAKE_AFTER)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )  # fmt: skip


def backoff_seconds(retries: int) -> int:
    """10 s, 20 s, 40 s, 80 s before attempts 2 to 5 (the task adds up to 5 s of jitter)."""
    return min(10 * 2**retries, 10 * 60)
