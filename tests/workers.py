"""How the tests start a real Celery worker: its command line and its environment (the
session's default/reports worker in conftest.py), and a dedicated worker on one queue that a
test may kill with SIGKILL and start again (the OCR fault tests, the national outbox)."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.db import connection


def free_port() -> int:
    """A TCP port nobody listens on, on loopback, for a process a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def worker_env(**extra):
    """The environment of a test worker: this process's, reading the test database, one
    Tesseract thread (as production runs it)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ, OMP_THREAD_LIMIT="1", **extra)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}"
    )
    return env


def worker_command(queues, hostname):
    """`celery worker` on ``queues``, one process, prefetch 1, no gossip or mingle."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "bacyen_portal",
        "worker",
        "-Q",
        queues,
        "--concurrency",
        "1",
        "--prefetch-multiplier",
        "1",
        "--hostname",
        hostname,
        "--without-gossip",
        "--without-mingle",
        "-l",
        "info",
    ]


class DedicatedWorker:
    """`celery worker -Q <queue>` in its own process group, so that SIGKILL takes the pool
    child (and its Tesseract) with it; its log in VAR_DIR."""

    count = 0

    def __init__(self, queue, *, broker_url=None, **env):
        DedicatedWorker.count += 1
        self.queue = queue
        self.hostname = f"{queue}{DedicatedWorker.count}@%h"
        self.broker_url = broker_url
        self.env = env
        self.proc = None
        self.log_path = settings.VAR_DIR / f"{queue}-worker-{DedicatedWorker.count}.log"

    @property
    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def start(self):
        if self.running:
            return self
        env = worker_env(**self.env)
        if self.broker_url:
            env["CELERY_BROKER_URL"] = self.broker_url
        settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
        start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "a") as log:
            self.proc = subprocess.Popen(
                worker_command(self.queue, self.hostname),
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        # Ready when its log says so (a control ping would ride this process's broker
        # connections, which the outage tests replace).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.queue} worker exited; see {self.log_path}")
            with open(self.log_path, errors="replace") as log:
                log.seek(start)
                if " ready." in log.read():
                    return self
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"{self.queue} worker did not start within 60 s")

    def kill(self):
        """SIGKILL the whole group: no clean-up of any kind (the group outlives the master
        when the master goes first)."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.proc = None

    def stop(self):
        if self.running:
            os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=20)
        self.kill()


def purge_queue(name):
    """Drop the messages earlier tests left on a queue (they name rows that are gone)."""
    from bacyen_portal.celery import app

    with app.connection_for_write() as conn:
        with contextlib.suppress(Exception):  # the queue may not exist yet
            conn.default_channel.queue_purge(name)
