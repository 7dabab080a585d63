"""A real Celery worker on the ``national`` queue (the DVCQG outbox), which a test may kill
with SIGKILL mid-send and start again; and the test acting as Celery beat for its sweeper."""

import time

import pytest

from integrations.models import DossierSync

from .workers import DedicatedWorker, purge_queue


def purge_national_queue():
    """Drop the hand-overs other tests left on the ``national`` queue (their dossiers are gone)."""
    purge_queue("national")


@pytest.fixture(scope="module")
def national_worker(django_db_setup, django_db_blocker, counterpart):
    """For the tests of one module only: a worker left running would touch the database while
    later transactional tests flush it (and deadlock with the flush)."""
    purge_national_queue()
    worker = DedicatedWorker("national").start()
    yield worker
    purge_national_queue()
    worker.stop()


def sweep_until_synced(dossier_ids, timeout=180, every=1.5):
    """Act as Celery beat (the sweeper task through the broker, to the real worker) until
    every dossier's sync is ``synced``; returns the states left when time ran out."""
    from core.queue import enqueue

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = (
            DossierSync.objects.filter(dossier_id__in=dossier_ids)
            .exclude(state=DossierSync.State.SYNCED)
            .count()
        )
        missing = (
            len(set(dossier_ids)) - DossierSync.objects.filter(dossier_id__in=dossier_ids).count()
        )
        if left == 0 and missing == 0:
            purge_national_queue()  # the sweeps still queued: nothing is left for them
            time.sleep(0.5)  # one already taken ends before the test's flush
            return {}
        enqueue("integrations.sweep_national", [()], what="sweep")
        time.sleep(every)
    return dict(
        DossierSync.objects.filter(dossier_id__in=dossier_ids)
        .exclude(state=DossierSync.State.SYNCED)
        .values_list("dossier__code", "last_error")
    )
