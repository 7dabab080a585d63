"""Dedicated OCR workers for the fault tests (`celery worker -Q ocr`, one process, prefetch 1,
OMP_THREAD_LIMIT=1 as production runs it, tests.workers.DedicatedWorker), and a Redis of the
test's own to stop and start."""

import subprocess
import time

import pytest
from django.conf import settings

from .workers import DedicatedWorker, free_port, purge_queue


def reset_broker_connections():
    """Forget this process's pooled broker connections (dead after a Redis restart)."""
    from bacyen_portal.celery import app

    # Dropped, not closed: the control mailbox still refers to the producer pool lazily.
    app._pool = None
    app.amqp._producer_pool = None


class OwnRedis:
    """A Redis of the test's own on a free port, to stop and start again at will without
    disturbing the session's broker."""

    def __init__(self, folder):
        self.port = free_port()
        self.folder = folder
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            ping = subprocess.run(
                ["redis-cli", "-p", str(self.port), "ping"], capture_output=True, text=True
            )
            if "PONG" in ping.stdout:
                return self
            time.sleep(0.1)
        raise RuntimeError("Redis did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)


@pytest.fixture
def ocr_workers():
    """Start OCR workers for a test (``ocr_workers(**options)``); all stopped at its end."""
    purge_queue("ocr")
    started = []

    def start(lease_seconds=6, broker_url=None):
        worker = DedicatedWorker("ocr", broker_url=broker_url, OCR_LEASE_SECONDS=str(lease_seconds))
        started.append(worker)
        return started[-1].start()

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def own_broker(tmp_path, monkeypatch):
    """This process and the test's workers on a Redis of the test's own (stopped at will, or
    kept from the session's workers)."""
    redis = OwnRedis(tmp_path).start()
    monkeypatch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads it before settings
    reset_broker_connections()
    yield redis
    redis.stop()
    monkeypatch.setenv("CELERY_BROKER_URL", settings.CELERY_BROKER_URL)
    reset_broker_connections()
