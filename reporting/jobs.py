"""Starting and finding the background computation of a heavy dashboard."""

from django.utils import timezone

from core.queue import enqueue_on_commit

from .dashboard import cached, compute, scope_key
from .models import ReportJob


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
        defaults={"unit": unit, "period_kind": period.kind, "start": period.first,
                  "end": period.last},
    )  # fmt: skip
    stale = job.lease_expired()
    if created or stale or job.state in (ReportJob.State.FAILED, ReportJob.State.DONE):
        ReportJob.objects.filter(pk=job.pk).update(
            state=ReportJob.State.PENDING, progress=0, queued_at=timezone.now()
        )
        enqueue_on_commit("reporting.compute_dashboard", [job.pk, scope_user], what="Report")
        job.refresh_from_db()
    return None, job
