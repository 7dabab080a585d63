"""Durable work: the bookkeeping every kind of background work keeps in its own table.

A row of work (an OCR file, an archive package, a notification, a report job) says where it
stands — ``state``, ``attempts``, ``lease_until``, ``next_attempt_at``, ``last_error`` — and
when it was queued, started and finished, so the wait time (``started_at - queued_at``) and
the run time (``finished_at - started_at``) can be read as paperless-ngx reads them from its
``PaperlessTask``. The broker only carries the row's id: the row is the truth, and the
sweepers read it.

Three helpers do the bookkeeping for every kind of work:

- :func:`claim` takes rows for one worker (one UPDATE, rows locked by another transaction
  skipped): state running, a lease, one more attempt, ``started_at``;
- :func:`fail` records a failed attempt: a transient fault waits ``next_attempt_at`` (an
  exponential backoff with jitter), the last attempt or a fault that retrying cannot mend
  ends ``failed``;
- :func:`due_for_sweep` finds the rows whose message may have been lost: pending past their
  grace, a retry whose time came, running past their lease.

:func:`finish` records the success. Each model names its own states and policy in class
attributes (``PENDING``, ``RUNNING``, ``LEASE``, ``MAX_ATTEMPTS``, ...).

This module sits below every app (``core`` is not an app): the abstract model has no table
and no app label of its own; each concrete model takes its subclass's app.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

# Long enough for any reason a person needs to read, short enough for a list page.
ERROR_LENGTH = 2000


@dataclass(frozen=True)
class Backoff:
    """The wait before attempt n+1 after n failed ones: ``base · factor^(n-1)``, at most
    ``cap`` seconds, then lengthened by a random part of up to ``jitter`` (so many rows that
    failed together do not come back together)."""

    base: float
    factor: float = 2
    cap: float | None = None
    jitter: float = 0.25

    def seconds(self, attempts: int) -> float:
        delay = self.base * self.factor ** max(attempts - 1, 0)
        if self.cap is not None:
            delay = min(delay, self.cap)
        return delay * (1 + random.uniform(0, self.jitter))


class DurableWork(models.Model):
    """The bookkeeping columns of a row of durable work. Subclasses redeclare ``state`` with
    their own choices and map their state names below."""

    # The states by their role in the work (a subclass maps its own names).
    PENDING = "pending"
    # None: the work has no visible running state; the claim's row lock (held by the caller's
    # transaction while it works) stands for the lease.
    RUNNING = "processing"
    DONE = "done"
    FAILED = "failed"  # the final failure
    RETRY_STATE = "pending"  # where a transient failure waits for its next attempt
    CLAIMABLE = ("pending",)  # what a claim takes, besides RUNNING past its lease

    # The policy (a caller may pass its own, e.g. read from settings).
    LEASE = timedelta(minutes=10)
    MAX_ATTEMPTS: int | None = 5
    BACKOFF = Backoff(base=30, factor=2, cap=3600)
    SWEEP_AFTER = timedelta(minutes=2)  # a pending row is its own task's this long
    RETRY_SWEEP_AFTER = timedelta(0)  # a retry that came due is its own task's this long

    state = models.CharField("trạng thái", max_length=12, default="pending", db_index=True)
    attempts = models.PositiveSmallIntegerField("số lần thử", default=0)
    lease_until = models.DateTimeField("giữ việc đến", null=True, blank=True)
    next_attempt_at = models.DateTimeField("thử lại lúc", null=True, blank=True)
    last_error = models.TextField("lỗi gần nhất", blank=True)
    queued_at = models.DateTimeField("xếp hàng lúc", default=timezone.now)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def wait_time(self) -> timedelta | None:
        if self.started_at and self.queued_at:
            return self.started_at - self.queued_at
        return None

    @property
    def run_time(self) -> timedelta | None:
        if self.finished_at and self.started_at:
            return self.finished_at - self.started_at
        return None

    def lease_expired(self, now=None) -> bool:
        """Running, and nobody holds it any more (the worker was lost)."""
        now = now or timezone.now()
        return self.state == self.RUNNING and (self.lease_until is None or self.lease_until < now)


def claimable(model, now) -> Q:
    """The rows a claim may take: waiting to be worked, or running with no live lease."""
    condition = Q(state__in=model.CLAIMABLE)
    if model.RUNNING:
        condition |= Q(state=model.RUNNING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    return condition


def claim(queryset, *, lease=None, now=None, **values) -> int:
    """Take the claimable rows of ``queryset`` for this worker; returns how many were taken.

    One UPDATE whose rows come from ``SELECT … FOR UPDATE SKIP LOCKED``: two claimers never
    take the same row (the second skips it, or finds it no longer claimable once the first
    committed). A taken row is ``RUNNING`` with a lease of ``lease`` (the model's ``LEASE``),
    one more attempt, ``started_at`` now; ``values`` are written with it. The claim is
    committed at once unless the caller's transaction holds it (a model without a running
    state keeps the row locked that way while it works)."""
    model = queryset.model
    now = now or timezone.now()
    sets = {
        "attempts": F("attempts") + 1,
        "started_at": now,
        "finished_at": None,
        "next_attempt_at": None,
    }
    if model.RUNNING:
        sets.update(state=model.RUNNING, lease_until=now + (lease or model.LEASE))
    # FOR UPDATE needs a transaction; inside the caller's, no savepoint of its own (one
    # statement either way: a query-count test sees the claim alone).
    with transaction.atomic(savepoint=False):
        rows = queryset.filter(claimable(model, now)).select_for_update(skip_locked=True)
        return model._base_manager.filter(pk__in=rows.values("pk")).update(**sets, **values)


def renew(queryset, *, lease=None, now=None) -> int:
    """Extend the lease of rows this worker holds (a long job still moving)."""
    now = now or timezone.now()
    return queryset.update(lease_until=now + (lease or queryset.model.LEASE))


def is_last_attempt(row, max_attempts=None) -> bool:
    limit = row.MAX_ATTEMPTS if max_attempts is None else max_attempts
    return limit is not None and row.attempts >= limit


def fail(
    row, error, *, transient=True, where=None, max_attempts=None, backoff=None, now=None, **values
) -> str:
    """Record the failed attempt of ``row`` (claimed, so ``row.attempts`` counts this one);
    returns the state written.

    A transient fault with attempts left waits in ``RETRY_STATE`` until ``next_attempt_at``
    (the model's ``BACKOFF``: exponential, with jitter); the last attempt, or a fault that
    retrying cannot mend (``transient=False``), ends ``FAILED`` with no next attempt. The
    lease is released, ``last_error`` and ``finished_at`` written, with ``values``. ``where``
    narrows the UPDATE (e.g. only while this attempt still holds the row)."""
    now = now or timezone.now()
    final = not transient or is_last_attempt(row, max_attempts)
    wait = None if final else (backoff or row.BACKOFF).seconds(row.attempts)
    sets = dict(
        state=row.FAILED if final else row.RETRY_STATE,
        lease_until=None,
        next_attempt_at=None if final else now + timedelta(seconds=wait),
        last_error=str(error)[:ERROR_LENGTH],
        finished_at=now,
        **values,
    )
    type(row)._base_manager.filter(pk=row.pk, **(where or {})).update(**sets)
    for name, value in sets.items():
        setattr(row, name, value)
    return sets["state"]


def done_values(model, now=None) -> dict:
    """The bookkeeping of a success: ``DONE``, no lease, no error, ``finished_at`` now."""
    return {
        "state": model.DONE,
        "lease_until": None,
        "next_attempt_at": None,
        "last_error": "",
        "finished_at": now or timezone.now(),
    }


def finish(queryset, *, now=None, **values) -> int:
    """Record the success of the rows of ``queryset`` (with ``values``)."""
    return queryset.update(**{**done_values(queryset.model, now), **values})


def retry_in(queryset, now=None) -> float | None:
    """Seconds until the row of ``queryset`` is due again, when it waits for a retry (for a
    task that schedules its own retry); None when it does not."""
    now = now or timezone.now()
    model = queryset.model
    due = (
        queryset.filter(state=model.RETRY_STATE, next_attempt_at__isnull=False)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return None if due is None else max((due - now).total_seconds(), 0)


def due_for_sweep(model, *, now=None, sweep_after=None, retry_sweep_after=None, max_attempts=None):
    """The rows whose message may have been lost (unordered; callers order and slice):
    pending for longer than ``sweep_after`` and not waiting for a later attempt; waiting in
    a separate retry state whose next attempt is more than ``retry_sweep_after`` overdue
    (with attempts left); running past their lease."""
    now = now or timezone.now()
    sweep_after = model.SWEEP_AFTER if sweep_after is None else sweep_after
    retry_sweep_after = model.RETRY_SWEEP_AFTER if retry_sweep_after is None else retry_sweep_after
    limit = model.MAX_ATTEMPTS if max_attempts is None else max_attempts
    due = Q(state=model.PENDING, queued_at__lt=now - sweep_after) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    if model.RETRY_STATE != model.PENDING:
        retry = Q(state=model.RETRY_STATE, next_attempt_at__lte=now - retry_sweep_after)
        if limit is not None:
            retry &= Q(attempts__lt=limit)
        due |= retry
    if model.RUNNING:
        due |= Q(state=model.RUNNING, lease_until__lt=now)
    return model._base_manager.filter(due)


class Outbox(DurableWork):
    """A message owed to someone, as durable work without a visible running state: the row
    stays locked while its channel sends (:func:`deliver`). A failed send waits ``failed``
    for the task's own retry (10 s, 20 s, 40 s, 80 s, with jitter), five attempts in all.
    The dossiers' notifications to applicants and the PAKN alerts to leaders are outboxes."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        # Handed to a channel that has no gateway yet (the local SMS/Zalo outbox): written
        # down for an operator, not sent to the phone — never shown as "Đã gửi" then.
        QUEUED = "queued", "Đang chờ cổng SMS"
        FAILED = "failed", "Gửi lỗi"

    RUNNING = None
    DONE = State.SENT
    RETRY_STATE = State.FAILED
    CLAIMABLE = (State.PENDING, State.FAILED)
    MAX_ATTEMPTS = 5
    BACKOFF = Backoff(base=10, factor=2, cap=600)
    # A pending row is left to its task for a minute; a failed row whose retry came due, for
    # longer than the task's own retry can be late (a worker killed between two attempts).
    SWEEP_AFTER = timedelta(minutes=1)
    RETRY_SWEEP_AFTER = timedelta(minutes=15)

    state = models.CharField(
        "trạng thái", max_length=8, choices=State.choices, default=State.PENDING
    )
    delivered_by = models.CharField(
        "gửi qua",
        max_length=80,
        blank=True,
        help_text="Cách kênh đã chuyển tin (máy chủ thư, hộp thư đi nội bộ).",
    )
    queued_at = models.DateTimeField("tạo lúc", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        abstract = True


def deliver(model, pk, send, *, reaches=None) -> str:
    """Send the outbox row ``pk`` of ``model`` with ``send(row)`` (which returns how the
    message left, or raises) unless it is sent, being sent, or out of attempts; returns its
    state after (``sent``, ``queued`` when ``reaches(row)`` says the channel does not reach
    the recipient yet, ``failed``), or ``skipped``.

    The row is claimed (:func:`claim`) and stays locked while ``send`` runs, so two tasks for
    the same row (the task and the sweeper's) never send it twice; a worker killed mid-send
    rolls back to the previous state and the message is sent again later (at least once,
    never lost). A failure waits for its retry (:func:`fail`)."""
    with transaction.atomic():
        rows = model.objects.filter(pk=pk, attempts__lt=model.MAX_ATTEMPTS)
        if not claim(rows):
            return "skipped"
        row = model.objects.get(pk=pk)
        try:
            delivered_by = str(send(row))[:80]
        except Exception as exc:  # noqa: BLE001 - any failure of the channel is recorded
            return fail(row, f"{type(exc).__name__}: {exc}")
        done = model.objects.filter(pk=pk)
        if reaches is not None and not reaches(row):
            # Done as work (not claimed again), but honest: written down, not sent.
            finish(done, delivered_by=delivered_by, state=model.State.QUEUED)
            return model.State.QUEUED
        finish(done, sent_at=timezone.now(), delivered_by=delivered_by)
        return model.DONE
