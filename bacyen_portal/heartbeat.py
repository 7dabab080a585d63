"""Each Celery worker says it is alive, per queue it consumes, every WORKER_HEARTBEAT_SECONDS:
one cache key per queue (``worker-heartbeat:<queue>``: time and worker name) that /readyz reads
in one get, instead of a broadcast ping that waits for its whole time-out. The key expires on
its own when no worker of that queue is left; written by a thread of the worker's main
process, so a worker whose consumer is gone stops beating with it."""

import logging
import threading
import time

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.core.cache import cache

HEARTBEAT_KEY = "worker-heartbeat:{queue}"
logger = logging.getLogger(__name__)
_stop = threading.Event()


def beat(queues, hostname):
    """Write the heartbeat of each queue once (never raises: Redis may be down for a while)."""
    interval = settings.WORKER_HEARTBEAT_SECONDS
    try:
        cache.set_many(
            {
                HEARTBEAT_KEY.format(queue=q): {"at": time.time(), "worker": hostname}
                for q in queues
            },
            timeout=max(3 * interval, settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS),
        )
    except Exception:  # noqa: BLE001 - the next beat tries again
        logger.warning("Worker heartbeat not written (cache unreachable)", exc_info=True)


@worker_ready.connect
def start_heartbeat(sender=None, **kwargs):
    queues = sorted(q.name for q in sender.task_consumer.queues)
    hostname = sender.hostname

    def loop():
        while not _stop.is_set():
            beat(queues, hostname)
            _stop.wait(settings.WORKER_HEARTBEAT_SECONDS)

    _stop.clear()
    threading.Thread(target=loop, name="heartbeat", daemon=True).start()


@worker_shutdown.connect
def stop_heartbeat(**kwargs):
    _stop.set()
