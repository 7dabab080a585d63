"""The counter's printed forms (Thông tư 01/2018/TT-VPCP) as A4 PDFs.

Mẫu 01–05 belong to a dossier, Mẫu 06 (the register) to a unit and a period. Each is a Django
template under ``dossiers/documents/`` extending one document base; WeasyPrint lays it out.
Rendering only reads rows. :func:`issue_form` stores a form once per (dossier, code, event), so
a reprint hands back the very same file and checksum.
"""

import hashlib
import unicodedata
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Dossier, DossierEvent, PrintedForm, Unit
from .workflow import ACTIONS

TEMPLATES = "dossiers/documents"
BASE_URL = Path(__file__).resolve().parent / "templates" / TEMPLATES
# The form each action issues ("02": "request_supplement", ...), from the workflow table.
FORM_ACTIONS = {action.form: action.code for action in ACTIONS.values() if action.form}
HANDOVER_ACTIONS = ("transfer", "assign")
REGISTER_TITLE = "SỔ THEO DÕI HỒ SƠ"
ON_TIME_LABELS = {True: "Đúng hạn", False: "Quá hạn", None: "—"}
CHANNEL_LABELS = {True: "Điện tử", False: "Giấy", None: ""}
# Words stripped from an area's name to get the place of the date line ("Bắc Yên, ngày ...").
_AREA_PREFIXES = ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân ")
_AREA_KINDS = ("tỉnh ", "thành phố ", "thị xã ", "huyện ", "quận ", "thị trấn ", "phường ", "xã ")


def render_form(dossier: Dossier, code: str, *, event: DossierEvent | None = None) -> bytes:
    """The PDF of form ``code`` ("01".."05") for ``dossier``.

    Forms 02, 03 and 04 print the note of ``event`` (the supplement request, the refusal, the
    extension) as their reason; without one, the dossier's latest event of that action is used.
    """
    if code not in PrintedForm.Code.values:
        raise ValueError(f"Không có mẫu phiếu {code!r} cho hồ sơ (chỉ 01–05).")
    if event is None:
        event = _latest_event(dossier, code)
    unit = _with_parents(dossier.receiving_unit_id)
    moment = event.at if event else (dossier.received_at if code == "01" else None)
    context = {
        **_document(unit, code, PrintedForm.Code(code).label.split(" · ", 1)[1].upper(), moment),
        "dossier": dossier,
        "applicant": dossier.applicant,
        "procedure": dossier.procedure,
        "event": event,
        "actor_name": full_name(event.actor) if event else "",
        "footer": f"Mã hồ sơ {dossier.code}",
        **_FORM_CONTEXT.get(code, lambda d: {})(dossier),
    }
    return _pdf(f"mau{code}.html", context)


