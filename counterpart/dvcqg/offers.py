"""Dossiers citizens submitted on the national portal, offered to the province's portal: kept
until acknowledged, listed by LayDanhSachHoSoMoi, pushed (signed) on request."""

import base64
import binascii
import hashlib
import hmac
import io
import json
import time
import uuid
from pathlib import Path

import httpx
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from .models import OfferedDossier, OfferedFile, PushNonce

REQUIRED = ["MaHoSoQG", "MaTTHC", "MaDonViNhan"]
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PUSH_TIMEOUT_SECONDS = 60
FORGERIES = ["bad_signature", "stale_timestamp", "replay", "unsigned"]


class OfferError(ValueError):
    """An offer or push the counterpart cannot carry out (a Vietnamese message)."""


def offer(data) -> OfferedDossier:
    """Store a dossier submitted on the national portal, with its files."""
    missing = [name for name in REQUIRED if not str(data.get(name) or "").strip()]
    if missing:
        raise OfferError(f"Thiếu trường bắt buộc: {', '.join(missing)}")
    attachments = data.get("TepDinhKem") or []
    if not isinstance(attachments, list) or not all(isinstance(a, dict) for a in attachments):
        raise OfferError("TepDinhKem phải là danh sách các đối tượng")
    files = [_file(data, attachment) for attachment in attachments]
    payload = {k: v for k, v in data.items() if k not in ("TepDinhKem", "push", "url")}
    with transaction.atomic():
        if OfferedDossier.objects.filter(national_code=data["MaHoSoQG"]).exists():
            raise OfferError(f"Hồ sơ {data['MaHoSoQG']} đã có trên Cổng DVCQG")
        dossier = OfferedDossier.objects.create(
            national_code=data["MaHoSoQG"], unit_code=data["MaDonViNhan"], payload=payload
        )
        for file in files:
            file.dossier = dossier
            file.save()
    return dossier


def _file(data, attachment) -> OfferedFile:
    name = str(attachment.get("TenTep") or "to-khai.png")
    encoded = attachment.get("NoiDungBase64")
    if encoded:
        try:
            content = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise OfferError(f"Tệp {name}: NoiDungBase64 không hợp lệ") from error
    else:
        content = _generated(data, name)
    content_type = "application/pdf" if content[:5] == b"%PDF-" else "image/png"
    if content[:3] == b"\xff\xd8\xff":
        content_type = "image/jpeg"
    return OfferedFile(
        name=name,
        component_code=str(attachment.get("MaThanhPhan") or ""),
        content_type=content_type,
        content=content,
    )


def _generated(data, name) -> bytes:
    """A small page with the dossier's summary in Vietnamese (PDF when the name says so)."""
    image = Image.new("L", (1240, 600), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 40) if FONT.exists() else ImageFont.load_default()
    lines = ["TỜ KHAI NỘP TRÊN CỔNG DỊCH VỤ CÔNG QUỐC GIA", str(data.get("TrichYeu") or "")]
    for number, line in enumerate(lines):
        draw.text((60, 80 + 90 * number), line[:50], fill=0, font=font)
    out = io.BytesIO()
    if name.lower().endswith(".pdf"):
        image.save(out, format="PDF", resolution=150)
    else:
        image.save(out, format="PNG", dpi=(150, 150))
    return out.getvalue()


def render(dossier: OfferedDossier, request) -> dict:
    """The dossier as LayDanhSachHoSoMoi and the push carry it (files by absolute URL)."""
    return {
        **dossier.payload,
        "TepDinhKem": [
            {
                "TenTep": file.name,
                "MaThanhPhan": file.component_code,
                "KieuTep": file.content_type,
                "KichThuoc": len(file.content),
                "DuongDan": request.build_absolute_uri(reverse("dvcqg-file", args=[file.pk])),
            }
            for file in dossier.files.all()
        ],
    }


def waiting():
    """Dossiers not yet acknowledged, oldest first. All of them: the counterpart stands for
    the province's view of the platform, so a dossier for another province's unit (misrouted)
    reaches the portal, which must refuse it."""
    return list(OfferedDossier.objects.filter(acknowledged_at=None).prefetch_related("files"))


def acknowledge(item) -> dict:
    if not isinstance(item, dict) or not item.get("MaHoSoQG"):
        return {"error_code": 2, "message": "Trường MaHoSoQG: Trường này là bắt buộc."}
    updated = OfferedDossier.objects.filter(
        national_code=item["MaHoSoQG"], acknowledged_at=None
    ).update(acknowledged_at=timezone.now(), portal_code=str(item.get("MaHoSo") or ""))
    if updated:
        return {"error_code": 0, "message": "Thành công", "MaHoSoQG": item["MaHoSoQG"]}
    if OfferedDossier.objects.filter(national_code=item["MaHoSoQG"]).exists():
        return {"error_code": 0, "message": "Đã xác nhận trước đó", "MaHoSoQG": item["MaHoSoQG"]}
    return {"error_code": 3, "message": f"Không có hồ sơ {item['MaHoSoQG']} trên Cổng DVCQG"}


def signature(secret: str, timestamp, nonce, body: bytes) -> str:
    return hmac.new(
        secret.encode(), f"{timestamp}.{nonce}.".encode() + body, hashlib.sha256
    ).hexdigest()


def push(dossier: OfferedDossier, request, url="", forge="") -> dict:
    """POST the dossier to the portal, signed (or forged as asked); the portal's answer."""
    url = url or settings.PORTAL_PUSH_URL
    if not url:
        raise OfferError("Chưa cấu hình địa chỉ nhận hồ sơ của cổng tỉnh (PORTAL_PUSH_URL)")
    if forge and forge not in FORGERIES:
        raise OfferError(f"Kiểu giả mạo «{forge}» không có; chọn một trong: {', '.join(FORGERIES)}")
    body = json.dumps(render(dossier, request), ensure_ascii=False).encode()
    timestamp, nonce = int(time.time()), str(uuid.uuid4())
    last = PushNonce.objects.last()
    if forge == "replay" and last is not None:
        timestamp, nonce = last.timestamp, last.nonce
    if forge == "stale_timestamp":
        timestamp -= 3600
    secret = settings.PUSH_SECRET + ("-forged" if forge == "bad_signature" else "")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if forge != "unsigned":
        headers |= {
            "X-DVCQG-Timestamp": str(timestamp),
            "X-DVCQG-Nonce": nonce,
            "X-DVCQG-Signature": signature(secret, timestamp, nonce, body),
        }
    if not forge:  # replay repeats the last genuine push's nonce
        PushNonce.objects.create(nonce=nonce, timestamp=timestamp)
    try:
        response = httpx.post(url, content=body, headers=headers, timeout=PUSH_TIMEOUT_SECONDS)
    except httpx.HTTPError as error:
        raise OfferError(f"Không gửi được hồ sơ tới cổng tỉnh: {error}") from error
    try:
        portal_answer = response.json()
    except ValueError:
        portal_answer = response.text[:2000]
    return {"status": response.status_code, "answer": portal_answer, "nonce": nonce}
