"""The sync of dossiers with DVCQG: what is owed is written with the change, sent after commit.

- :func:`record_event` runs inside the transaction of a dossier's step (a receiver of
  ``post_save`` on ``DossierEvent``): it writes the step's message, and the whole dossier first
  when the platform does not have it yet, when its appointment changes and when it ends. A
  rollback writes nothing; nothing leaves the clerk's request.
- :func:`deliver` (the worker's task) takes the dossier's lease and sends its pending messages
  in order, each with its own ``MaThongDiep``; it stops at the first that does not pass, so
  a later step never overtakes an earlier one. Each result commits on its own.
- :func:`due_for_sweep` lists the dossiers whose messages wait (the broker was down at commit,
  a worker died, a retry came due): the sweeper hands them to the worker again.
- :func:`resend` puts a rejected message (or a whole dossier) back in line, by a person's
  decision, and records who did it.
"""

import logging
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core import queue
from core.work import done_values, fail
from dossiers.models import AuditEvent
from dossiers.services.audit import record
from dossiers.services.engine import in_bulk_replay

from . import background
from . import dvcqg_messages as messages
from .adapters.dvcqg import portal
from .models import DossierSync, NationalMessage
from .platforms import RejectedError, TransientError

log = logging.getLogger(__name__)
Service = NationalMessage.Service
TASK = "integrations.send_national"


def record_event(event) -> list[NationalMessage]:
    """Write the messages a new history row owes DVCQG (inside its transaction)."""
    if event.action in messages.NOT_SENT:
        return []
    dossier = event.dossier
    sync, first = DossierSync.objects.select_for_update().get_or_create(dossier=dossier)
    rows = []
    seq = sync.next_seq
    if first:
        rows.append(_dossier_row(sync, dossier, seq, updating=False))
        seq += 1
    rows.append(_row(sync, Service.STEP, seq, event, messages.step_message(dossier, event, seq)))
    seq += 1
    if not first and messages.needs_full_copy(event):
        rows.append(_dossier_row(sync, dossier, seq, updating=True, event=event))
        seq += 1
    NationalMessage.objects.bulk_create(rows)
    DossierSync.objects.filter(pk=sync.pk).update(
        next_seq=seq, state=DossierSync.State.PENDING, updated_at=timezone.now()
    )
    hand_over(sync.pk)
    return rows


def hand_over(sync_id):
    """After commit, to the worker (full mode) or to the web process's background thread
    (embedded mode; in a bulk replay there, such as the demo's load, to the sweeper alone)."""
    if current_app.conf.task_always_eager:
        if not in_bulk_replay():
            transaction.on_commit(lambda: background.submit(sync_id))
    else:
        queue.enqueue_on_commit(TASK, (sync_id,), what="DVCQG sync")


def _row(sync, service, seq, event, payload, updating=False):
    row = NationalMessage(sync=sync, seq=seq, service=service, event=event, is_updating=updating)
    row.payload = {**payload, "MaThongDiep": str(row.message_id)}
    return row


def _dossier_row(sync, dossier, seq, *, updating, event=None):
    return _row(sync, Service.DOSSIER, seq, event, messages.dossier_message(dossier), updating)


def _lease() -> timedelta:
    return timedelta(seconds=settings.NATIONAL_SYNC_LEASE_SECONDS)


def _free(now) -> Q:
    """Dossiers no worker holds: no lease, or one that ran out (its worker was lost)."""
    return Q(lease_until__isnull=True) | Q(lease_until__lt=now)


def _take(sync_id, now) -> bool:
    """The dossier's lease, for this worker (one UPDATE; False when another holds it)."""
    updated = DossierSync.objects.filter(_free(now), pk=sync_id).update(lease_until=now + _lease())
    return bool(updated)


def deliver(sync_id, *, client=None) -> str:
    """Send the dossier's pending messages in order; returns "synced", "waiting" (a message
    will be tried again later), "error" (a message was rejected), or "busy"."""
    client = client or portal()
    now = timezone.now()
    if not _take(sync_id, now):
        return "busy"
    outcome = "synced"
    try:
        unsent = (
            NationalMessage.objects.filter(sync_id=sync_id)
            .exclude(state=NationalMessage.State.SENT)
            .order_by("seq")
        )
        for message in unsent:
            if message.state == NationalMessage.State.REJECTED:
                outcome = "error"  # a later step never overtakes one a person must look at
                break
            if message.next_attempt_at and message.next_attempt_at > timezone.now():
                outcome = "waiting"
                break
            outcome = _send_one(message, client)
            if outcome != "synced":
                break
            DossierSync.objects.filter(pk=sync_id).update(lease_until=timezone.now() + _lease())
    finally:
        _settle(sync_id, outcome)
    return outcome


