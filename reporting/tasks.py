"""Heavy reports on the ``reports`` queue (routed by name: ``reporting.*``).

The job's state and progress live in ``ReportJob`` (our table, not the broker's), so the page
shows them and a job lost with its worker is seen and started again (jobs.ensure_job)."""

from celery import shared_task

from core import work
from dossiers.models import Unit

from . import cache
from .dashboard import compute
from .models import ReportJob
from .periods import Period


@shared_task(name="reporting.compute_dashboard", acks_late=True, time_limit=900)
def compute_dashboard(job_id: int, scope_user_id: int | None = None):
    """Compute the dashboard of ``job_id``'s unit and period into the cache. Idempotent: a
    job already done, or being computed by a live worker, is left alone (core.work.claim); a
    failure is stored on the job with its reason (core.work.fail, final)."""
    rows = ReportJob.objects.filter(pk=job_id)
    if not work.claim(rows, progress=0):
        return
    job = rows.get()
    try:
        unit = Unit.objects.select_related("level", "parent").get(pk=job.unit_id)
        period = Period(job.period_kind, job.start, job.end)
        scope = None
        if scope_user_id is not None:
            from django.contrib.auth import get_user_model

            from .access import scope as user_scope

            scope = user_scope(get_user_model().objects.get(pk=scope_user_id))

        def progress(percent):
            ReportJob.objects.filter(pk=job_id).update(progress=min(percent, 99))

        data = compute(unit, period, scope=scope, progress=progress)
        cache.put(job.key, data)
    except Exception as exc:
        work.fail(job, exc, transient=False)
        raise
    work.finish(rows, progress=100)
