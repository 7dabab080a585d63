"""Returning results by the public postal service (bưu chính công ích, Quyết định
45/2016/QĐ-TTg), from the applicant's choice to the hand-over.

- :func:`record_choice` (a receiver of ``dossier_receiving``, inside the reception's or the
  online submission's transaction) stores how the applicant will receive the result; an
  address in no commune of today's map refuses the whole dossier with a Vietnamese message.
- :func:`order_shipment` (a receiver of the ``send_by_post`` history row, in the clerk's
  transaction) writes the shipment order; it is sent after commit by a task.
- :func:`send_shipment` (the task's body) places the order with the postal service: a
  transient fault waits for the next attempt, a refusal ends ``rejected`` with its reason;
  :func:`resend_shipment` sends it again once the clerk has corrected the address.
- :func:`record_update` (a pushed update, or :func:`pull_tracking`) stores a tracking update
  once; the hand-over to the applicant returns the dossier, as the system, at that moment.
"""

import logging

from celery import current_app
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import queue
from core.errors import PortalError
from core.work import claim, done_values, due_for_sweep, fail
from dossiers.models import AuditEvent, Dossier, Unit
from dossiers.queries import units_in_force
from dossiers.services import returned_by_post
from dossiers.services.audit import record
from dossiers.services.errors import WorkflowError
from dossiers.validators import normalise_phone, validate_phone
from dossiers.workflow import State

from . import background, postal_messages
from .adapters.post import postal_service
from .models import PostalChoice, Shipment, ShipmentUpdate
from .platforms import RejectedError, TransientError

log = logging.getLogger(__name__)
TASK = "integrations.send_shipment"
BY_POST = "post"
# The choice's fields inside the online submission form (dossiers.hooks.ONLINE_FORM_PARTS).
ONLINE_PART = "integrations/_postal_online.html"
NO_UNIT = (
    "Địa chỉ nhận kết quả qua bưu chính không thuộc xã, phường nào đang hoạt động của tỉnh: "
    "chọn lại xã, phường (theo địa giới từ 1/7/2025)."
)


class ShipmentRefused(PortalError):  # noqa: N818 - a refusal, not a fault
    """A shipment the portal will not order or a tracking update it will not take."""


def communes_today():
    """Today's communes and wards, for the address selects."""
    day = timezone.localdate()
    communes = units_in_force(day).filter(kind="commune", level__is_area=True, parent__isnull=False)
    return communes.only("pk", "code", "name").order_by("name")


def commune_today(code: str) -> Unit | None:
    code = (code or "").strip()[:20]
    return communes_today().filter(code=code).first() if code else None


def _address(street, commune_code, phone, *, fallback_phone=""):
    """(street, commune, phone) checked, or WorkflowError naming the field in Vietnamese."""
    street = (street or "").strip()[:255]
    if not street:
        raise WorkflowError(
            "Ghi số nhà, thôn, bản để bưu chính phát kết quả.", field="postal_street"
        )
    commune = commune_today(commune_code)
    if commune is None:
        raise WorkflowError(NO_UNIT, field="postal_commune")
    phone = normalise_phone(phone or fallback_phone)
    if not phone:
        raise WorkflowError("Ghi số điện thoại người nhận kết quả.", field="postal_phone")
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0], field="postal_phone") from exc
    return street, commune, phone


def record_choice(dossier, data, *, actor=None) -> PostalChoice | None:
    """Store the applicant's choice posted with the form (``postal_return``: "post" or
    "counter"; with post, ``postal_street``, ``postal_commune`` (a unit code of today's map),
    ``postal_phone``, ``postal_cod``). Nothing when the form had no such field. Inside the
    dossier's transaction: a WorkflowError refuses the dossier."""
    choice = (data.get("postal_return") or "").strip()
    if choice not in (BY_POST, "counter"):
        return None
    values = {"return_by_post": choice == BY_POST, "recipient": dossier.applicant.name[:200]}
    if choice == BY_POST:
        street, commune, phone = _address(
            data.get("postal_street"),
            data.get("postal_commune"),
            data.get("postal_phone"),
            fallback_phone=dossier.applicant.phone,
        )
        values.update(
            street=street,
            commune=commune,
            phone=phone,
            collect_on_delivery=bool(data.get("postal_cod")),
        )
    return PostalChoice.objects.create(dossier=dossier, **values)


