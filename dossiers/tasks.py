"""Celery tasks of the dossiers app: thin, load ids, call the calendar or a service."""

import os
from datetime import datetime

from celery import shared_task

from .calendar import due_for_procedure
from .models import Procedure


@shared_task(name="dossiers.compute_appointment", acks_late=True, time_limit=30, soft_time_limit=25)
def compute_appointment(procedure_id: int, received_at: str) -> dict:
    """The appointment of a dossier of this procedure received at ``received_at`` (ISO 8601).

    Read-only and idempotent; answers with the worker's process id so a caller can tell the
    work really left its own process.
    """
    procedure = Procedure.objects.get(pk=procedure_id)
    due = due_for_procedure(procedure, datetime.fromisoformat(received_at))
    return {"due_at": due.isoformat(), "worker_pid": os.getpid()}
