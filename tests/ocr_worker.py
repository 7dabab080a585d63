"""A dedicated OCR worker for the fault tests: `celery worker -Q ocr`, one process, prefetch
1, OMP_THREAD_LIMIT=1 (as production runs it), in its own process group so SIGKILL takes the
pool child and its Tesseract with it."""

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.conf import settings

from .workers import worker_command, worker_env

ROOT = Path(__file__).resolve().parent.parent


class OcrWorker:
    count = 0

    def __init__(self, lease_seconds=6, broker_url=None):
        self.broker_url = broker_url
        OcrWorker.count += 1
        self.hostname = f"ocr{OcrWorker.count}@%h"
        self.lease_seconds = lease_seconds
        self.proc = None
        self.log = settings.VAR_DIR / f"ocr-worker-{OcrWorker.count}.log"

    def start(self):
        env = worker_env(OCR_LEASE_SECONDS=str(self.lease_seconds))
        if self.broker_url:
            env["CELERY_BROKER_URL"] = self.broker_url
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                worker_command("ocr", self.hostname),
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Ready when it says so in its log (a control ping would ride this process's broker
        # connections, which the outage test replaces).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"OCR worker exited; see {self.log}")
            if " ready." in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError("OCR worker did not answer within 60 s")

    def kill(self):
        """SIGKILL the whole group: the worker, its pool child, its Tesseract (the group
        outlives the master when the master goes first)."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        self.kill()


def purge_ocr_queue():
    """Messages left by earlier tests name rows that no longer exist; drop them."""
    from bacyen_portal.celery import app

    with app.connection_for_write() as conn:
        with contextlib.suppress(Exception):  # the queue may not exist yet
            conn.default_channel.queue_purge("ocr")


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
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        sock.close()
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
    purge_ocr_queue()
    started = []

    def start(**kwargs):
        started.append(OcrWorker(**kwargs))
        return started[-1].start()

    yield start
    for worker in started:
        worker.stop()