def receipt_lines(dossier) -> list[tuple[str, str]]:
    """The receipt's line on the way of return (Mẫu 01), when the applicant chose."""
    choice = PostalChoice.objects.filter(dossier=dossier).select_related("commune").first()
    if choice is None:
        return []
    if not choice.return_by_post:
        return [("Hình thức nhận kết quả", "trực tiếp tại nơi trả kết quả")]
    text = (
        "qua dịch vụ bưu chính công ích (Quyết định 45/2016/QĐ-TTg), gửi đến "
        f"{choice.recipient}, {choice.address_line}"
    )
    return [("Hình thức nhận kết quả", text)]


def order_shipment(event) -> Shipment:
    """The shipment order of a ``send_by_post`` step, in its transaction; enqueued after
    commit. Refused (rolling the step back) when the applicant did not choose the post, when
    an order exists already, or when the address is in no commune of today's map."""
    dossier = event.dossier
    choice = PostalChoice.objects.filter(dossier=dossier).select_related("commune").first()
    if choice is None or not choice.return_by_post:
        raise WorkflowError(
            "Người nộp không chọn nhận kết quả qua bưu chính: trả kết quả tại quầy.", status=409
        )
    existing = Shipment.objects.filter(dossier=dossier).first()
    if existing is not None:
        raise WorkflowError(
            f"Kết quả hồ sơ đã có đơn gửi bưu chính ({existing.get_state_display().lower()}); "
            "xem khung Bưu chính công ích.",
            status=409,
        )
    _check_address(choice)
    shipment = Shipment(
        dossier=dossier,
        order_code=f"{dossier.code}-KQ"[:64],
        created_by=event.actor,
    )
    shipment.cod_amount = postal_messages.cod_amount(dossier, choice)
    shipment.payload = postal_messages.order(dossier, choice, shipment)
    shipment.save()
    hand_over(shipment.pk)
    return shipment


def hand_over(shipment_id):
    """After commit, to the worker (full mode) or to the web process's background thread
    (embedded mode): the clerk's request never waits on the postal service."""
    if current_app.conf.task_always_eager:
        transaction.on_commit(lambda: background.submit_shipment(shipment_id))
    else:
        queue.enqueue_on_commit(TASK, (shipment_id,), what="postal order")


def _check_address(choice):
    """Refused before sending: the commune has ended (a reorganisation since the choice)."""
    if choice.commune_id is None or not communes_today().filter(pk=choice.commune_id).exists():
        raise WorkflowError(NO_UNIT, field="postal_commune", status=409)


def send_shipment(shipment_id, *, client=None) -> str:
    """Place the order with the postal service; returns the state written ("sent",
    "pending" waiting for its next attempt, "rejected"), or "busy", "waiting" (its retry is
    not due yet) or "done" when there was nothing to do. Idempotent: the order code is the
    service's key, and a row already sent is not sent again."""
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    if not claim(Shipment.objects.filter(due, pk=shipment_id), now=now):
        # A task handed over twice does not overtake the backoff of a retry.
        state = Shipment.objects.filter(pk=shipment_id).values_list("state", flat=True).first()
        return {Shipment.State.SENDING: "busy", Shipment.State.PENDING: "waiting"}.get(
            state, "done"
        )
    shipment = Shipment.objects.get(pk=shipment_id)
    client = client or postal_service()
    held = {"state": Shipment.State.SENDING}
    try:
        ack = client.create_order(shipment.payload)
    except RejectedError as exc:
        fail(shipment, exc.reason, transient=False, where=held, answer=exc.answer or None)
        log.warning("postal service refused order %s", shipment.order_code)
        return shipment.state
    except TransientError as exc:
        return fail(shipment, exc.reason, where=held, answer=exc.answer or None)
    Shipment.objects.filter(pk=shipment.pk, **held).update(
        **done_values(Shipment),
        tracking_code=ack.tracking_code,
        fee=ack.fee,
        answer=ack.answer,
        status="1",
        status_label=postal_messages.status_label("1"),
    )
    return Shipment.State.SENT


def due_shipments(limit=500) -> list[int]:
    """Orders whose task may have been lost, or whose retry came due (a retry waits in
    ``pending``, which core.work's sweep only takes once its grace after queueing passed)."""
    retry_due = Shipment.objects.filter(
        state=Shipment.State.PENDING, next_attempt_at__lte=timezone.now()
    )
    rows = (due_for_sweep(Shipment) | retry_due).order_by("queued_at")
    return list(rows.values_list("pk", flat=True)[:limit])


