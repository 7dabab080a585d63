"""The Celery app's process hooks."""

import gc

from celery.signals import worker_process_init


def test_a_worker_process_freezes_what_it_loaded_to_start():
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        worker_process_init.send(sender=None)
        # Django, the apps and their modules: far more than a handful of objects.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()


def test_every_task_name_enqueued_is_a_registered_task():
    """Work is enqueued by name (core/queue.py): a misspelt name would only be logged."""
    import re
    from pathlib import Path

    from bacyen_portal.celery import app

    root = Path(__file__).resolve().parent.parent
    names = set()
    for path in root.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        names |= set(re.findall(r"enqueue(?:_on_commit)?\(\s*\"([a-z_]+\.[a-z_]+)\"", text))
    app.loader.import_default_modules()
    assert len(names) >= 6 and names <= set(app.tasks)
