"""PAKN past their deadline: marked once and the unit's leaders told by e-mail (durable rows
in LeaderAlert, sent after commit through the dossiers app's e-mail channel)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core import work
from core.queue import enqueue_on_commit
from dossiers.models import AuditEvent
from dossiers.notifications.channels import EmailChannel
from dossiers.roles import Role
from dossiers.services.audit import build

from ..models import Feedback, LeaderAlert

BATCH = 500


def leaders_of(unit_ids):
    """Active leader accounts of the units ``unit_ids``."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.LEADER.value, staff__unit__in=unit_ids)
        .select_related("staff")
    )


def escalate_overdue(now=None) -> int:
    """Mark every PAKN still unanswered past ``due_at`` (once: ``escalated_at``), write one
    alert per leader of its unit (unique per PAKN and leader, so a second run sends nothing
    twice) and an audit row, and enqueue the alerts after commit. Rows another run holds are
    skipped. Returns how many PAKN were escalated."""
    now = now or timezone.now()
    with transaction.atomic():
        late = list(
            Feedback.objects.select_for_update(skip_locked=True)
            .filter(state=Feedback.State.RECEIVED, due_at__lt=now, escalated_at__isnull=True)
            .select_related("unit")
            .order_by("due_at")[:BATCH]
        )
        if not late:
            return 0
        Feedback.objects.filter(pk__in=[f.pk for f in late]).update(escalated_at=now)
        by_unit = {}
        for leader in leaders_of({f.unit_id for f in late}):
            by_unit.setdefault(leader.staff.unit_id, []).append(leader)
        alerts = [
            _alert(feedback, leader, now)
            for feedback in late
            for leader in by_unit.get(feedback.unit_id, [])
        ]
        LeaderAlert.objects.bulk_create(alerts, ignore_conflicts=True)
        AuditEvent.objects.bulk_create(
            build(
                AuditEvent.Kind.CHANGE,
                "feedback.escalated",
                target=f,
                unit=f.unit,
                data={"due_at": f.due_at.isoformat(), "leaders": len(by_unit.get(f.unit_id, []))},
            )
            for f in late
        )
        ids = LeaderAlert.objects.filter(
            feedback__in=late, state=LeaderAlert.State.PENDING
        ).values_list("pk", flat=True)
        enqueue_on_commit("feedback.send_alert", *[(pk,) for pk in ids], what="PAKN alerts")
    return len(late)


def _alert(feedback, leader, now):
    context = {"feedback": feedback, "leader": leader, "now": now}
    text = render_to_string("feedback/alert.email.txt", context).strip()
    subject, _, body = text.partition("\n")
    return LeaderAlert(
        feedback=feedback,
        leader=leader,
        recipient=leader.email or "",
        subject=subject.strip()[:200],
        body=body.strip() + "\n",
    )


def deliver_alert(alert_id) -> str:
    """Send one alert (core.work.deliver: claimed under its row lock, so the task and the
    sweeper never send it twice; a failure waits for its retry). A leader without an e-mail
    address reads it on the overdue page only, and the row is done. Returns the state after,
    or ``skipped``."""
    return work.deliver(LeaderAlert, alert_id, _send)


def _send(alert) -> str:
    if not alert.recipient:
        return "trang PAKN quá hạn"
    return EmailChannel().send(alert)


def alerts_due_for_sweep(limit=500) -> list[int]:
    due = work.due_for_sweep(LeaderAlert)
    return list(due.order_by("queued_at").values_list("pk", flat=True)[:limit])
