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
