"""Celery tasks of the integrations app: thin, load ids, call a service."""

import logging
from datetime import date, timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from core.queue import enqueue

from . import postal, sync
from .dvcqg_inbound import PlatformUnavailable
from .inbound import pull_new
from .payment_reconciliation import reconcile

log = logging.getLogger(__name__)


@shared_task(name="integrations.send_national", acks_late=True, time_limit=300)
def send_national(sync_id: int) -> str:
    """Send one dossier's pending messages to DVCQG, in order (integrations.sync.deliver).
    A message that fails waits in the outbox for the sweeper; the task itself never retries
    (the row is the truth, and its backoff is the row's)."""
    return sync.deliver(sync_id)


@shared_task(name="integrations.sweep_national", acks_late=True, time_limit=60)
def sweep_national() -> int:
    """Celery beat, every 30 s: hand the dossiers whose messages wait to the worker again."""
    ids = sync.due_for_sweep()
    enqueue("integrations.send_national", [(pk,) for pk in ids], what="DVCQG sync")
    return len(ids)


@shared_task(name="integrations.pull_national_dossiers", acks_late=True, time_limit=300)
def pull_national_dossiers() -> dict:
    """Celery beat, every minute: take in the dossiers submitted on DVCQG (idempotent: one
    dossier per national code, whatever the number of runs). Nothing to do without
    DVCQG_BASE_URL; a platform that does not answer is tried again at the next run."""
    if not settings.DVCQG_BASE_URL:
        return {"skipped": "DVCQG_BASE_URL"}
    try:
        return pull_new()
    except PlatformUnavailable as error:
        log.warning("DVCQG pull not done: %s", error.message)
        return {"unavailable": error.message}


@shared_task(name="integrations.reconcile_payments", acks_late=True, time_limit=300)
def reconcile_payments(day: str | None = None) -> dict:
    """Celery beat, nightly (default queue): reconcile the fee payments of ``day`` (ISO date;
    yesterday by default) with the payment platform's statement; one row per day, replaced
    when run again, so a repeated run is harmless."""
    when = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
    row = reconcile(when)
    return {"day": when.isoformat(), "differences": len(row.differences), "error": row.error}


@shared_task(name="integrations.send_shipment", acks_late=True, time_limit=120)
def send_shipment(shipment_id: int) -> str:
    """Place one shipment order with the postal service (integrations.postal.send_shipment):
    never twice (the order code is the service's key); a fault waits in the row for the
    sweeper, a refusal waits for the clerk."""
    return postal.send_shipment(shipment_id)


@shared_task(name="integrations.sweep_shipments", acks_late=True, time_limit=60)
def sweep_shipments() -> int:
    """Celery beat, every 30 s: orders whose task was lost or whose retry came due."""
    ids = postal.due_shipments()
    enqueue("integrations.send_shipment", [(pk,) for pk in ids], what="postal orders")
    return len(ids)


@shared_task(name="integrations.pull_tracking", acks_late=True, time_limit=300)
def pull_tracking() -> dict:
    """Celery beat, every 10 minutes: the tracking of shipments on their way (beside the
    pushed updates); nothing to do without POST_BASE_URL."""
    if not settings.POST_BASE_URL:
        return {"skipped": "POST_BASE_URL"}
    return postal.pull_tracking()
