"""Dossiers citizens submitted on the national public-service portal (DVCQG), taken in as the
portal's own online submissions: pulled on a schedule (:func:`pull_new`) or pushed by the
platform, signed (:func:`take_in_push`). Either way :func:`take_in` makes the dossier through
digitization's online service (the same checks of the files, the same OCR, the same
``submitted`` state at the unit's counter, channel ``dvcqg``) and records its national code
once, so the same dossier pulled twice, or pulled and pushed, is one dossier.

What a refusal writes: the InboundDossier row keeps the reason (no dossier), a warning in the
log and, for a push, a security audit row; never the applicant's identity number.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import PortalError
from digitization.services.online import submit_with_files
from dossiers.models import AuditEvent, Channel, Procedure, Unit
from dossiers.services.audit import record

from .dvcqg_inbound import Platform, PlatformUnavailable
from .models import InboundDossier, PushNonce

log = logging.getLogger(__name__)

REQUIRED = ("MaHoSoQG", "MaTTHC", "MaDonViNhan", "ChuHoSo", "SoDinhDanh")
DATE_FORMAT = "%Y%m%d%H%M%S"
COMPONENT_NUMBER = re.compile(r"\d+")


class InboundRefused(PortalError):  # noqa: N818 - a refusal, not a fault
    """A dossier or a push the portal will not take: 400 (the dossier), 401 (the signature),
    403 (not one of our units), 409 (a replayed push). The message is Vietnamese."""


@dataclass
class TakenIn:
    inbound: InboundDossier
    created: bool


def take_in(payload: dict, *, via: str, platform: Platform, request=None) -> TakenIn:
    """Make the dossier a national-portal submission asks for, once per MaHoSoQG (a second
    time returns the first, created False). Files are fetched from the platform before the
    one transaction that writes the dossier, its files and this row. Raises InboundRefused
    (recorded on the row) or PlatformUnavailable (nothing recorded: try again later)."""
    code = _national_code(payload)
    if done := _taken(code):
        return TakenIn(done, created=False)
    try:
        unit, procedure = _our_unit(payload), _procedure(payload)
        uploads = _uploads(payload, procedure, platform)
        with transaction.atomic():
            dossier, _ = submit_with_files(
                procedure=procedure,
                unit=unit,
                applicant=_applicant(payload),
                files=uploads,
                idempotency_key=f"dvcqg:{code}",
                request=request,
                channel=Channel.DVCQG,
                at=_submitted_at(payload),
            )
            inbound = _record(code, via, payload, dossier=dossier)
    except PlatformUnavailable:
        raise
    except PortalError as refusal:
        reason = scrub(refusal.message, payload)
        _record(code, via, payload, error=reason)
        log.warning("DVCQG dossier %s (%s) refused: %s", code, via, reason)
        raise InboundRefused(reason, status=refusal.status, field=refusal.field) from refusal
    except IntegrityError:  # the same dossier pulled and pushed at the same instant
        if done := _taken(code):
            return TakenIn(done, created=False)
        raise
    log.info("DVCQG dossier %s taken in (%s) as %s", code, via, inbound.dossier.code)
    return TakenIn(inbound, created=True)


def pull_new() -> dict:
    """Take in every dossier the platform lists as new, and acknowledge each taken in (also
    those taken in before: the platform lists them until acknowledged). A dossier refused
    before waits for a person (its row says why) and is skipped. Raises PlatformUnavailable
    when the platform cannot be reached: the next run tries again."""
    counts = {"taken": 0, "duplicates": 0, "refused": 0, "acknowledged": 0}
    with Platform() as platform:
        for payload in platform.new_dossiers():
            if not isinstance(payload, dict) or _refused_before(payload.get("MaHoSoQG")):
                counts["refused"] += 1
                continue
            try:
                taken = take_in(payload, via=InboundDossier.Via.PULL, platform=platform)
            except InboundRefused:
                counts["refused"] += 1
                continue
            counts["taken" if taken.created else "duplicates"] += 1
            inbound = taken.inbound
            if platform.acknowledge(inbound.national_code, inbound.dossier.code):
                InboundDossier.objects.filter(pk=inbound.pk).update(acknowledged_at=timezone.now())
                counts["acknowledged"] += 1
    return counts


def take_in_push(body: bytes, headers, *, request=None) -> TakenIn:
    """A dossier the platform pushed: its signature, age and nonce checked (refused with
    401, 409 and an audit row), then taken in as :func:`take_in` does."""
    try:
        verify_push(body, headers)
        payload = json.loads(body)
        if not isinstance(payload, dict):
            raise ValueError
    except InboundRefused as refusal:
        _audit_refusal(refusal, request, nonce=headers.get("X-DVCQG-Nonce", ""))
        raise
    except ValueError as error:
        raise InboundRefused("Nội dung hồ sơ đẩy sang không phải JSON hợp lệ.") from error
    with Platform() as platform:
        try:
            return take_in(payload, via=InboundDossier.Via.PUSH, platform=platform, request=request)
        except InboundRefused as refusal:
            _audit_refusal(refusal, request, code=str(payload.get("MaHoSoQG", ""))[:64])
            raise


def verify_push(body: bytes, headers) -> None:
    """The push is signed with our shared secret (HMAC-SHA256 over "timestamp.nonce." and the
    body), recent, and its nonce not seen before (remembered once the signature is good)."""
    if not settings.DVCQG_PUSH_SECRET:
        raise InboundRefused("Cổng chưa được cấu hình để nhận hồ sơ đẩy từ Cổng DVCQG.", status=503)
    timestamp = headers.get("X-DVCQG-Timestamp", "")
    nonce = headers.get("X-DVCQG-Nonce", "")
    given = headers.get("X-DVCQG-Signature", "")
    if not (timestamp and nonce and given):
        raise InboundRefused("Thiếu chữ ký của Cổng DVCQG.", status=401)
    if not timestamp.isdigit() or len(nonce) > 64:
        raise InboundRefused("Chữ ký của Cổng DVCQG không đúng định dạng.", status=401)
    expected = hmac.new(
        settings.DVCQG_PUSH_SECRET.encode(),
        f"{timestamp}.{nonce}.".encode() + body,
        hashlib.sha256,
    ).hexdigest()
    if not hmac.compare_digest(expected, given.strip().lower()):
        raise InboundRefused("Chữ ký của Cổng DVCQG không hợp lệ.", status=401)
    max_age = settings.DVCQG_PUSH_MAX_AGE_SECONDS
    if abs(time.time() - int(timestamp)) > max_age:
        raise InboundRefused("Yêu cầu đẩy hồ sơ đã quá hạn (thời điểm ký quá cũ).", status=401)
    _remember(nonce, max_age)


def _remember(nonce, max_age):
    """Keep the nonce (and forget those older than twice the maximum age, which a replay
    could not pass anyway); a nonce seen before is a replay."""
    forget_before = timezone.now() - datetime.timedelta(seconds=2 * max_age)
    PushNonce.objects.filter(seen_at__lt=forget_before).delete()
    try:
        with transaction.atomic():
            PushNonce.objects.create(nonce=nonce)
    except IntegrityError as error:
        raise InboundRefused(
            "Yêu cầu đẩy hồ sơ này đã được nhận trước đó (trùng mã nonce).", status=409
        ) from error


def scrub(text: str, payload: dict) -> str:
    """The text without the applicant's identity number (for logs and stored reasons)."""
    number = str(payload.get("SoDinhDanh") or "").strip()
    return text.replace(number, "***") if number else text


