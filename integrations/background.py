"""Embedded mode (no broker, tasks in-process): the DVCQG sync still never runs in the clerk's
request. A hand-over goes to one background thread of the web process, and a sweeper thread
(started by the embedded server, scripts/gunicorn-embedded.py) tries waiting messages again
every 30 s, as Celery beat does in full mode."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvcqg-sync")
_sweeper_started = threading.Event()
SWEEP_SECONDS = 30


def _run(sync_ids):
    from . import sync  # sync imports this module: a cycle at import time

    close_old_connections()
    try:
        for sync_id in sync_ids:
            sync.deliver(sync_id)
    except Exception:  # noqa: BLE001 - a background thread logs; the rows stay pending
        log.warning("DVCQG sync in the background failed; the sweeper tries again", exc_info=True)
    finally:
        connection.close()


def submit(sync_id: int):
    _pool.submit(_run, [sync_id])


def start_sweeper():
    """Start the sweeper thread once per process."""
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()

    def loop():
        from . import sync  # sync imports this module: a cycle at import time

        stop = threading.Event()
        while not stop.wait(SWEEP_SECONDS):
            close_old_connections()
            try:
                ids = sync.due_for_sweep()
            except Exception:  # noqa: BLE001
                log.warning("DVCQG sweep failed", exc_info=True)
                continue
            finally:
                connection.close()
            if ids:
                _pool.submit(_run, ids)

    threading.Thread(target=loop, name="dvcqg-sweeper", daemon=True).start()
