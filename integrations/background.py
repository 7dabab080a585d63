"""Embedded mode (no broker, tasks in-process): the DVCQG sync still never runs in the clerk's
request. A hand-over goes to one background thread of the web process, and a sweeper thread
(started by the embedded server, scripts/gunicorn-embedded.py) tries waiting messages again
every 30 s, as Celery beat does in full mode. The postal orders (integrations/postal.py) take
the same thread and the same sweeper."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections, connection

log = logging.getLogger(__name__)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dvcqg-sync")
_sweeper_started = threading.Event()
SWEEP_SECONDS = 30


# The kinds of work, by name: (what is due, how one is sent). Imported when first used: sync
# and postal import this module (a cycle at import time).
def _kinds():
    from . import postal, sync  # sync and postal import this module: see above

    return {
        "DVCQG sync": (sync.due_for_sweep, sync.deliver),
        "postal order": (postal.due_shipments, postal.send_shipment),
    }


def _run(what, ids):
    close_old_connections()
    try:
        send = _kinds()[what][1]
        for pk in ids:
            send(pk)
    except Exception:  # noqa: BLE001 - a background thread logs; the rows stay pending
        log.warning("%s in the background failed; the sweeper tries again", what, exc_info=True)
    finally:
        connection.close()


def submit(sync_id: int):
    _pool.submit(_run, "DVCQG sync", [sync_id])


def submit_shipment(shipment_id: int):
    """A postal order, sent by the same background thread (never in the clerk's request)."""
    _pool.submit(_run, "postal order", [shipment_id])


def start_sweeper():
    """Start the sweeper thread once per process."""
    if _sweeper_started.is_set():
        return
    _sweeper_started.set()

    def loop():
        stop = threading.Event()
        while not stop.wait(SWEEP_SECONDS):
            for what, (due, _send) in _kinds().items():
                close_old_connections()
                try:
                    ids = due()
                except Exception:  # noqa: BLE001
                    log.warning("%s sweep failed", what, exc_info=True)
                    continue
                finally:
                    connection.close()
                if ids:
                    _pool.submit(_run, what, ids)

    threading.Thread(target=loop, name="dvcqg-sweeper", daemon=True).start()