def _audit_refusal(refusal, request, *, nonce="", code=""):
    log.warning(
        "DVCQG push refused (%s): %s [MaHoSoQG=%s nonce=%s]",
        refusal.status,
        refusal.message,
        code,
        nonce[:64],
    )
    record(
        AuditEvent.Kind.SECURITY,
        "integrations.dvcqg_push_refused",
        request=request,
        reason=refusal.message,
        data={"status": refusal.status, "MaHoSoQG": code, "nonce": nonce[:64]},
    )


def _national_code(payload) -> str:
    missing = [name for name in REQUIRED if not str(payload.get(name) or "").strip()]
    if missing:
        raise InboundRefused(f"Hồ sơ từ Cổng DVCQG thiếu trường: {', '.join(missing)}.")
    code = str(payload["MaHoSoQG"]).strip()
    if len(code) > 64:
        raise InboundRefused("Mã hồ sơ trên Cổng DVCQG (MaHoSoQG) dài quá 64 ký tự.")
    return code


def _taken(code):
    return (
        InboundDossier.objects.filter(national_code=code, dossier__isnull=False)
        .select_related("dossier")
        .first()
    )


def _refused_before(code) -> bool:
    return InboundDossier.objects.filter(national_code=str(code or ""), dossier=None).exists()


def _record(code, via, payload, *, dossier=None, error="") -> InboundDossier | None:
    """The row of this national code: the dossier made, or the reason it was not."""
    if error and _taken(code):
        return None  # taken in meanwhile (a pull and a push at once): keep the good row
    row = {
        "dossier": dossier,
        "error": error,
        "unit_code": str(payload.get("MaDonViNhan", ""))[:64],
        "payload": _without_contents(payload),
    }
    inbound, _ = InboundDossier.objects.update_or_create(
        national_code=code, defaults=row, create_defaults={**row, "received_via": via}
    )
    return inbound


