"""Receiving a dossier at the counter, and accepting one submitted online."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..addresses import todays_commune
from ..calendar import WorkingCalendar, due_for_procedure
from ..hooks import RECEPTION_WAIVERS as WAIVERS
from ..models import (
    Applicant,
    AuditEvent,
    Channel,
    Dossier,
    DossierComponent,
    DossierEvent,
    Notification,
    Procedure,
)
from ..notifications import notify_applicant
from ..queries import clerk_unit, competent_units, province_wide, units_in_force
from ..signals import dossier_received, dossier_receiving
from ..workflow import State
from .audit import record
from .engine import action_moment, issue_form_now, taking
from .errors import WorkflowError
from .numbering import allot_code


@dataclass
class ReceivedComponent:
    component_id: int
    copies: int = 1
    received: bool = True


def _applicant_with(data: dict) -> Applicant:
    """The applicant with this ID number (or a new one), the posted details set, unsaved."""
    id_number = (data.get("id_number") or "").strip()
    applicant = Applicant.objects.filter(id_number=id_number).first() or Applicant()
    for field in ("kind", "id_number", "name", "phone", "address", "email"):
        if data.get(field) not in (None, ""):
            setattr(
                applicant,
                field,
                data[field].strip() if isinstance(data[field], str) else data[field],
            )
    return applicant


def _labelled(field, message):
    label = Applicant._meta.get_field(field).verbose_name if field != "__all__" else ""
    return f"{label.capitalize()}: {message}" if label else message


def applicant_problems(data: dict) -> dict[str, list[str]]:
    """Every invalid field of the applicant's details at once ({field: [messages]}), so that a
    form shows them all in one round; empty when find_or_update_applicant would accept them."""
    applicant = _applicant_with(data)
    try:
        applicant.full_clean(validate_unique=applicant.pk is None)
    except ValidationError as exc:
        return exc.message_dict
    return {}


def find_or_update_applicant(data: dict) -> Applicant:
    """The applicant with this ID number, its contact details refreshed; or a new one.

    Raises WorkflowError naming the first invalid field in Vietnamese."""
    applicant = _applicant_with(data)
    try:
        applicant.full_clean(validate_unique=applicant.pk is None)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise WorkflowError(_labelled(field, messages[0]), field=field) from exc
    applicant.save()
    return applicant


def waived_components(procedure, *, actor, data) -> set:
    """Ids of the required components higher apps vouch for (hooks.RECEPTION_WAIVERS)."""
    return set().union(*(w(procedure=procedure, actor=actor, data=data or {}) for w in WAIVERS))


def check_components(procedure: Procedure, components: list[ReceivedComponent], waived=frozenset()):
    """The catalogue's components by id, once every required one is received or ``waived``
    (ids a higher app vouches for, hooks.RECEPTION_WAIVERS)."""
    by_id = {c.pk: c for c in procedure.components.all()}
    unknown = [c.component_id for c in components if c.component_id not in by_id]
    if unknown:
        raise WorkflowError("Thành phần hồ sơ không thuộc thủ tục đã chọn.", field="components")
    got = {c.component_id for c in components if c.received}
    missing = [c.name for c in by_id.values() if c.required and c.pk not in got | waived]
    if missing:
        raise WorkflowError(
            "Thiếu thành phần bắt buộc: " + "; ".join(missing) + ". Hướng dẫn công dân bổ sung "
            "trước khi tiếp nhận, hoặc lập Phiếu từ chối (Mẫu 03).",
            field="components",
        )
    return by_id


def add_components(dossier, catalogue, components: list[ReceivedComponent]):
    """The dossier's component rows, named and shaped as the catalogue's (``catalogue`` is
    :func:`check_components`'s answer)."""
    DossierComponent.objects.bulk_create(
        DossierComponent(
            dossier=dossier,
            component=catalogue[c.component_id],
            name=catalogue[c.component_id].name,
            form=catalogue[c.component_id].form,
            copies=max(1, c.copies),
            received=c.received,
        )
        for c in components
    )


def earlier_dossier(key):
    """The dossier an earlier sending of the form with idempotency ``key`` created, if any."""
    return Dossier.objects.filter(idempotency_key=key).first() if key else None


def check_unit_receives(procedure: Procedure, unit, day) -> None:
    """The procedure is in force and ``unit``'s counter, in force on ``day``, receives it: any
    counter of the province from Nghị định 118/2025 on (queries.province_wide); before it any
    counter when the procedure is boundary-free (không phụ thuộc địa giới hành chính), else a
    counter that handles it or whose area holds a unit that does. Raises WorkflowError in
    Vietnamese. ``queries.receiving_units`` lists the same counters for a form."""
    if not unit.in_force(day):
        raise WorkflowError(
            f"{unit.name} không hoạt động vào ngày {day:%d/%m/%Y} nên không tiếp nhận hồ sơ.",
            status=403,
        )
    if not procedure.is_active:
        raise WorkflowError("Thủ tục này đã ngừng áp dụng.", field="procedure")
    if procedure.boundary_free:
        return
    in_province = procedure.handling_units.filter(path__startswith=unit.province_path)
    if province_wide(day) and in_province.exists():
        return
    if procedure.handling_units.filter(pk=unit.pk).exists():
        return
    if not procedure.handling_units.filter(path__startswith=unit.area().path).exists():
        raise WorkflowError(
            f"{unit.name} không tiếp nhận thủ tục «{procedure.name}».", field="procedure"
        )


def competent_unit_for(procedure, unit, day, *, chosen=None, address=""):
    """Where a dossier received province-wide is resolved (None: as before, by the receiving
    unit's own area): the unit the clerk chose, which must resolve the procedure; for a
    procedure of the communes, the commune the applicant's address names; the only unit in
    force that resolves it; the receiving unit when it resolves it itself."""
    if not province_wide(day):
        return None
    candidates = competent_units(procedure, day)
    if chosen is not None:
        if not candidates.filter(pk=chosen.pk).exists():
            raise WorkflowError(
                f"{chosen.name} không giải quyết thủ tục «{procedure.name}».",
                field="competent_unit",
            )
        return None if chosen.pk == unit.pk else chosen
    home = todays_commune(address, day=day)
    if home is not None and candidates.filter(pk=home.pk).exists():
        return None if home.pk == unit.pk else home
    if candidates.filter(pk=unit.pk).exists():
        return None
    found = list(candidates[:2])
    if len(found) == 1:
        return found[0]
    if not found:
        raise WorkflowError(
            f"Chưa có đơn vị đang hoạt động giải quyết thủ tục «{procedure.name}»: cần cập "
            "nhật danh mục thủ tục theo đơn vị hành chính hiện nay.",
            field="procedure",
        )
    raise WorkflowError(
        "Chọn đơn vị có thẩm quyền giải quyết hồ sơ (địa chỉ người nộp không cho biết xã, "
        "phường nào).",
        field="competent_unit",
    )


def check_return_unit(chosen, unit, day):
    """Where the applicant collects the result: a counter in force (None: where received)."""
    if chosen is None or chosen.pk == unit.pk:
        return None
    if not (chosen.has_counter and units_in_force(day).filter(pk=chosen.pk).exists()):
        raise WorkflowError(
            f"{chosen.name} không có nơi trả kết quả đang hoạt động.", field="return_unit"
        )
    return chosen


def receive_dossier(
    *,
    actor,
    procedure: Procedure,
    applicant: dict,
    components: list[ReceivedComponent],
    channel=Channel.DIRECT,
    at=None,
    idempotency_key=None,
    note="",
    request=None,
    form_data=None,
    competent_unit=None,
    return_unit=None,
) -> Dossier:
    """Receive a complete dossier at the actor's counter: applicant found or created, code
    allotted (gap-free), appointment computed, history + audit written, Mẫu 01 issued — one
    transaction. The same ``idempotency_key`` twice returns the first dossier unchanged.
    Province-wide reception: ``competent_unit`` (or the applicant's commune) is where it will
    be resolved, ``return_unit`` where the applicant collects the result.
    ``form_data`` (the posted reception form) is handed to dossier_received's receivers."""
    unit = clerk_unit(actor)
    if unit is None:
        raise WorkflowError("Chỉ cán bộ Bộ phận Một cửa được tiếp nhận hồ sơ.", status=403)
    if not unit.has_counter:
        raise WorkflowError(f"{unit.name} không có Bộ phận Một cửa để tiếp nhận hồ sơ.", status=403)
    # Keys are the counter's own: the same key from another unit is another form.
    key = f"{unit.pk}:{idempotency_key[:64]}" if idempotency_key else None
    if existing := earlier_dossier(key):
        return existing
    received_at = action_moment(at)
    day = timezone.localdate(received_at)
    check_unit_receives(procedure, unit, day)
    competent = competent_unit_for(
        procedure, unit, day, chosen=competent_unit, address=applicant.get("address", "")
    )
    collect = check_return_unit(return_unit, unit, day)
    try:
        with transaction.atomic():
            waived = waived_components(procedure, actor=actor, data=form_data)
            catalogue = check_components(procedure, components, waived)
            person = find_or_update_applicant(applicant)
            rules = procedure.rules_on(day)  # kept on the dossier: later changes pass it by
            due = due_for_procedure(
                rules or procedure, received_at, calendar=WorkingCalendar.load()
            )
            local_day = received_at.astimezone(due.tzinfo).date()
            dossier = Dossier.objects.create(
                code=allot_code(
                    procedure=procedure,
                    receiving_unit=unit,
                    handling_unit=competent,
                    day=local_day,
                ),
                procedure=procedure,
                rules=rules,
                applicant=person,
                receiving_unit=unit,
                current_unit=unit,
                competent_unit=competent,
                return_unit=collect,
                state=State.RECEIVED,
                channel=channel,
                received_by=actor,
                received_at=received_at,
                due_at=due,
                appointment_at=due,
                step_due_at=due,
                idempotency_key=key,
                note=note,
            )
            add_components(dossier, catalogue, components)
            event = DossierEvent.objects.create(
                dossier=dossier,
                action="receive",
                to_state=State.RECEIVED,
                at=received_at,
                actor=actor,
                actor_unit=unit,
                to_unit=unit,
                step_due_at=due,
                note=note,
            )
            record(
                AuditEvent.Kind.CHANGE,
                "dossier.receive",
                actor=actor,
                target=dossier,
                request=request,
            )
            data = form_data if form_data is not None else {}
            dossier_receiving.send(sender=receive_dossier, dossier=dossier, actor=actor, data=data)
            issue_form_now(dossier, "receipt", actor=actor, event=event)
            notify_applicant(dossier, Notification.Event.RECEIVED)
            transaction.on_commit(
                lambda: dossier_received.send(
                    sender=receive_dossier, dossier=dossier, actor=actor, data=data
                )
            )
    except IntegrityError:
        if existing := earlier_dossier(key):  # the same form sent twice at once: the first won
            return existing
        raise
    return dossier


def accept(dossier_id, *, actor, at=None, request=None):
    """Accept a dossier submitted online: it becomes received, under the procedure's rules
    in force today, and its clock starts now."""
    with taking(dossier_id, "accept", actor=actor, at=at, request=request) as step:
        dossier = step.dossier
        dossier.received_at = step.now
        dossier.received_by = actor
        dossier.rules = dossier.procedure.rules_on(timezone.localdate(step.now))
        dossier.due_at = dossier.appointment_at = dossier.step_due_at = due_for_procedure(
            dossier.received_rules, step.now, calendar=WorkingCalendar.load()
        )
        step.event.step_due_at = dossier.due_at
    return step.dossier, step.event


def refuse(dossier_id, *, actor, reason, at=None, request=None):
    """Refuse to receive (Mẫu 03 with the reason)."""
    with taking(dossier_id, "refuse", actor=actor, reason=reason, at=at, request=request) as step:
        step.dossier.finished_at = None
    return step.dossier, step.event
