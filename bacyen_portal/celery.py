"""The portal's one Celery app.

Tasks are named ``<app>.<verb_object>`` and routed to the ``ocr``, ``default`` and ``reports``
queues by name (settings.CELERY_TASK_ROUTES). Without a broker (embedded mode) tasks run
in-process, eagerly, right after the enqueuing transaction commits.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bacyen_portal.settings")

app = Celery("bacyen_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
