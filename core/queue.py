"""The one way work is handed to Celery: by task name, with JSON arguments, after the
transaction that made the work commits (Zulip's ``queue_event_on_commit``).

Services call :func:`enqueue_on_commit` (or :func:`enqueue` outside a transaction: sweepers)
and never import a tasks module; tasks import services. Routing to the ``ocr``, ``default``
and ``reports`` queues is by name (settings.CELERY_TASK_ROUTES). Handing work over never
raises and never waits for a broker that is down (one connection attempt, no retry): the work
state stays in the database for the task's sweeper and the user's request carries on.
Without a broker (embedded mode) each task runs here, eagerly.
"""

import logging

from celery import current_app
from django.db import transaction

log = logging.getLogger(__name__)


def _task(name):
    """The registered task ``name``; the apps' tasks modules are imported the first time
    (Celery's autodiscovery runs at a worker's start, not in a web process)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def enqueue(name: str, arg_lists, *, what="tasks") -> bool:
    """Hand one message of task ``name`` per argument list to the broker now. True when every
    message was handed over."""
    arg_lists = [list(args) for args in arg_lists]
    try:
        task = _task(name)
        if current_app.conf.task_always_eager:
            for args in arg_lists:
                task.apply_async(args=args)
            return True
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=0)
            for args in arg_lists:
                task.apply_async(args=args, connection=connection, retry=False)
        return True
    except Exception:  # noqa: BLE001 - neither the broker nor an eager run may reach the user
        log.warning(
            "%s %s not enqueued now; the sweeper will pick them up", what, arg_lists, exc_info=True
        )
        return False


def enqueue_on_commit(name: str, *arg_lists, what="tasks"):
    """:func:`enqueue` once the current transaction commits (never, if it rolls back)."""
    transaction.on_commit(lambda: enqueue(name, arg_lists, what=what))
