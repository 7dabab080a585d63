"""Celery tasks of the feedback app: thin, they call the escalation service."""

from celery import shared_task

from core import work
from core.queue import enqueue

from .models import AnswerNotice, LeaderAlert
from .services.escalation import alerts_due_for_sweep, deliver_alert, escalate_overdue
from .services.notices import deliver_notice, notices_due_for_sweep


@shared_task(name="feedback.escalate_overdue", acks_late=True, time_limit=120)
def escalate_overdue_task() -> int:
    """Celery beat: mark the PAKN past their deadline and tell their units' leaders (each PAKN
    once, each leader once: services.escalation.escalate_overdue); then enqueue again the
    alerts and the senders' notices whose task was lost."""
    escalated = escalate_overdue()
    ids = alerts_due_for_sweep()
    enqueue("feedback.send_alert", [(pk,) for pk in ids], what="PAKN alerts")
    notices = notices_due_for_sweep()
    enqueue("feedback.send_notice", [(pk,) for pk in notices], what="PAKN notices")
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
    return _deliver(self, deliver_alert, LeaderAlert, alert_id)


@shared_task(
    name="feedback.send_notice",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=AnswerNotice.MAX_ATTEMPTS - 1,
    time_limit=60,
    soft_time_limit=45,
)
def send_notice(self, notice_id: int) -> str:
    """Tell the sender their PAKN was answered (idempotent: a sent notice is skipped); a
    failure retries with the row's backoff."""
    return _deliver(self, deliver_notice, AnswerNotice, notice_id)


def _deliver(task, deliver, model, pk) -> str:
    """``deliver(pk)``; a failed send is retried by ``task`` when the row's backoff says when
    (run eagerly, in a request, it is not retried in place)."""
    outcome = deliver(pk)
    if outcome == "failed" and not task.request.is_eager:
        countdown = work.retry_in(model.objects.filter(pk=pk))
        if countdown is not None:
            raise task.retry(countdown=countdown)
    return outcome
