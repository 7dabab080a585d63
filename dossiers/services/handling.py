"""Handling a received dossier: hand it to the handling unit, transfer it between agencies
(liên thông), ask for supplements, propose and approve the result, return it — one service
per action, written top to bottom inside :func:`engine.taking` (the lock, the check, then
the action's own fields; one transaction, history + audit of old and new values)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .. import signals
from ..calendar import WorkingCalendar, add_working_time, due_for_procedure
from ..models import AuditEvent, Dossier, DossierEvent, Unit
from ..queries import units_in_force
from ..workflow import SYSTEM_TRANSITIONS
from . import audit
from .engine import in_bulk_replay, run_action, taking
from .errors import WorkflowError


def handling_area(dossier):
    """Where a dossier may travel: the area of the counter in charge (the receiving unit, or
    its successor), or for a commune (an area with no areas below it) the area above, so its
    dossiers reach the district's agencies (today: the province's departments)."""
    counter = dossier.counter_unit
    area = counter.area() or counter
    lowest = not Unit.objects.filter(parent=area, level__is_area=True).exists()
    parent = area.parent.area() if lowest and area.parent_id else None
    return parent or area


def _area_units(dossier):
    """The units of the handling area in force today (an ended agency takes no more work)."""
    return units_in_force(timezone.localdate()).filter(path__startswith=handling_area(dossier).path)


def step_unit(step, dossier):
    """The unit that performs ``step`` for this dossier: fixed; the receiving unit itself when
    the step is done by its kind (the commune that received it); else found by kind in the
    handling area."""
    if step.unit_id:
        return step.unit
    if dossier.competent_unit_id and step.unit_kind == dossier.competent_unit.kind:
        return dossier.competent_unit  # received province-wide for another unit
    if step.unit_kind == dossier.counter_unit.kind:
        return dossier.counter_unit
    return _area_units(dossier).filter(kind=step.unit_kind).order_by("path").first()


def default_handler(dossier):
    """Where "Chuyển xử lý" sends a dossier: the first step of another unit, else the procedure's
    handling agency in the area, else the receiving unit itself (a commune handles its own)."""
    counter_only = not dossier.counter_unit.level.is_area  # the district's Bộ phận Một cửa
    if dossier.competent_unit_id:  # received province-wide: the competent unit's first step
        steps = dossier.procedure.steps.order_by("order")
        mine = next((s for s in steps if step_unit(s, dossier) == dossier.competent_unit), None)
        return dossier.competent_unit, mine
    for step in dossier.procedure.steps.order_by("order"):
        unit = step_unit(step, dossier)
        # A step of a counter that only receives (reception) is over by now; a commune's own
        # step is real handling and starts here.
        if unit is not None and not (counter_only and unit == dossier.counter_unit):
            return unit, step
    agencies = dossier.procedure.handling_units.filter(
        Q(path__startswith=handling_area(dossier).path),
        Q(pk__in=units_in_force(timezone.localdate()).values("pk")),
        has_counter=False,
    )
    return (agencies.order_by("path").first() or dossier.counter_unit), None


def _enter_step(dossier, event, unit, step, now):
    dossier.current_unit = unit
    dossier.current_step = step
    dossier.assigned_to = None
    if step is not None:
        dossier.step_due_at = add_working_time(now, step.working_days)
    else:
        dossier.step_due_at = dossier.due_at
    event.to_unit = unit


def assign(dossier_id, *, actor, to_unit=None, at=None, request=None):
    """The counter hands a received dossier to the unit that handles it (electronically)."""
    with taking(dossier_id, "assign", actor=actor, at=at, request=request) as step:
        dossier = step.dossier
        unit, handling_step = default_handler(dossier)
        if to_unit is not None and to_unit != unit:
            if not _area_units(dossier).filter(pk=to_unit.pk).exists():
                raise WorkflowError("Đơn vị nhận không thuộc địa bàn của hồ sơ.", field="to_unit")
            unit, handling_step = to_unit, None
        step.event.electronic = unit != dossier.receiving_unit or None
        _enter_step(dossier, step.event, unit, handling_step, step.now)
    return step.dossier, step.event


def transfer(dossier_id, *, actor, to_unit, electronic=True, note="", at=None, request=None):
    """Hand the dossier to another agency (liên thông). ``electronic=False`` records a
    hand-over that happened on paper, so the electronic-transfer rate stays honest."""
    with taking(dossier_id, "transfer", actor=actor, reason=note, at=at, request=request) as step:
        dossier = step.dossier
        if to_unit is None or to_unit.pk == dossier.current_unit_id:
            raise WorkflowError("Chọn đơn vị nhận khác đơn vị đang xử lý.", field="to_unit")
        if not _area_units(dossier).filter(pk=to_unit.pk).exists():
            raise WorkflowError("Đơn vị nhận không thuộc địa bàn của hồ sơ.", field="to_unit")
        current_order = dossier.current_step.order if dossier.current_step else 0
        later = dossier.procedure.steps.filter(order__gt=current_order).order_by("order")
        handling_step = next((s for s in later if step_unit(s, dossier) == to_unit), None)
        step.event.electronic = bool(electronic)
        _enter_step(dossier, step.event, to_unit, handling_step, step.now)
    return step.dossier, step.event


def request_supplement(dossier_id, *, actor, reason, at=None, request=None):
    """Ask the applicant for missing papers (Mẫu 02); the clock stops until they come."""
    code = "request_supplement"
    with taking(dossier_id, code, actor=actor, reason=reason, at=at, request=request) as step:
        step.dossier.clock_stopped_at = step.now
        step.dossier.step_due_at = None  # the applicant's wait is nobody's lateness
    return step.dossier, step.event


def supplied(dossier_id, *, actor, note="", at=None, request=None):
    """The supplement arrived: the dossier is due anew, counted from now."""
    with taking(dossier_id, "supplied", actor=actor, reason=note, at=at, request=request) as step:
        dossier = step.dossier
        due = due_for_procedure(dossier.received_rules, step.now, calendar=WorkingCalendar.load())
        dossier.due_at = dossier.appointment_at = dossier.step_due_at = due
        dossier.clock_stopped_at = None
        step.event.to_unit = dossier.current_unit
    return step.dossier, step.event


def propose_result(dossier_id, *, actor, note="", at=None, request=None):
    """The specialist submits the draft result to the unit's leader."""
    code = "propose_result"
    with taking(dossier_id, code, actor=actor, reason=note, at=at, request=request) as step:
        step.dossier.assigned_to = actor
    return step.dossier, step.event