def resend_shipment(shipment, *, actor, street=None, commune_code=None, phone=None, request=None):
    """Send a refused (or waiting) order again now, with the address the clerk corrected;
    the order is built again from today's rows, under the same order code (the service
    kept nothing of a refused one). Audited; enqueued after commit."""
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if shipment.state not in (Shipment.State.REJECTED, Shipment.State.PENDING):
            raise WorkflowError("Đơn này bưu chính đã nhận, không gửi lại.", status=409)
        choice = PostalChoice.objects.select_for_update().get(dossier=shipment.dossier)
        old = {"street": choice.street, "commune": choice.commune_id, "phone": choice.phone}
        if street is not None or commune_code is not None or phone is not None:
            choice.street, choice.commune, choice.phone = _address(
                street if street is not None else choice.street,
                commune_code if commune_code is not None else choice.commune.code,
                phone if phone is not None else choice.phone,
            )
            choice.save(update_fields=["street", "commune", "phone", "updated_at"])
        _check_address(choice)
        shipment.payload = postal_messages.order(shipment.dossier, choice, shipment)
        shipment.state = Shipment.State.PENDING
        shipment.next_attempt_at = None
        shipment.last_error = ""
        shipment.save(update_fields=["payload", "state", "next_attempt_at", "last_error"])
        new = {"street": choice.street, "commune": choice.commune_id, "phone": choice.phone}
        changed = sorted(k for k in old if old[k] != new[k])  # which, not what: no address
        record(
            AuditEvent.Kind.CHANGE,
            "postal.resend",
            actor=actor,
            target=shipment.dossier,
            request=request,
            data={"order": shipment.order_code, "corrected": changed},
        )
        hand_over(shipment.pk)
    return shipment


def record_update(update, *, source) -> bool:
    """Store one tracking update (once: False when it was recorded before) and follow it on
    the shipment; the hand-over to the applicant returns the dossier as the system, at the
    moment the postal service reports (its ``returned_at`` and the deadline's outcome). One
    transaction. ShipmentRefused (404) for a tracking code the portal never ordered."""
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update()
            .filter(tracking_code=update.tracking_code, state=Shipment.State.SENT)
            .first()
        )
        if shipment is None:
            raise ShipmentRefused("Không có đơn gửi bưu chính với mã vận đơn này.", status=404)
        try:
            with transaction.atomic():
                ShipmentUpdate.objects.create(
                    shipment=shipment,
                    update_id=update.update_id,
                    status=update.status,
                    label=update.label,
                    at=update.at,
                    note=update.note,
                    source=source,
                )
        except IntegrityError:
            return False
        latest = shipment.updates.order_by("-at", "-id").first()
        shipment.status, shipment.status_label = latest.status, latest.label
        fields = ["status", "status_label"]
        if update.delivered and shipment.delivered_at is None:
            shipment.delivered_at = update.at
            fields.append("delivered_at")
            _return_delivered(shipment, update)
        shipment.save(update_fields=fields)
    return True


def _return_delivered(shipment, update):
    state = Dossier.objects.filter(pk=shipment.dossier_id).values_list("state", flat=True).first()
    if state != State.RESULT_READY:
        return  # returned at the counter meanwhile: the hand-over is only recorded
    returned_by_post(
        shipment.dossier_id,
        at=min(update.at, timezone.now()),
        note=f"Bưu chính đã phát kết quả cho người nhận (mã vận đơn {shipment.tracking_code}).",
    )


def pull_tracking(*, client=None, limit=200) -> dict:
    """Ask the postal service for the updates of the shipments on their way (a safety net
    beside the pushed updates); a service that does not answer is asked at the next run."""
    client = client or postal_service()
    on_the_way = Shipment.objects.filter(state=Shipment.State.SENT, delivered_at__isnull=True)
    counts = {"asked": 0, "recorded": 0, "unavailable": 0}
    for tracking_code in on_the_way.values_list("tracking_code", flat=True)[:limit]:
        counts["asked"] += 1
        try:
            updates = client.track(tracking_code)
        except TransientError:
            counts["unavailable"] += 1
            continue
        for update in updates:
            counts["recorded"] += record_update(update, source=ShipmentUpdate.Source.PULL)
    return counts
