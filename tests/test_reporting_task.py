"""A heavy period (a quarter) is computed by the real Celery worker on the reports queue; the
page shows the job's progress, then the dashboard from the cache until the data changes."""

import time

import pytest

from dossiers import services
from reporting.models import ReportJob

from .reporting_fixtures import at

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
QUARTER = "/bao-cao/?unit=H50.22.02&quarter=2025-Q1"


def _wait_done(client, job, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        response = client.get(f"/bao-cao/tien-do/{job.pk}/")
        if response.get("HX-Refresh") == "true":
            return response
        assert "bị lỗi" not in response.content.decode()
        time.sleep(0.5)
    job.refresh_from_db()
    raise AssertionError(f"job still {job.state} {job.progress}% after {timeout} s")


def _archived():
    """March's returned dossiers were returned in a bulk replay (forms_deferred), which leaves
    their archiving to the nightly pass; archive them now, so that no archiving (which changes
    the reports' data version) lands while the cache is timed. It used to wait 90 s for a
    worker that was never asked."""
    from archive.models import ArchiveRecord
    from archive.services.packaging import build_packages
    from dossiers.models import Dossier

    build_packages(list(ArchiveRecord.objects.filter(state="pending").values_list("pk", flat=True)))
    assert not Dossier.objects.filter(state="returned").exists()


def test_quarter_is_computed_on_the_reports_queue(celery_worker_process, client, march):
    _archived()
    client.force_login(march["office"])
    first = client.get(QUARTER)
    assert first.status_code == 200
    assert "đang được tính ở máy chủ" in first.content.decode()
    job = ReportJob.objects.get()
    _wait_done(client, job)
    job.refresh_from_db()
    assert (job.state, job.progress) == ("done", 100)
    page = client.get(QUARTER)
    assert 'data-indicator="on_time"' in page.content.decode()
    assert page.context["data"]["fields"]["total"]["cells"]["received"] == 6

    # The data changes: the cached quarter is no longer served, a new job computes it.
    services.withdraw(march["f"].pk, actor=march["clerk"], reason="Rút", at=at("03-30"))
    again = client.get(QUARTER)
    assert "đang được tính ở máy chủ" in again.content.decode()
    new_job = ReportJob.objects.exclude(pk=job.pk).get()
    _wait_done(client, new_job)
    page = client.get(QUARTER)
    assert page.context["data"]["fields"]["total"]["cells"]["withdrawn"] == 2
