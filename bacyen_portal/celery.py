"""The portal's one Celery app.

Tasks are named ``<app>.<verb_object>`` and routed to the ``ocr``, ``default`` and ``reports``
queues by name (settings.CELERY_TASK_ROUTES). Without a broker (embedded mode) tasks run
in-process, eagerly, right after the enqueuing transaction commits.
"""

import gc
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings")

app = Celery("bacyen_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def freeze_startup_objects(**kwargs):
    """What a worker process loaded to start (Django, the apps, their modules: some 150,000
    objects) lives as long as the process: frozen out of the garbage collector's reach, a
    collection during a task scans the task's own objects only. On the archive pass, whose
    batches make thousands of model instances, collections took 0.4 ms a package without
    this and under 0.1 ms with it (bench/bench_archive.py's set-up, 250 packages)."""
    gc.collect()
    gc.freeze()


# Workers beat per queue for /readyz (imported here: only a worker sends worker_ready).
from . import heartbeat  # noqa: E402, F401
