"""How the tests start a real Celery worker: its command line and its environment (the
session's default/reports worker in conftest.py, the OCR fault tests' workers)."""

import os
import sys

from django.conf import settings
from django.db import connection


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
