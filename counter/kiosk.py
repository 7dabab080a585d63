"""Kiosk devices at the counter (issue 21): a tablet takes numbers and ratings with no staff
session. An admin registers a device and reads its token once; the token typed on the device
activates it, which is then known by a signed cookie holding its id and a prefix of the
token's hash (a new token revokes it). A clerk invites the citizen to rate a returned dossier
on the unit's device; the device shows that dossier until it is rated."""

import hashlib
import secrets

from django.core import signing
from django.db import transaction
from django.utils import timezone

from dossiers.models import AuditEvent, Dossier
from dossiers.queries import clerk_unit
from dossiers.services.audit import record
from dossiers.services.errors import WorkflowError
from dossiers.services.rating import rate_at_unit

from .models import KioskDevice

COOKIE = "kiosk_device"
COOKIE_AGE = 400 * 24 * 3600  # a device stays activated about a year (browsers cap at 400 days)
SALT = "counter.kiosk-device"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(device: KioskDevice) -> str:
    """A fresh token for ``device`` (saved as its hash); the only time it is shown."""
    token = secrets.token_urlsafe(18)
    device.token_hash = _hash(token)
    return token


def activate(token: str) -> KioskDevice | None:
    """The active device this token belongs to, or None."""
    token = (token or "").strip()
    if not 16 <= len(token) <= 64:
        return None
    return (
        KioskDevice.objects.select_related("unit")
        .filter(token_hash=_hash(token), is_active=True)
        .first()
    )


def cookie_value(device: KioskDevice) -> str:
    return signing.dumps({"id": device.pk, "t": device.token_hash[:16]}, salt=SALT)


def from_cookie(value: str) -> KioskDevice | None:
    """The device a signed cookie names, while it is active and its token unchanged."""
    try:
        data = signing.loads(value or "", salt=SALT, max_age=COOKIE_AGE)
    except signing.BadSignature:
        return None
    device = (
        KioskDevice.objects.select_related("unit", "pending_dossier__procedure")
        .filter(pk=data.get("id"), is_active=True)
        .first()
    )
    if device is None or device.token_hash[:16] != data.get("t"):
        return None
    return device


def invite_rating(dossier: Dossier, *, actor, device_id=None) -> KioskDevice:
    """Show ``dossier``'s rating on a device of the clerk's counter (the one named, or the
    unit's first active one). Only the counter that returns the dossier; audited."""
    unit = clerk_unit(actor)
    if unit is None or dossier.return_counter_id != unit.pk:
        raise WorkflowError("Chỉ Bộ phận Một cửa trả kết quả hồ sơ mời đánh giá.", status=403)
    with transaction.atomic():
        devices = KioskDevice.objects.select_for_update().filter(unit=unit, is_active=True)
        if device_id:
            devices = devices.filter(pk=device_id)
        device = devices.order_by("name").first()
        if device is None:
            raise WorkflowError(
                "Quầy chưa có thiết bị đánh giá: quản trị viên đăng ký trong mục «Thiết bị "
                "tại quầy».",
                status=409,
            )
        device.pending_dossier, device.pending_since = dossier, timezone.now()
        device.save(update_fields=["pending_dossier", "pending_since"])
        record(
            AuditEvent.Kind.CHANGE,
            "kiosk.rating_invited",
            actor=actor,
            target=dossier,
            data={"device": device.pk},
        )
    return device


def rate_on_device(device: KioskDevice, *, score, comment="", request=None):
    """The citizen rates, on the device, the dossier a clerk invited them to; the invitation
    ends with the rating (one transaction)."""
    if device.pending_dossier_id is None:
        raise WorkflowError("Chưa có hồ sơ nào chờ đánh giá trên máy này.", status=409)
    with transaction.atomic():
        rating = rate_at_unit(
            device.pending_dossier_id,
            unit=device.unit,
            score=score,
            comment=comment,
            request=request,
        )
        KioskDevice.objects.filter(pk=device.pk).update(pending_dossier=None, pending_since=None)
    return rating
