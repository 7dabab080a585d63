"""The counterpart postal service's rules: what an order needs, its S10 item code, the
faults it plays, the journey's statuses, the signed push to the portal."""

import hashlib
import hmac
import json
import time

import httpx
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Fault, Order, Push, Update

REQUIRED = (
    "saleOrderCode",
    "senderName",
    "receiverName",
    "receiverPhone",
    "receiverAddress",
    "receiverProvinceCode",
    "receiverCommuneCode",
)
STATUSES = {
    "1": "Đã tạo đơn",
    "7": "Bưu cục đã nhận hàng",
    "10": "Đang vận chuyển",
    "12": "Đang phát",
    "14": "Đã phát thành công",
    "15": "Phát không thành công",
}
FORGERIES = ("bad_signature", "stale_timestamp", "replay", "unsigned")
# UPU S10: two letters, eight digits, a check digit, the country.
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
PUSH_TIMEOUT_SECONDS = 15


class OrderRefused(Exception):  # noqa: N818 - a refusal, not a fault
    """An order the service will not take (400 with the message)."""


def s10(serial: int, prefix="HC", country="VN") -> str:
    digits = f"{serial % 10**8:08d}"
    total = sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    check = {10: 0, 11: 5}.get(check, check)
    return f"{prefix}{digits}{check}{country}"


def check(information: dict) -> None:
    missing = [name for name in REQUIRED if not str(information.get(name) or "").strip()]
    if missing:
        raise OrderRefused("Thiếu thông tin bắt buộc: " + ", ".join(missing))


def take(body: dict) -> tuple[Order, bool]:
    """The order (created, or the one with the same saleOrderCode) and whether it is new."""
    information = body.get("informationOrder")
    if not isinstance(information, dict):
        raise OrderRefused("Thiếu informationOrder")
    check(information)
    code = str(information["saleOrderCode"])[:64]
    try:
        with transaction.atomic():
            order = Order.objects.create(sale_order_code=code, payload=body)
            order.item_code = s10(order.pk)
            order.save(update_fields=["item_code"])
            Update.objects.create(
                order=order, status="1", status_name=STATUSES["1"], at=timezone.now()
            )
            return order, True
    except IntegrityError:
        order = Order.objects.get(sale_order_code=code)
        Order.objects.filter(pk=order.pk).update(duplicates=order.duplicates + 1)
        return order, False


def set_fault(mode, count=None, delay_seconds=None, message="") -> Fault:
    if mode not in Fault.MODES:
        raise ValueError(f"Chế độ lỗi «{mode}» không có; chọn một trong: {', '.join(Fault.MODES)}")
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError("count phải là số nguyên dương, hoặc null")
    delay = float(delay_seconds if delay_seconds is not None else (30 if mode == "timeout" else 0))
    fault, _ = Fault.objects.update_or_create(
        pk=1,
        defaults={"mode": mode, "remaining": count, "delay_seconds": delay, "message": message},
    )
    return fault


def take_fault() -> Fault | None:
    """The fault this CreateOrder plays (one of its count consumed), or None."""
    with transaction.atomic():
        fault = Fault.objects.select_for_update().filter(pk=1).first()
        if fault is None or fault.mode == Fault.NONE:
            return None
        if fault.remaining is not None:
            fault.remaining -= 1
            if fault.remaining == 0:
                Fault.objects.filter(pk=1).update(mode=Fault.NONE, remaining=None)
            else:
                Fault.objects.filter(pk=1).update(remaining=fault.remaining)
        return fault


def describe_fault() -> dict:
    fault = Fault.objects.filter(pk=1).first()
    if fault is None:
        return {"mode": Fault.NONE, "count": None}
    return {"mode": fault.mode, "count": fault.remaining, "delay_seconds": fault.delay_seconds}


def journey(order: Order) -> list[dict]:
    return [item(order, u) for u in order.updates.all()]


def item(order: Order, update: Update) -> dict:
    return {
        "id": f"{order.item_code}-{update.pk}",
        "itemCode": order.item_code,
        "status": update.status,
        "statusName": update.status_name,
        "time": update.at.isoformat(),
        "note": update.note,
    }


def advance(order: Order, status: str, note="") -> Update:
    if status not in STATUSES:
        choices = ", ".join(STATUSES)
        raise ValueError(f"Mã tình trạng «{status}» không có; chọn một trong: {choices}")
    return Update.objects.create(
        order=order, status=status, status_name=STATUSES[status], at=timezone.now(), note=note
    )


def signature(secret: str, timestamp, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()


def push(order: Order, update: Update | None, url="", forge="") -> dict:
    """POST the update to the portal, signed (or forged as asked); the portal's answer. A
    replay sends the last genuine push again, byte for byte."""
    url = url or settings.POST_PUSH_URL
    if not url:
        raise OrderRefused("Chưa cấu hình địa chỉ nhận hành trình của cổng (POST_PUSH_URL)")
    if forge and forge not in FORGERIES:
        choices = ", ".join(FORGERIES)
        raise OrderRefused(f"Kiểu giả mạo «{forge}» không có; chọn một trong: {choices}")
    last = Push.objects.last()
    if forge == "replay" and last is not None:
        body, headers = bytes(last.body), dict(last.headers)
    else:
        body = json.dumps(item(order, update), ensure_ascii=False).encode()
        timestamp = int(time.time()) - (3600 if forge == "stale_timestamp" else 0)
        secret = settings.POST_CALLBACK_SECRET + ("-forged" if forge == "bad_signature" else "")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if forge != "unsigned":
            headers |= {
                "X-Post-Timestamp": str(timestamp),
                "X-Post-Signature": signature(secret, timestamp, body),
            }
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=PUSH_TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise OrderRefused(f"Không gửi được hành trình tới cổng: {error}") from error
    if not forge:
        Push.objects.create(body=body, headers=headers, status=response.status_code)
    try:
        portal_answer = response.json()
    except ValueError:
        portal_answer = response.text[:2000]
    return {"status": response.status_code, "answer": portal_answer}
