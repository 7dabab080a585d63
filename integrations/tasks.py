"""Celery tasks of the integrations app (queue default): thin, they call the services."""

import logging

from celery import shared_task
from django.conf import settings

from .dvcqg_inbound import PlatformUnavailable
from .inbound import pull_new

log = logging.getLogger(__name__)


@shared_task(name="integrations.pull_national_dossiers", acks_late=True, time_limit=300)
def pull_national_dossiers() -> dict:
    """Celery beat, every minute: take in the dossiers submitted on DVCQG (idempotent: one
    dossier per national code, whatever the number of runs). Nothing to do without
    DVCQG_BASE_URL; a platform that does not answer is tried again at the next run."""
    if not settings.DVCQG_BASE_URL:
        return {"skipped": "DVCQG_BASE_URL"}
    try:
        return pull_new()
    except PlatformUnavailable as error:
        log.warning("DVCQG pull not done: %s", error.message)
        return {"unavailable": error.message}
