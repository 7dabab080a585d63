"""Tracking updates the postal service pushes to the portal (``POST
/api/v1/integrations/buu-chinh/hanh-trinh/``): signed with the shared secret (HMAC-SHA256 over
"<timestamp>." and the body, headers X-Post-Timestamp and X-Post-Signature), recent, and
recorded once whatever the number of times they arrive (integrations/data/post.json)."""

import hashlib
import hmac
import json
import time

from django.conf import settings

from .adapters.post import update_from
from .models import ShipmentUpdate
from .postal import ShipmentRefused, record_update


def verify(body: bytes, headers) -> None:
    """The update is signed with our secret and was signed recently; ShipmentRefused (401,
    503) otherwise. A replay inside the window is harmless: the update is recorded once."""
    secret = settings.POST_CALLBACK_SECRET
    if not secret:
        raise ShipmentRefused("Cổng chưa được cấu hình để nhận hành trình bưu gửi.", status=503)
    timestamp = headers.get("X-Post-Timestamp", "")
    given = headers.get("X-Post-Signature", "")
    if not (timestamp and given):
        raise ShipmentRefused("Thiếu chữ ký của bưu chính.", status=401)
    if not timestamp.isdigit():
        raise ShipmentRefused("Chữ ký của bưu chính không đúng định dạng.", status=401)
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), given.strip().lower()):
        raise ShipmentRefused("Chữ ký của bưu chính không hợp lệ.", status=401)
    if abs(time.time() - int(timestamp)) > settings.POST_CALLBACK_MAX_AGE_SECONDS:
        raise ShipmentRefused("Cập nhật hành trình đã quá hạn (thời điểm ký quá cũ).", status=401)


def take_push(body: bytes, headers) -> dict:
    """Verify, read and record one pushed update; the answer's JSON."""
    verify(body, headers)
    try:
        item = json.loads(body)
        if not isinstance(item, dict):
            raise ValueError("not an object")
        update = update_from(item)
    except ValueError as exc:
        raise ShipmentRefused(f"Cập nhật hành trình không đọc được: {exc}") from exc
    recorded = record_update(update, source=ShipmentUpdate.Source.PUSH)
    return {"itemCode": update.tracking_code, "status": update.status, "duplicate": not recorded}
