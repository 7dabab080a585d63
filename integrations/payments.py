"""Paying a dossier's fee: online through the national payment platform (the citizen is sent
to its payment page; its confirmation comes back by callback), or at the counter (a clerk
records the cash/POS payment and its receipt number). Nothing is paid twice: one settled
payment per dossier (a constraint), the callback is checked (checksum, partner, reference,
amount) and idempotent. The money of a dossier refused afterwards is due back (refund_due)."""

import re
import secrets
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import PortalError
from dossiers.models import AuditEvent, Dossier
from dossiers.queries import staff_unit, user_roles
from dossiers.roles import Role
from dossiers.services.audit import record
from dossiers.services.engine import in_bulk_replay
from dossiers.services.errors import WorkflowError
from dossiers.workflow import DROPPED_STATES, State

from . import payment_messages as messages
from .adapters.payment import platform
from .models import Payment
from .models.payments import money
from .platforms import PlatformError

# Ends of a dossier after which its fee is not earned: the applicant gets the money back.
REFUND_STATES = frozenset({State.REFUSED, State.DECLINED})
MAX_RECEIPT = 64
RECEIPT_PATTERN = re.compile(r"^[0-9A-Za-z./-]{1,64}$")


class PaymentError(PortalError):
    """A payment refused; ``message`` is Vietnamese, for the person."""


def dossier_fee(dossier) -> int:
    """The fee in đồng of the rules the dossier was received under (0: nothing to pay)."""
    return int(dossier.received_rules.fee_vnd or 0)


def settled_payment(dossier_id):
    return Payment.objects.filter(dossier_id=dossier_id, state__in=Payment.SETTLED).first()


def is_paid(dossier_id) -> bool:
    return Payment.objects.filter(dossier_id=dossier_id, state=Payment.State.PAID).exists()


def _locked(dossier_id) -> Dossier:
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "rules", "applicant", "receiving_unit")
        .get(pk=dossier_id)
    )


def check_payable(dossier):
    """Refuse (PaymentError) unless the dossier has a fee, is still alive and is not paid."""
    if dossier_fee(dossier) <= 0:
        raise PaymentError("Thủ tục của hồ sơ này không thu phí, lệ phí.", status=409)
    if dossier.state in DROPPED_STATES:
        raise PaymentError(
            f"Hồ sơ ở trạng thái «{dossier.get_state_display()}»: không nộp lệ phí.", status=409
        )
    if settled_payment(dossier.pk) is not None:
        raise PaymentError("Lệ phí của hồ sơ này đã được thanh toán.", status=409)


def new_reference(dossier) -> str:
    """MaThamChieu: the dossier code's letters and digits, the moment, 4 random characters."""
    stem = re.sub(r"\W", "", dossier.code)[:40]
    return f"{stem}{messages.moment()}{secrets.token_hex(2).upper()}"


def start_online_payment(dossier_id, *, ip, return_url, notify_url, request=None) -> str:
    """A pending payment of the dossier's whole fee and its signed request to the platform;
    the address of the platform's payment page. The row is written (and audited) in its own
    transaction before the platform is called, so no lock is held over the network; a request
    the platform refuses leaves the row failed. Raises PaymentError."""
    with transaction.atomic():
        dossier = _locked(dossier_id)
        check_payable(dossier)
        # An earlier request never paid is superseded: one live request per dossier.
        Payment.objects.filter(dossier=dossier, state=Payment.State.PENDING).update(
            state=Payment.State.CANCELLED, updated_at=timezone.now()
        )
        payment = Payment.objects.create(
            dossier=dossier,
            amount=dossier_fee(dossier),
            reference=new_reference(dossier),
            channel=Payment.Channel.ONLINE,
            payer_name=dossier.applicant.name,
        )
        record(
            AuditEvent.Kind.CHANGE,
            "payment.start",
            target=dossier,
            request=request,
            unit=dossier.receiving_unit,
            data={"reference": payment.reference, "channel": "online"},
        )
    message = messages.init_message(
        payment, dossier, ip=ip, return_url=return_url, notify_url=notify_url
    )
    try:
        order = platform().start(message)
    except PlatformError as error:
        Payment.objects.filter(pk=payment.pk, state=Payment.State.PENDING).update(
            state=Payment.State.FAILED, note=error.reason[:500], updated_at=timezone.now()
        )
        raise PaymentError(
            f"Chưa chuyển được sang trang thanh toán: {error.reason}", status=503
        ) from error
    return order.url


