"""Receiving a PAKN: from the public page, a kiosk, the API, or a citizen signed in with VNeID.

The caller has already found the dossier it is about (by code + second factor through
dossiers.public_guard, or as the signed-in citizen's own); this module validates the rest,
chooses the competent unit, allots the code, sets the deadline from the data file and writes
the audit row, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from dossiers.calendar import add_working_time
from dossiers.models import AuditEvent
from dossiers.queries import units_in_force
from dossiers.services.audit import record
from dossiers.services.numbering import next_number
from dossiers.services.rating import CONTROL
from dossiers.validators import normalise_phone, validate_phone

from ..errors import FeedbackError
from ..models import Feedback
from ..rules import answer_working_days, content_limits
from ..sentiment.labels import label_text

NO_CONTENT = "Vui lòng nhập nội dung phản ánh, kiến nghị."
NO_TARGET = "Vui lòng chọn đơn vị hoặc nhập mã hồ sơ mà ông/bà phản ánh, kiến nghị."


def clean_text(text) -> str:
    """The text as typed, less control characters and unencodable code points. HTML and
    scripts stay as text: every page escapes it."""
    text = CONTROL.sub("", str(text or ""))
    return text.encode("utf-8", "replace").decode("utf-8").strip()


def clean_content(content) -> str:
    """The content, or a Vietnamese refusal when it is empty, too short or too long."""
    text = clean_text(content)
    shortest, longest = content_limits()
    if not text:
        raise FeedbackError(NO_CONTENT, field="content")
    if len(text) < shortest:
        raise FeedbackError(
            f"Nội dung quá ngắn: vui lòng mô tả rõ sự việc (ít nhất {shortest} ký tự).",
            field="content",
        )
    if len(text) > longest:
        raise FeedbackError(
            f"Nội dung dài {len(text):,} ký tự, vượt quá {longest:,} ký tự cho phép. "
            "Vui lòng rút gọn hoặc gửi thành nhiều phản ánh.".replace(",", "."),
            field="content",
        )
    return text


def _sender(name, phone, email):
    name = clean_text(name)[:120]
    if not name:
        raise FeedbackError("Vui lòng nhập họ và tên người gửi.", field="sender_name")
    phone = normalise_phone(clean_text(phone))[:20]
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise FeedbackError(exc.messages[0], field="sender_phone") from exc
    email = clean_text(email)[:254]
    if email and ("@" not in email or " " in email):
        raise FeedbackError("Địa chỉ thư điện tử không hợp lệ.", field="sender_email")
    if not phone and not email:
        raise FeedbackError(
            "Vui lòng để lại số điện thoại hoặc thư điện tử để cơ quan liên hệ khi cần.",
            field="sender_phone",
        )
    return name, phone, email


def competent_unit(dossier, unit):
    """The unit that answers: the dossier's current unit (else the one that received it), or
    the unit the citizen chose, which must be in force today."""
    if dossier is not None:
        return dossier.current_unit or dossier.receiving_unit
    if unit is None:
        raise FeedbackError(NO_TARGET, field="unit")
    if not units_in_force(timezone.localdate()).filter(pk=unit.pk).exists():
        raise FeedbackError("Đơn vị đã chọn không còn hoạt động.", field="unit")
    return unit


def submit_feedback(
    *,
    content,
    sender_name,
    channel,
    kind=Feedback.Kind.COMPLAINT,
    sender_phone="",
    sender_email="",
    sender_id_number="",
    publish_agreed=False,
    dossier=None,
    unit=None,
    request=None,
) -> Feedback:
    """Receive one PAKN: validated, assigned to the competent unit, due ``answer_working_days``
    working days after receipt (feedback/data/pakn.json), its code allotted under a row lock
    (gap-free per day), its text's sentiment stored, and audited — all or nothing."""
    if kind not in Feedback.Kind.values:
        raise FeedbackError("Chọn phản ánh hoặc kiến nghị.", field="kind")
    text = clean_content(content)
    name, phone, email = _sender(sender_name, sender_phone, sender_email)
    target = competent_unit(dossier, unit)
    now = timezone.now()
    with transaction.atomic():
        day = timezone.localdate(now)
        prefix = f"PAKN-{day:%y%m%d}-"
        feedback = Feedback.objects.create(
            code=f"{prefix}{next_number(prefix, day):04d}",
            kind=kind,
            channel=channel,
            dossier=dossier,
            unit=target,
            content=text,
            sender_name=name,
            sender_phone=phone,
            sender_email=email,
            sender_id_number=sender_id_number,
            publish_agreed=bool(publish_agreed),
            received_at=now,
            due_at=add_working_time(now, answer_working_days()),
            sentiment=label_text(text),
        )
        record(
            AuditEvent.Kind.CHANGE,
            "feedback.received",
            target=feedback,
            request=request,
            unit=target,
            data={"channel": channel, "kind": kind, "dossier": dossier.code if dossier else ""},
        )
    return feedback
