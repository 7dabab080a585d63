"""Heavy reports on the ``reports`` queue (routed by name: ``reporting.*``). Thin: the work
and its bookkeeping are services.jobs's.

The job's state and progress live in ``ReportJob`` (our table, not the broker's), so the page
shows them and a job lost with its worker is seen and started again (services.ensure_job)."""

from celery import shared_task

from .services import compute_job


@shared_task(name="reporting.compute_dashboard", acks_late=True, time_limit=900)
def compute_dashboard(job_id: int, scope_user_id: int | None = None):
    """services.compute_job on the reports queue."""
    compute_job(job_id, scope_user_id)
