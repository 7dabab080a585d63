"""The platform's work: take a request, settle it (paid or failed) and confirm it to the
portal by its callback, list a day's transactions."""

import datetime
import json
import secrets

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .messages import CONFIRM_ORDER, mac
from .models import Fault, Transaction


class RefusedError(Exception):
    """A request the platform does not take: answered with error_code and this message."""


def take_fault(kinds) -> str:
    """The fault this call plays (one of ``kinds``), consuming one of its count."""
    with transaction.atomic():
        fault = Fault.objects.select_for_update().filter(pk=1).first()
        if fault is None or fault.mode not in kinds:
            return Fault.NONE
        mode = fault.mode
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                fault.mode = Fault.NONE
            fault.save()
        return mode


def is_down() -> bool:
    fault = Fault.objects.filter(pk=1).first()
    return fault is not None and fault.mode == Fault.DOWN


def open_request(data: dict, page_url) -> Transaction:
    if data.get("LoaiBanTin") != "INIT":
        raise RefusedError("LoaiBanTin phải là INIT")
    if data.get("MaDoiTac") != settings.PAYMENT_PARTNER_CODE:
        raise RefusedError("Mã đối tác không đúng")
    if data.get("MaTienTe") != "VND":
        raise RefusedError("Chỉ nhận VND")
    try:
        amount = int(str(data.get("SoTien")))
    except ValueError as error:
        raise RefusedError("SoTien phải là số nguyên") from error
    if amount <= 0:
        raise RefusedError("SoTien phải dương")
    receipt = data.get("ThongTinBienLai")
    if not isinstance(receipt, dict) or not receipt.get("MaHoSo"):
        raise RefusedError("Thiếu ThongTinBienLai.MaHoSo")
    reference = str(data.get("MaThamChieu", ""))
    if not reference or Transaction.objects.filter(reference=reference).exists():
        raise RefusedError("MaThamChieu trống hoặc đã dùng")
    return Transaction.objects.create(
        token=secrets.token_urlsafe(16),
        reference=reference,
        amount=amount,
        message=data,
        return_url=str(data.get("UrlTraVe", "")),
        notify_url=str(data.get("UrlThongBao", "")),
    )


def settle(tx: Transaction, *, paid: bool) -> Transaction:
    """The citizen paid (or gave up): the transaction's outcome and its confirmation."""
    with transaction.atomic():
        tx = Transaction.objects.select_for_update().get(pk=tx.pk)
        if tx.state != Transaction.CREATED:
            return tx
        now = timezone.now()
        tx.state = Transaction.PAID if paid else Transaction.FAILED
        tx.transaction_id = f"GD{tx.pk:08d}"
        if paid:
            tx.paid_at = now
            tx.receipt_number = f"BL{timezone.localdate(now):%y%m%d}{tx.pk:06d}"
        confirmation = {
            "LoaiBanTin": "CONFIRM",
            "MaLoi": "00" if paid else "04",
            "MaDoiTac": settings.PAYMENT_PARTNER_CODE,
            "MaThamChieu": tx.reference,
            "SoTien": str(tx.amount),
            "MaTienTe": "VND",
            "MaGiaoDich": tx.transaction_id,
            "MaNganHang": "PAYMENT",
            "ThoiGianGD": timezone.localtime(now).strftime("%Y%m%d%H%M%S"),
            "ThongTinGiaoDich": str(tx.message.get("ThongTinGiaoDich", "")),
        }
        if tx.receipt_number:
            confirmation["SoBienLai"] = tx.receipt_number
        confirmation["MaXacThuc"] = mac(confirmation, CONFIRM_ORDER)
        tx.confirmation = confirmation
        tx.save()
    return tx


def send_callback(tx: Transaction) -> dict:
    """POST the confirmation to the portal's callback (unless a fault drops or spoils it)."""
    fault = take_fault({Fault.BAD_CHECKSUM, Fault.DROP_CALLBACK})
    if fault == Fault.DROP_CALLBACK or not tx.notify_url:
        return {"sent": False}
    body = dict(tx.confirmation)
    if fault == Fault.BAD_CHECKSUM:
        body["MaXacThuc"] = "0" * 64
    try:
        response = httpx.post(tx.notify_url, json=body, timeout=10)
        status, answer = response.status_code, _json(response)
    except httpx.HTTPError as error:
        status, answer = 0, {"error": type(error).__name__}
    Transaction.objects.filter(pk=tx.pk).update(
        callback_status=status, callback_answer=answer, callbacks_sent=tx.callbacks_sent + 1
    )
    return {"sent": True, "status": status, "answer": answer}


def _json(response):
    try:
        return response.json()
    except json.JSONDecodeError:
        return {"text": response.text[:200]}


def statement(day: datetime.date) -> list[dict]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)
    end = start + datetime.timedelta(days=1)
    rows = Transaction.objects.filter(
        paid_at__gte=start, paid_at__lt=end
    ) | Transaction.objects.filter(
        state=Transaction.FAILED, created_at__gte=start, created_at__lt=end
    )
    return [
        {
            "MaThamChieu": tx.reference,
            "SoTien": str(tx.amount),
            "TrangThaiGD": "1" if tx.state == Transaction.PAID else "4",
            "MaGiaoDich": tx.transaction_id,
            "SoBienLai": tx.receipt_number,
            "MaHoSo": tx.message.get("ThongTinBienLai", {}).get("MaHoSo", ""),
        }
        for tx in rows.order_by("id")
    ]