def approve(dossier_id, *, actor, note="", at=None, request=None):
    """The leader signs off: the result goes back to the receiving counter."""
    with taking(dossier_id, "approve", actor=actor, reason=note, at=at, request=request) as step:
        dossier = step.dossier
        dossier.finished_at = step.now
        dossier.current_unit = dossier.return_counter
        dossier.current_step = None
        # The counter's last step, handing the result over, is due by the appointment.
        dossier.step_due_at = dossier.appointment_at
        step.event.to_unit = dossier.return_counter
    return step.dossier, step.event


def send_back(dossier_id, *, actor, reason, at=None, request=None):
    """The leader returns the draft to the specialist with the reason."""
    return run_action(dossier_id, "send_back", actor=actor, reason=reason, at=at, request=request)


def return_result(dossier_id, *, actor, note="", at=None, request=None):
    """The counter hands the result to the applicant. After commit, ``signals.dossier_returned``
    tells the apps that follow a returned dossier (the archive packs it); ``replay`` says the
    return is part of a bulk replay (demo, import)."""
    return _return(dossier_id, actor=actor, note=note, at=at, request=request)


def returned_by_post(dossier_id, *, at, note=""):
    """The postal service reported the hand-over to the applicant at ``at`` (integrations):
    the return action of the workflow table, taken by the system (no actor, only the state
    checked), at that moment — its ``returned_at`` and its step's outcome against the due
    moment."""
    return _return(dossier_id, actor=None, note=note, at=at, system=True)