def _without_contents(payload) -> dict:
    files = payload.get("TepDinhKem")
    if not isinstance(files, list):
        return payload
    return {
        **payload,
        "TepDinhKem": [
            {k: v for k, v in f.items() if k != "NoiDungBase64"} if isinstance(f, dict) else f
            for f in files
        ],
    }


def _our_unit(payload) -> Unit:
    unit = Unit.objects.filter(code=str(payload["MaDonViNhan"]).strip()).first()
    if unit is None:
        raise InboundRefused(
            f"Đơn vị nhận «{payload['MaDonViNhan']}» không thuộc tỉnh Sơn La: "
            "Cổng không nhận hồ sơ này.",
            status=403,
            field="MaDonViNhan",
        )
    return unit


def _procedure(payload) -> Procedure:
    procedure = Procedure.objects.filter(national_code=str(payload["MaTTHC"]).strip()).first()
    if procedure is None:
        raise InboundRefused(
            f"Thủ tục «{payload['MaTTHC']}» không có trong danh mục của tỉnh.", field="MaTTHC"
        )
    return procedure


def _applicant(payload) -> dict:
    return {
        "kind": "person",
        "id_number": str(payload["SoDinhDanh"]).strip(),
        "name": str(payload["ChuHoSo"]).strip(),
        "phone": str(payload.get("SoDienThoai") or "").strip(),
        "email": str(payload.get("Email") or "").strip(),
        "address": str(payload.get("DiaChi") or "").strip(),
    }


def _submitted_at(payload):
    """NgayNop (yyyyMMddHHmmss, Vietnam's time), never later than now; now when absent."""
    given = str(payload.get("NgayNop") or "").strip()
    if not given:
        return None
    try:
        moment = datetime.datetime.strptime(given, DATE_FORMAT)
    except ValueError as error:
        raise InboundRefused(
            f"Ngày nộp (NgayNop) «{given[:20]}» không đúng định dạng yyyyMMddHHmmss.",
            field="NgayNop",
        ) from error
    return min(timezone.make_aware(moment), timezone.now())


def _uploads(payload, procedure, platform) -> dict:
    """{ProcedureComponent id: [uploads]}: MaThanhPhan names the component by its number in
    the procedure's list (1, 2, … or TP1, TP2, …)."""
    attachments = payload.get("TepDinhKem") or []
    if not isinstance(attachments, list):
        raise InboundRefused("TepDinhKem phải là danh sách tệp.", field="TepDinhKem")
    catalogue = list(procedure.components.order_by("order", "id"))
    uploads: dict = {}
    for attachment in attachments:
        if not isinstance(attachment, dict):
            raise InboundRefused("Mỗi tệp trong TepDinhKem phải là một đối tượng.")
        name = str(attachment.get("TenTep") or "tep-dinh-kem")[:200]
        number = COMPONENT_NUMBER.search(str(attachment.get("MaThanhPhan") or ""))
        if number is None or not 1 <= int(number.group()) <= len(catalogue):
            raise InboundRefused(
                f"Tệp «{name}»: thành phần «{attachment.get('MaThanhPhan', '')}» không có trong "
                f"thủ tục {procedure.national_code}.",
                field="TepDinhKem",
            )
        content = _content(attachment, name, platform)
        component = catalogue[int(number.group()) - 1]
        uploads.setdefault(component.pk, []).append(SimpleUploadedFile(name, content))
    return uploads


def _content(attachment, name, platform) -> bytes:
    if attachment.get("NoiDungBase64"):
        try:
            return base64.b64decode(attachment["NoiDungBase64"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise InboundRefused(f"Tệp «{name}»: nội dung base64 không hợp lệ.") from error
    if not attachment.get("DuongDan"):
        raise InboundRefused(f"Tệp «{name}»: không có đường dẫn tải (DuongDan).")
    return platform.download(str(attachment["DuongDan"]), settings.SCAN_MAX_BYTES)
