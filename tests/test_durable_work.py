"""The one bookkeeping of durable work (core.work): claim, fail with backoff, due for sweep,
and the wait and run times, on a real table (report jobs) of the real PostgreSQL."""

import threading
import time
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from archive.models import ArchiveRecord
from core import work
from digitization.models import ScannedFile
from dossiers.models import Notification
from reporting.models import ReportJob

from .factories import UnitFactory, UnitLevelFactory


def _job(**values):
    unit = UnitFactory(level=UnitLevelFactory())
    return ReportJob.objects.create(
        key=f"job-{time.monotonic_ns()}",
        unit=unit,
        period_kind="month",
        start=date(2026, 1, 1),
        end=date(2026, 1, 31),
        **values,
    )


def _rows(job):
    return ReportJob.objects.filter(pk=job.pk)


def test_every_kind_of_durable_work_keeps_the_same_bookkeeping():
    for model in (ScannedFile, ArchiveRecord, Notification, ReportJob):
        assert issubclass(model, work.DurableWork), model
        names = {f.name for f in model._meta.fields}
        assert {
            "state",
            "attempts",
            "lease_until",
            "next_attempt_at",
            "last_error",
            "queued_at",
            "started_at",
            "finished_at",
        } <= names, model


@pytest.mark.django_db(transaction=True)
def test_two_claimers_never_take_the_same_row():
    job = _job()
    taken, barrier = [], threading.Barrier(8)

    def claimer():
        try:
            barrier.wait()
            taken.append(work.claim(_rows(job)))
        finally:
            connection.close()

    threads = [threading.Thread(target=claimer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(taken) == [0] * 7 + [1]
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("processing", 1)
    assert job.lease_until > timezone.now() + ReportJob.LEASE - timedelta(minutes=1)


@pytest.mark.django_db(transaction=True)
def test_a_row_held_by_an_open_claim_is_skipped_not_waited_for():
    """A claim held in a transaction (what a notification's send does) locks the row; a
    second claimer on another connection passes it by at once, and takes it only once the
    first has rolled back (a killed worker)."""
    job = _job()
    held, release, first = threading.Event(), threading.Event(), []

    def holder():
        try:
            with transaction.atomic():
                first.append(work.claim(_rows(job)))
                held.set()
                release.wait(10)
                transaction.set_rollback(True)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(10)
    started = time.monotonic()
    assert work.claim(_rows(job)) == 0
    assert time.monotonic() - started < 2
    release.set()
    thread.join()
    assert first == [1]
    assert work.claim(_rows(job)) == 1
    assert _rows(job).get().attempts == 1  # the rolled-back attempt left nothing


@pytest.mark.django_db
def test_a_live_lease_is_not_claimed_an_expired_one_is():
    job = _job()
    assert work.claim(_rows(job)) == 1
    assert work.claim(_rows(job)) == 0
    _rows(job).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert work.claim(_rows(job)) == 1
    assert _rows(job).get().attempts == 2
    work.finish(_rows(job))
    assert work.claim(_rows(job)) == 0  # done is done


def test_backoff_grows_and_its_jitter_stays_within_bounds():
    backoff = work.Backoff(base=10, factor=2, cap=600, jitter=0.25)
    previous_low = 0
    for attempts in range(1, 10):
        low = min(10 * 2 ** (attempts - 1), 600)
        waits = [backoff.seconds(attempts) for _ in range(200)]
        assert all(low <= wait <= low * 1.25 for wait in waits), (attempts, min(waits), max(waits))
        assert len(set(waits)) > 100  # jittered, not one value
        assert max(waits) - min(waits) > low * 0.15  # spread over most of the bound
        assert low >= previous_low
        previous_low = low
    assert backoff.seconds(1) < backoff.seconds(4) < backoff.seconds(9) <= 750


@pytest.mark.django_db
def test_fail_waits_with_backoff_then_ends_failed_after_max_attempts():
    job = _job()
    backoff = work.Backoff(base=60, factor=3)
    for attempt, wait in ((1, 60), (2, 180)):
        assert work.claim(_rows(job)) == 1
        job = _rows(job).get()
        before = timezone.now()
        assert work.fail(job, "mất kết nối", max_attempts=3, backoff=backoff) == "pending"
        job.refresh_from_db()
        assert (job.state, job.attempts, job.lease_until) == ("pending", attempt, None)
        assert job.last_error == "mất kết nối" and job.finished_at >= before
        low = before + timedelta(seconds=wait)
        assert low <= job.next_attempt_at <= low + timedelta(seconds=wait * 0.25 + 1)
        assert 0 < work.retry_in(_rows(job)) <= wait * 1.25 + 1
    assert work.claim(_rows(job)) == 1
    job = _rows(job).get()
    assert work.is_last_attempt(job, 3)
    assert work.fail(job, "x" * 5000, max_attempts=3, backoff=backoff) == "failed"
    job.refresh_from_db()
    assert (job.state, job.attempts, job.next_attempt_at) == ("failed", 3, None)
    assert len(job.last_error) == work.ERROR_LENGTH
    assert work.retry_in(_rows(job)) is None


@pytest.mark.django_db
def test_a_fault_retrying_cannot_mend_fails_at_once():
    job = _job()
    work.claim(_rows(job))
    job = _rows(job).get()
    assert work.fail(job, "sai dữ liệu", transient=False) == "failed"
    assert _rows(job).get().next_attempt_at is None


@pytest.mark.django_db
def test_due_for_sweep_finds_an_expired_lease_and_not_a_live_one():
    now = timezone.now()
    old = now - ReportJob.SWEEP_AFTER - timedelta(seconds=1)
    expired = _job(state="processing", lease_until=now - timedelta(seconds=1))
    live = _job(state="processing", lease_until=now + timedelta(minutes=5))
    forgotten = _job(queued_at=old)
    fresh = _job()
    waiting = _job(queued_at=old, next_attempt_at=now + timedelta(minutes=1))
    retry_due = _job(queued_at=old, next_attempt_at=now - timedelta(seconds=1))
    done = _job(state="done", queued_at=old)
    due = set(work.due_for_sweep(ReportJob, now=now).values_list("pk", flat=True))
    assert due == {expired.pk, forgotten.pk, retry_due.pk}
    assert not due & {live.pk, fresh.pk, waiting.pk, done.pk}


@pytest.mark.django_db
def test_a_separate_retry_state_is_swept_when_overdue_with_attempts_left(monkeypatch):
    """Where a transient failure waits ``failed`` (notifications, archive packages), a retry
    is swept once overdue by the model's grace, only with attempts left; a final failure
    never is."""
    monkeypatch.setattr(ReportJob, "RETRY_STATE", "failed")
    monkeypatch.setattr(ReportJob, "RETRY_SWEEP_AFTER", timedelta(minutes=15))
    now = timezone.now()
    job = _job()
    work.claim(_rows(job))
    assert work.fail(_rows(job).get(), "hết giờ") == "failed"
    waiting = _rows(job).get()
    assert waiting.next_attempt_at > now
    overdue = _job(state="failed", attempts=2, next_attempt_at=now - timedelta(minutes=16))
    in_grace = _job(state="failed", attempts=2, next_attempt_at=now - timedelta(minutes=14))
    spent = _job(state="failed", attempts=5, next_attempt_at=now - timedelta(minutes=16))
    final = _job(state="failed", attempts=5)
    due = set(work.due_for_sweep(ReportJob, now=now).values_list("pk", flat=True))
    assert due == {overdue.pk}
    assert not due & {waiting.pk, in_grace.pk, spent.pk, final.pk}


@pytest.mark.django_db
def test_wait_and_run_times_are_recorded():
    job = _job(queued_at=timezone.now() - timedelta(seconds=30))
    assert job.wait_time is None and job.run_time is None
    assert work.claim(_rows(job)) == 1
    job = _rows(job).get()
    assert timedelta(seconds=30) <= job.wait_time < timedelta(seconds=40)
    time.sleep(0.05)
    work.finish(_rows(job), progress=100)
    job.refresh_from_db()
    assert (job.state, job.progress, job.last_error, job.lease_until) == ("done", 100, "", None)
    assert timedelta(seconds=0.05) <= job.run_time < timedelta(seconds=10)
    assert job.finished_at >= job.started_at >= job.queued_at