def render_register(unit: Unit, first_day: date, last_day: date) -> bytes:
    """Mẫu 06, the register of the dossiers ``unit`` received from ``first_day`` to
    ``last_day`` inclusive (local dates), in A4 landscape. Three queries whatever its length:
    the unit with its parents, the dossiers, their hand-overs."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(first_day, time.min, tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
    handovers = (
        DossierEvent.objects.filter(action__in=HANDOVER_ACTIONS, to_unit__isnull=False)
        .select_related("to_unit")
        .order_by("at", "id")
    )
    dossiers = (
        Dossier.objects.filter(receiving_unit=unit, received_at__gte=start, received_at__lt=end)
        .select_related("applicant", "procedure")
        .prefetch_related(Prefetch("events", queryset=handovers, to_attr="handovers"))
        .order_by("received_at", "id")
    )
    rows = [
        {
            "dossier": d,
            "handed_to": d.handovers[-1].to_unit.name if d.handovers else "",
            "due": d.appointment_at or d.due_at,
        }
        for d in dossiers
    ]
    unit = _with_parents(unit.pk)
    context = {
        **_document(unit, "06", REGISTER_TITLE, None),
        "landscape": True,
        "first_day": first_day,
        "last_day": last_day,
        "rows": rows,
        "footer": f"{unit.code} · {first_day:%d/%m/%Y} – {last_day:%d/%m/%Y}",
    }
    return _pdf("mau06.html", context)


def issue_form(
    dossier: Dossier, code: str, *, actor=None, event: DossierEvent | None = None
) -> PrintedForm:
    """Render form ``code`` and store it as a :class:`PrintedForm` with its SHA-256.

    Idempotent: when the dossier already has this form for this event (for 02–04 without an
    event, the latest of the matching action), the stored row is returned unchanged. Runs in
    one transaction holding the dossier's row lock, so two clerks printing at once get one row.
    """
    if event is None:
        event = _latest_event(dossier, code)
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).exists()
        existing = PrintedForm.objects.filter(dossier=dossier, code=code, event=event).first()
        if existing is not None:
            return existing
        pdf = render_form(dossier, code, event=event)
        form = PrintedForm(
            dossier=dossier,
            code=code,
            event=event,
            issued_by=actor,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        form.pdf.save(f"{dossier.code}-mau{code}.pdf", ContentFile(pdf), save=False)
        try:
            form.save()
        except Exception:
            form.pdf.delete(save=False)  # no row, no file
            raise
    return form


# --- Per-form content ----------------------------------------------------------------------


def _receipt(dossier):
    url = f"{settings.PUBLIC_BASE_URL}/tra-cuu/?ma={dossier.code}&kt={dossier.check_code}"
    return {
        "components": [c for c in dossier.components.all() if c.received],
        "sets": 1,  # the model has no count of dossier sets: one set per dossier
        "clerk_name": full_name(dossier.received_by),
        "appointment": dossier.appointment_at or dossier.due_at,
        "lookup_url": url,
        "lookup_site": f"{settings.PUBLIC_BASE_URL}/tra-cuu/",
        "qr": segno.make(url, error="m").png_data_uri(scale=4, border=0),
    }


def _control_slip(dossier):
    events = dossier.events.select_related("actor", "actor_unit", "from_unit", "to_unit")
    rows = []
    for event in events.order_by("at", "id"):
        rows.append(
            {
                "event": event,
                "giver": event.from_unit or event.actor_unit,
                "actor_name": full_name(event.actor),
                "label": event.get_action_label(),
                "on_time": ON_TIME_LABELS[event.on_time],
                "channel": CHANNEL_LABELS[event.electronic],
            }
        )
    return {"rows": rows}


_FORM_CONTEXT = {"01": _receipt, "05": _control_slip}


# --- Shared pieces -------------------------------------------------------------------------


def _document(unit, code, title, moment):
    """The heading every form shares: agency, national heading, place and date, title."""
    zone = ZoneInfo(settings.TIME_ZONE)
    day = timezone.localtime(moment or timezone.now(), zone).date()
    return {
        "unit": unit,
        "parent": unit.parent,
        "form_number": code,
        "title": title,
        "place_date": place_date_line(unit, day),
        "landscape": False,
    }


def _latest_event(dossier, code):
    if code not in FORM_ACTIONS:
        return None
    events = dossier.events.filter(action=FORM_ACTIONS[code]).select_related("actor", "actor_unit")
    return events.order_by("-at", "-id").first()


def _with_parents(unit_id):
    # One query for the heading (parent's name) and the place name (nearest area above).
    return Unit.objects.select_related("level", "parent__level", "parent__parent__level").get(
        pk=unit_id
    )


def _place_name(unit):
    name = unicodedata.normalize("NFC", (unit.area() or unit).name).strip()
    for words in (_AREA_PREFIXES, _AREA_KINDS):
        for word in words:
            if name.lower().startswith(word):
                name = name[len(word) :].strip()
                break
    return name


def place_date_line(unit, day):
    # Nghị định 30/2020: days below 10 and the months January, February take a leading zero.
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{_place_name(unit)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def full_name(user):
    """Vietnamese order: family and middle names (last_name) before the given name."""
    if user is None:
        return ""
    return f"{user.last_name} {user.first_name}".strip() or user.get_username()


def _pdf(template, context):
    return render_pdf(f"{TEMPLATES}/{template}", context)


def render_pdf(template_name, context) -> bytes:
    """The PDF of a printed document (the forms, the monthly report, the disposal minute):
    the template rendered in the portal's time zone, laid out by WeasyPrint. Everything a
    document shows is in the page itself (a QR code is a data: URI): nothing is fetched."""
    # Imported here: WeasyPrint loads Pango and its fonts at import (about 0.4 s), which only
    # a process that prints should pay (not the status page's workers, nor OCR's).
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with timezone.override(ZoneInfo(settings.TIME_ZONE)):
        html = render_to_string(template_name, context)
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, base_url=str(BASE_URL), url_fetcher=fetcher).write_pdf()
