"""A real Celery worker on the ``national`` queue (the DVCQG outbox), which a test may kill
with SIGKILL mid-send and start again; and the test acting as Celery beat for its sweeper."""

import os
import signal
import socket
import subprocess
import time

import pytest
from django.conf import settings

from integrations.models import DossierSync

from .workers import worker_command, worker_env


class NationalWorker:
    def __init__(self):
        self.proc = None
        self.log_path = settings.VAR_DIR / "national-worker.log"

    def start(self):
        from bacyen_portal.celery import app

        if self.proc is not None and self.proc.poll() is None:
            return
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        name = f"national-{time.monotonic_ns()}@{socket.gethostname()}"
        log = open(self.log_path, "a")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(
            worker_command("national", name),
            cwd=settings.BASE_DIR,
            env=worker_env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool child dies with it
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"national worker exited; see {self.log_path}")
            if app.control.ping(destination=[name], timeout=0.5):
                return
        raise RuntimeError("national worker did not answer a ping within 60 s")

    def kill(self):
        """SIGKILL to the worker and its pool child: no clean-up of any kind."""
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        self.proc = None

    def stop(self):
        if self.proc is None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None


def purge_national_queue():
    """Drop the hand-overs other tests left on the ``national`` queue (their dossiers are gone)."""
    from bacyen_portal.celery import app

    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("national")


@pytest.fixture(scope="module")
def national_worker(django_db_setup, django_db_blocker, counterpart):
    """For the tests of one module only: a worker left running would touch the database while
    later transactional tests flush it (and deadlock with the flush)."""
    purge_national_queue()
    worker = NationalWorker()
    worker.start()
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
