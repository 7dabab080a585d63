"""The background computation of a heavy dashboard: starting or finding its job, and running
it (the task ``reporting.compute_dashboard`` calls :func:`compute_job`)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from core import work
from core.queue import enqueue_on_commit
from dossiers.models import Unit

from .. import cache
from ..access import scope as user_scope
from ..dashboard import cached, compute, scope_key
from ..models import ReportJob
from ..periods import Period


def ensure_job(unit, period, *, user, scope=None):
    """(data, job): the cached data when ready, else the job computing it (started now if
    none is running, or if the last one failed, was lost, or its result left the cache)."""
    key, data = cached(unit, period, scope=scope)
    if data is not None:
        return data, None
    if key is None:  # the cache is unreachable: no job can hand its result over; compute here
        return compute(unit, period, scope=scope), None
    scope_user = None if scope_key(scope) == "area" else user.pk
    job, created = ReportJob.objects.get_or_create(
        key=key,
        defaults={
            "unit": unit,
            "period_kind": period.kind,
            "start": period.first,
            "end": period.last,
        },
    )
    stale = job.lease_expired()
    if created or stale or job.state in (ReportJob.State.FAILED, ReportJob.State.DONE):
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJob.State.PENDING, progress=0, queued_at=timezone.now()
        )
        enqueue_on_commit("reporting.compute_dashboard", [job.pk, scope_user], what="Report")
        job.refresh_from_db()
    return None, job


def compute_job(job_id: int, scope_user_id: int | None = None):
    """Compute the dashboard of ``job_id``'s unit and period into the cache. Idempotent: a
    job already done, or being computed by a live worker, is left alone (core.work.claim); a
    failure is stored on the job with its reason (core.work.fail, final) and raised."""
    rows = ReportJob.objects.filter(pk=job_id)
    if not work.claim(rows, progress=0):
        return
    job = rows.get()
    try:
        unit = Unit.objects.select_related("level", "parent").get(pk=job.unit_id)
        period = Period(job.period_kind, job.start, job.end)
        scope = None
        if scope_user_id is not None:
            scope = user_scope(get_user_model().objects.get(pk=scope_user_id))

        def progress(percent):
            ReportJob.objects.filter(pk=job_id).update(progress=min(percent, 99))

        data = compute(unit, period, scope=scope, progress=progress)
        cache.put(job.key, data)
    except Exception as exc:
        work.fail(job, exc, transient=False)
        raise
    work.finish(rows, progress=100)