def _return(dossier_id, *, actor, note, at, request=None, system=False):
    code = "return_result"
    kw = {"actor": actor, "reason": note, "at": at, "request": request, "system": system}
    with taking(dossier_id, code, **kw) as step:
        dossier = step.dossier
        dossier.returned_at = step.now
        replay = in_bulk_replay()
        transaction.on_commit(
            lambda: signals.dossier_returned.send(
                sender=return_result, dossier=dossier, actor=actor, replay=replay
            )
        )
    return step.dossier, step.event


def send_by_post(dossier_id, *, actor, note="", at=None, request=None):
    """The counter hands the result to the public postal service (Quyết định 45/2016/QĐ-TTg).
    Its history row is the order: integrations writes the shipment in the same transaction
    (and refuses, rolling it back, when the applicant did not choose the post)."""
    return run_action(dossier_id, "send_by_post", actor=actor, reason=note, at=at, request=request)


def decline(dossier_id, *, actor, reason, at=None, request=None):
    """The handling unit will not resolve it (with the reason); the papers go back."""
    with taking(dossier_id, "decline", actor=actor, reason=reason, at=at, request=request) as step:
        dossier = step.dossier
        dossier.finished_at = step.now
        dossier.current_unit = dossier.return_counter
        dossier.current_step = None
        step.event.to_unit = dossier.return_counter
    return step.dossier, step.event


def withdraw(dossier_id, *, actor, reason, at=None, request=None):
    """The applicant withdraws the dossier (their written request noted as the reason)."""
    return run_action(dossier_id, "withdraw", actor=actor, reason=reason, at=at, request=request)


def extend(dossier_id, *, actor, reason, new_appointment, at=None, request=None):
    """Apologise and set a new appointment (Mẫu 04); the dossier still counts as late."""
    with taking(dossier_id, "extend", actor=actor, reason=reason, at=at, request=request) as step:
        dossier = step.dossier
        current = dossier.appointment_at or dossier.due_at
        if new_appointment is None or (current and new_appointment <= current):
            raise WorkflowError("Ngày hẹn mới phải sau ngày hẹn hiện tại.", field="new_appointment")
        dossier.appointment_at = new_appointment
        dossier.was_extended = True
    return step.dossier, step.event


def mark_archived(dossier_id, *, at=None):
    """System transition returned → archived, called by the archive app once the dossier's
    package is sealed; no person takes it, so it bypasses the action table's roles."""
    [dossier] = mark_archived_many([dossier_id], at=at)
    return dossier


def mark_archived_many(dossier_ids, *, at=None):
    """:func:`mark_archived` for several dossiers in one transaction and a fixed number of
    queries (the archive seals its packages in batches): each gets its ``archive`` event and
    audit row. All or none: a dossier that is not returned refuses the whole call."""
    sources, target = SYSTEM_TRANSITIONS["archive"]
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().filter(pk__in=dossier_ids).order_by("pk")
        dossiers = list(locked.only("state", "current_unit", "receiving_unit"))
        if len(dossiers) != len(set(dossier_ids)) or any(d.state not in sources for d in dossiers):
            raise WorkflowError("Chỉ lưu trữ hồ sơ đã trả kết quả.", status=409)
        now = at or timezone.now()
        events = DossierEvent.objects.bulk_create(
            DossierEvent(
                dossier=d,
                action="archive",
                from_state=d.state,
                to_state=target,
                at=now,
                to_unit_id=d.current_unit_id,
            )
            for d in dossiers
        )
        updated_at = timezone.now()
        Dossier.objects.filter(pk__in=[d.pk for d in dossiers]).update(
            state=target, updated_at=updated_at
        )
        for dossier in dossiers:
            dossier.state, dossier.updated_at = target, updated_at
        AuditEvent.objects.bulk_create(
            audit.build(
                AuditEvent.Kind.CHANGE,
                "dossier.archive",
                target=d,
                unit=Unit(pk=d.receiving_unit_id),
            )
            for d in dossiers
        )
        # What save() and create() would have told the listeners, once for the lot.
        signals.rows_changed.send(DossierEvent, pks=[e.pk for e in events])
        signals.rows_changed.send(Dossier, pks=[d.pk for d in dossiers])
    return dossiers
