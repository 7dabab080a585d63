"""The platform's confirmation of a payment (its server-to-server callback, IPN): checked
(checksum, partner, reference, amount, currency) and applied once. A second identical
confirmation is answered OK and changes nothing; a different one for a settled reference is
refused. Every answer is ``{"MaLoi", "MoTaLoi"}`` with a Vietnamese text; nothing raises."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dossiers.models import AuditEvent
from dossiers.services.audit import record

from . import payment_messages as messages
from .models import Payment
from .payments import REFUND_STATES

log = logging.getLogger(__name__)

OK = "00"
# Our answer codes (payment.json: "callback_answer", unverified).
MISSING, BAD_CHECKSUM, UNKNOWN, BAD_AMOUNT, CONFLICT = "01", "02", "03", "04", "05"
REQUIRED = ("LoaiBanTin", "MaLoi", "MaDoiTac", "MaThamChieu", "SoTien", "MaXacThuc")
# What must be the same for a repeated confirmation to be "the same one".
SAME = ("MaLoi", "SoTien", "MaGiaoDich", messages.RECEIPT_FIELD)


def answer(code, text):
    return {"MaLoi": code, "MoTaLoi": text}


def confirm(message) -> dict:
    """Apply the platform's confirmation ``message`` (a parsed JSON body) at most once."""
    if not isinstance(message, dict):
        return answer(MISSING, "Bản tin không phải một đối tượng JSON.")
    missing = [name for name in REQUIRED if not str(message.get(name, "")).strip()]
    if missing:
        return answer(MISSING, f"Bản tin thiếu trường: {', '.join(missing)}.")
    if not messages.confirmation_is_signed(message, settings.PAYMENT_SECRET):
        log.warning("payment callback with a wrong checksum refused")
        return answer(BAD_CHECKSUM, "Sai mã xác thực (MaXacThuc).")
    if message["MaDoiTac"] != settings.PAYMENT_PARTNER_CODE:
        return answer(BAD_CHECKSUM, "Mã đối tác không đúng.")
    if str(message.get("MaTienTe") or "VND") != "VND":
        return answer(BAD_AMOUNT, "Loại tiền tệ không phải VND.")
    try:
        amount = int(str(message["SoTien"]))
    except ValueError:
        return answer(BAD_AMOUNT, "Số tiền không phải số nguyên (đồng).")
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("dossier")
            .filter(reference=str(message["MaThamChieu"])[:64], channel=Payment.Channel.ONLINE)
            .first()
        )
        if payment is None:
            return answer(UNKNOWN, "Không có giao dịch với mã tham chiếu này.")
        if amount != payment.amount:
            log.warning("payment callback with a different amount refused: %s", payment.reference)
            return answer(BAD_AMOUNT, "Số tiền không khớp với khoản phải nộp.")
        if payment.confirmation:
            if all(str(payment.confirmation.get(k, "")) == str(message.get(k, "")) for k in SAME):
                return answer(OK, "Đã ghi nhận trước đó.")
            return answer(CONFLICT, "Mã tham chiếu đã có kết quả khác: bản tin bị từ chối.")
        return _apply(payment, message)


def _apply(payment, message) -> dict:
    old = payment.state
    paid = message["MaLoi"] == messages.CONFIRM_OK
    payment.confirmation = {k: v for k, v in message.items() if k != "MaXacThuc"}
    payment.transaction_id = str(message.get("MaGiaoDich", ""))[:64]
    if not paid:
        if payment.state == Payment.State.PENDING:
            payment.state = Payment.State.FAILED
    else:
        payment.receipt_number = str(message.get(messages.RECEIPT_FIELD, ""))[:64]
        payment.paid_at = timezone.now()
        other = (
            Payment.objects.filter(dossier_id=payment.dossier_id, state__in=Payment.SETTLED)
            .exclude(pk=payment.pk)
            .exists()
        )
        if other or payment.dossier.state in REFUND_STATES:
            # Paid twice (the counter took it meanwhile) or for a dossier refused: due back.
            payment.state = Payment.State.REFUND_DUE
            payment.note = "Đã thanh toán lần khác" if other else "Hồ sơ không được giải quyết"
        else:
            payment.state = Payment.State.PAID
    if (
        payment.receipt_number
        and Payment.objects.filter(receipt_number=payment.receipt_number)
        .exclude(pk=payment.pk)
        .exists()
    ):
        return answer(CONFLICT, "Số biên lai đã được ghi cho giao dịch khác.")
    payment.save()
    record(
        AuditEvent.Kind.CHANGE,
        "payment.confirmed",
        target=payment.dossier,
        unit=payment.dossier.receiving_unit,
        data={"state": {"old": old, "new": payment.state}, "reference": payment.reference},
    )
    return answer(OK, "Đã ghi nhận kết quả thanh toán.")
