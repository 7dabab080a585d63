"""Celery tasks of the dossiers app: thin, load ids, call the calendar, a service or the
notification delivery."""

import os
from datetime import datetime

from celery import shared_task

from core.queue import enqueue

from .calendar import due_for_procedure
from .models import Procedure
from .notifications.delivery import MAX_ATTEMPTS, deliver, due_for_sweep, retry_in
from .services.catalogue_rules import apply_revisions_due


@shared_task(name="dossiers.compute_appointment", acks_late=True, time_limit=30, soft_time_limit=25)
def compute_appointment(procedure_id: int, received_at: str) -> dict:
    """The appointment of a dossier of this procedure received at ``received_at`` (ISO 8601).

    Read-only and idempotent; answers with the worker's process id so a caller can tell the
    work really left its own process.
    """
    procedure = Procedure.objects.get(pk=procedure_id)
    due = due_for_procedure(procedure, datetime.fromisoformat(received_at))
    return {"due_at": due.isoformat(), "worker_pid": os.getpid()}


@shared_task(
    name="dossiers.send_notification",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_ATTEMPTS - 1,
    time_limit=60,
    soft_time_limit=45,
)
def send_notification(self, notification_id: int) -> str:
    """Send one outbox row (idempotent: a sent row is skipped). A failure is recorded on the
    row with its next attempt's time (backoff with jitter, core.work.fail), when this task
    retries, at most MAX_ATTEMPTS attempts in all; run eagerly (embedded mode, in the clerk's
    request) it is not retried in place."""
    outcome = deliver(notification_id)
    if outcome == "failed" and not self.request.is_eager:
        countdown = retry_in(notification_id)
        if countdown is not None:
            raise self.retry(countdown=countdown)
    return outcome


@shared_task(name="dossiers.sweep_notifications", acks_late=True, time_limit=60)
def sweep_notifications() -> int:
    """Celery beat, every minute: enqueue again the rows still pending after a minute (the
    broker was down at commit, or the task was lost) and failed rows whose retries were lost."""
    ids = due_for_sweep()
    enqueue("dossiers.send_notification", [(pk,) for pk in ids], what="Notifications")
    return len(ids)


@shared_task(name="dossiers.apply_procedure_revisions", acks_late=True, time_limit=120)
def apply_procedure_revisions() -> int:
    """Celery beat, nightly: the catalogue's rules whose effective day has come become the
    procedures' own fields (services.catalogue_rules.apply_revisions_due; idempotent)."""
    return apply_revisions_due()