def record_counter_payment(dossier_id, *, receipt_number, actor, request=None) -> Payment:
    """A clerk of the dossier's receiving (or return) counter records the fee paid in cash or
    by POS with its receipt number. One transaction, audited; refused if already paid, if the
    receipt number is already used, or if the clerk is not of that counter."""
    receipt = (receipt_number or "").strip()
    if not RECEIPT_PATTERN.match(receipt):
        raise PaymentError(
            "Số biên lai gồm chữ, số và các dấu . / - (tối đa 64 ký tự).", field="receipt_number"
        )
    with transaction.atomic():
        dossier = _locked(dossier_id)
        unit = staff_unit(actor)
        if Role.CLERK.value not in user_roles(actor):
            raise PaymentError(
                "Chỉ cán bộ tiếp nhận và trả kết quả được ghi thu lệ phí.", status=403
            )
        if unit is None or unit.pk not in (dossier.counter_unit_id, dossier.return_counter_id):
            raise PaymentError(
                "Chỉ Bộ phận Một cửa tiếp nhận hoặc trả kết quả hồ sơ này được ghi thu lệ phí.",
                status=403,
            )
        check_payable(dossier)
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    dossier=dossier,
                    amount=dossier_fee(dossier),
                    reference=f"QT{new_reference(dossier)}",
                    channel=Payment.Channel.COUNTER,
                    state=Payment.State.PAID,
                    receipt_number=receipt,
                    payer_name=dossier.applicant.name,
                    paid_at=timezone.now(),
                    recorded_by=actor,
                )
        except IntegrityError as exc:
            raise PaymentError(
                "Số biên lai này đã được ghi cho một khoản nộp khác, hoặc hồ sơ đã nộp lệ phí.",
                field="receipt_number",
                status=409,
            ) from exc
        Payment.objects.filter(dossier=dossier, state=Payment.State.PENDING).update(
            state=Payment.State.CANCELLED, updated_at=timezone.now()
        )
        record(
            AuditEvent.Kind.CHANGE,
            "payment.counter",
            actor=actor,
            target=dossier,
            request=request,
            data={"state": {"old": None, "new": "paid"}, "receipt_number": receipt},
        )
    return payment


def guard_return(dossier, action_code):
    """dossiers.hooks.ACTION_GUARDS: the result is not handed over while the fee is unpaid
    (dossiers received from PAYMENT_REQUIRED_FROM; not in bulk replays of history)."""
    if action_code != "return_result" or in_bulk_replay() or not settings.PAYMENT_REQUIRED_FROM:
        return
    since = date.fromisoformat(settings.PAYMENT_REQUIRED_FROM)
    started = dossier.received_at or dossier.submitted_at
    if started is None or timezone.localdate(started) < since:
        return
    if dossier_fee(dossier) > 0 and not is_paid(dossier.pk):
        raise WorkflowError(
            f"Hồ sơ chưa nộp lệ phí ({money(dossier_fee(dossier))}): ghi thu lệ phí trước khi "
            "trả kết quả.",
            status=409,
        )


def mark_refund_due(dossier_id, *, reason):
    """The dossier ended without its fee being earned (refused, declined): its settled online
    payment is due back to the applicant. In the caller's transaction; idempotent."""
    changed = Payment.objects.filter(
        dossier_id=dossier_id, state=Payment.State.PAID, channel=Payment.Channel.ONLINE
    ).update(state=Payment.State.REFUND_DUE, note=reason[:500], updated_at=timezone.now())
    if changed:
        record(
            AuditEvent.Kind.CHANGE,
            "payment.refund_due",
            target=Dossier.objects.get(pk=dossier_id),
            data={"state": {"old": "paid", "new": "refund_due"}},
        )
    return changed
