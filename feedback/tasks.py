"""Celery tasks of the feedback app: thin, they call the escalation service."""

from celery import shared_task

from core import work
from core.queue import enqueue

from .models import LeaderAlert
from .services.escalation import alerts_due_for_sweep, deliver_alert, escalate_overdue


@shared_task(name="feedback.escalate_overdue", acks_late=True, time_limit=120)
def escalate_overdue_task() -> int:
    """Celery beat: mark the PAKN past their deadline and tell their units' leaders (each PAKN
    once, each leader once: services.escalation.escalate_overdue); then enqueue again the
    alerts whose task was lost."""
    escalated = escalate_overdue()
    ids = alerts_due_for_sweep()
    enqueue("feedback.send_alert", [(pk,) for pk in ids], what="PAKN alerts")
    return escalated


@shared_task(
    name="feedback.send_alert",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=LeaderAlert.MAX_ATTEMPTS - 1,
    time_limit=60,
    soft_time_limit=45,
)
def send_alert(self, alert_id: int) -> str:
    """Send one leader alert (idempotent: a sent alert is skipped); a failure retries with the
    row's backoff, at most MAX_ATTEMPTS attempts in all."""
    outcome = deliver_alert(alert_id)
    if outcome == "failed" and not self.request.is_eager:
        countdown = work.retry_in(LeaderAlert.objects.filter(pk=alert_id))
        if countdown is not None:
            raise self.retry(countdown=countdown)
    return outcome
