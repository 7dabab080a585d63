"""Issuing, calling and finishing tickets: each one transaction, the area row locked so two
kiosks never hand out the same number."""

from django.db import transaction
from django.utils import timezone

from dossiers.models import AuditEvent
from dossiers.queries import clerk_unit
from dossiers.services.audit import record
from dossiers.services.errors import WorkflowError

from .models import ServiceArea, Ticket


def issue_ticket(area_id) -> Ticket:
    """The next number of the area today (numbers restart each day)."""
    with transaction.atomic():
        area = ServiceArea.objects.select_for_update().select_related("unit").get(pk=area_id)
        now = timezone.now()
        day = timezone.localdate(now)
        last = Ticket.objects.filter(area=area, day=day).order_by("-number").first()
        return Ticket.objects.create(
            area=area, day=day, number=(last.number + 1) if last else 1, issued_at=now
        )


def _clerk_unit(actor):
    unit = clerk_unit(actor)
    if unit is None:
        raise WorkflowError("Chỉ cán bộ Bộ phận Một cửa gọi số.", status=403)
    return unit


def call_next(area_id, *, actor, desk) -> Ticket | None:
    """Call the longest-waiting ticket of the area to ``desk``; None when nobody waits.
    The clerk's previous ticket, if still open, is finished first."""
    unit = _clerk_unit(actor)
    if not desk or not 1 <= int(desk) <= 99:
        raise WorkflowError("Nhập số quầy (1–99).", field="desk")
    with transaction.atomic():
        area = ServiceArea.objects.select_for_update().get(pk=area_id)
        if area.unit_id != unit.pk:
            raise WorkflowError("Khu vực này không thuộc đơn vị của bạn.", status=403)
        now = timezone.now()
        Ticket.objects.filter(clerk=actor, served_to__isnull=True, called_at__isnull=False).update(
            served_to=now
        )
        ticket = (
            Ticket.objects.select_for_update()
            .filter(area=area, day=timezone.localdate(now), called_at__isnull=True)
            .order_by("number")
            .first()
        )
        if ticket is None:
            return None
        ticket.called_at = ticket.announced_at = now
        ticket.desk, ticket.clerk = int(desk), actor
        ticket.save(update_fields=["called_at", "announced_at", "desk", "clerk"])
        record(
            AuditEvent.Kind.CHANGE,
            "ticket.called",
            actor=actor,
            target=ticket,
            data={"ticket": ticket.label, "desk": ticket.desk},
        )
        return ticket


def _own_open_ticket(ticket_id, actor):
    """The ticket, locked, when it is the actor's own turn still open (else a refusal)."""
    ticket = Ticket.objects.select_for_update().select_related("area").filter(pk=ticket_id).first()
    if ticket is None or ticket.clerk_id != actor.pk:
        raise WorkflowError("Số thứ tự này không phải lượt bạn đang phục vụ.", status=403)
    if ticket.served_to is not None:
        raise WorkflowError(f"Lượt của số {ticket.label} đã kết thúc.", status=409)
    return ticket


def recall(ticket_id, *, actor) -> Ticket:
    """«Gọi lại»: announce the clerk's current number again (the TV puts it on top); the
    first call's time, which the waiting time is measured to, is kept. Audited."""
    _clerk_unit(actor)
    with transaction.atomic():
        ticket = _own_open_ticket(ticket_id, actor)
        ticket.announced_at = timezone.now()
        ticket.recalls += 1
        ticket.save(update_fields=["announced_at", "recalls"])
        record(
            AuditEvent.Kind.CHANGE,
            "ticket.recalled",
            actor=actor,
            target=ticket,
            data={"ticket": ticket.label, "desk": ticket.desk, "recalls": ticket.recalls},
        )
        return ticket


def skip(ticket_id, *, actor) -> Ticket:
    """«Bỏ qua»: the citizen called did not come; the turn ends unserved (the number leaves
    the TV) and the clerk may call the next. Audited."""
    _clerk_unit(actor)
    with transaction.atomic():
        ticket = _own_open_ticket(ticket_id, actor)
        now = timezone.now()
        ticket.skipped_at = ticket.served_to = now
        ticket.save(update_fields=["skipped_at", "served_to"])
        record(
            AuditEvent.Kind.CHANGE,
            "ticket.skipped",
            actor=actor,
            target=ticket,
            data={"ticket": ticket.label, "desk": ticket.desk},
        )
        return ticket


def finish(ticket_id, *, actor, dossier=None) -> Ticket:
    """The clerk is done with the ticket (and says which dossier it brought, if any)."""
    unit = _clerk_unit(actor)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("area").get(pk=ticket_id)
        if ticket.area.unit_id != unit.pk:
            raise WorkflowError("Số thứ tự này không thuộc đơn vị của bạn.", status=403)
        ticket.served_to = ticket.served_to or timezone.now()
        ticket.dossier = dossier or ticket.dossier
        ticket.save(update_fields=["served_to", "dossier"])
        return ticket