def _send_one(message, client) -> str:
    NationalMessage.objects.filter(pk=message.pk).update(
        attempts=F("attempts") + 1, started_at=timezone.now()
    )
    message.attempts += 1
    try:
        ack = client.send(message.service, message.payload, is_updating=message.is_updating)
    except RejectedError as exc:
        fail(message, exc.reason, transient=False, answer=exc.answer or None)
        log.warning("DVCQG rejected message %s of sync %s", message.message_id, message.sync_id)
        return "error"
    except TransientError as exc:
        fail(message, exc.reason, answer=exc.answer or None)
        return "waiting"
    now = timezone.now()
    with transaction.atomic():
        NationalMessage.objects.filter(pk=message.pk).update(
            **done_values(NationalMessage, now),
            sent_at=now,
            answer=ack.answer,
            duplicate=ack.duplicate,
        )
        DossierSync.objects.filter(pk=message.sync_id).update(
            sent_seq=message.seq, last_sent_at=now
        )
    return "synced"


def _settle(sync_id, outcome):
    """The dossier's one-word state after a delivery, and its lease released."""
    first_open = (
        NationalMessage.objects.filter(sync_id=sync_id)
        .exclude(state=NationalMessage.State.SENT)
        .order_by("seq")
        .values("state", "last_error")
        .first()
    )
    if first_open is None:
        state, error = DossierSync.State.SYNCED, ""
    elif first_open["state"] == NationalMessage.State.REJECTED:
        state, error = DossierSync.State.ERROR, first_open["last_error"]
    else:
        state, error = DossierSync.State.PENDING, first_open["last_error"]
    DossierSync.objects.filter(pk=sync_id).update(
        state=state, last_error=error, lease_until=None, updated_at=timezone.now()
    )


def due_for_sweep(limit=1000, now=None) -> list[int]:
    """Dossiers with a message to try now, and no live lease."""
    now = now or timezone.now()
    # Never tried: left to its own task for 30 s. Begun and never finished (a worker killed
    # mid-send): due once the dossier's lease has run out. A retry: due at its time.
    due = NationalMessage.objects.filter(state=NationalMessage.State.PENDING).filter(
        Q(next_attempt_at__isnull=True, queued_at__lt=now - timedelta(seconds=30))
        | Q(next_attempt_at__isnull=True, started_at__isnull=False)
        | Q(next_attempt_at__lte=now)
    )
    return list(
        DossierSync.objects.filter(_free(now), pk__in=due.values("sync_id"))
        .order_by("updated_at")
        .values_list("pk", flat=True)[:limit]
    )


def resend(sync, *, actor, request=None) -> int:
    """Put the dossier's rejected messages back in line and hand the dossier to the worker
    now; the payload of a rejected whole-dossier message is built again from today's rows
    (the person has mended them), with a new message id. Returns how many were put back."""
    with transaction.atomic():
        rejected = list(
            NationalMessage.objects.select_for_update()
            .filter(sync=sync, state=NationalMessage.State.REJECTED)
            .order_by("seq")
        )
        for message in rejected:
            if message.service == Service.DOSSIER:
                fresh = _dossier_row(sync, sync.dossier, message.seq, updating=message.is_updating)
                message.payload, message.message_id = fresh.payload, fresh.message_id
            message.state = NationalMessage.State.PENDING
            message.next_attempt_at = None
            message.last_error = ""
            message.save(
                update_fields=["payload", "message_id", "state", "next_attempt_at", "last_error"]
            )
        # Waiting messages are tried now too.
        NationalMessage.objects.filter(sync=sync, state=NationalMessage.State.PENDING).update(
            next_attempt_at=None
        )
        DossierSync.objects.filter(pk=sync.pk).update(
            state=DossierSync.State.PENDING, updated_at=timezone.now()
        )
        record(
            AuditEvent.Kind.CHANGE,
            "national_sync.resend",
            actor=actor,
            target=sync.dossier,
            request=request,
            data={"messages": [str(m.message_id) for m in rejected]},
        )
        hand_over(sync.pk)
    return len(rejected)
