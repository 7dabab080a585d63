"""Celery tasks of the integrations app: thin, load ids, call a service."""

from celery import shared_task

from core.queue import enqueue

from . import sync


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
