"""The counter's printed forms as A4 PDFs, under the legal text in force (legal.forms_basis).

A form is named by its kind ("receipt", "stop", "control", ...); the text in force on the day
the form belongs to (TT 01/2018 until 14/9/2025, TT 03/2025 from 15/9/2025) gives its number,
title and template, under ``dossiers/documents/<text>/``, each extending one document base;
WeasyPrint lays it out. A dossier's form belongs to the day of its event (the receipt: the
reception); the control slip and the register to the day they are printed. Rendering only
reads rows. :func:`issue_form` stores a form once per (dossier, kind, event), so a reprint
hands back the very same file and checksum whatever text is in force by then.
"""

import hashlib
import re
import threading
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

from core.errors import PortalError

from . import hooks, legal
from .models import Dossier, DossierEvent, PrintedForm, Unit
from .notifications.compose import lookup_url
from .text import full_name
from .workflow import ACTIONS

TEMPLATES = "dossiers/documents"
BASE_URL = Path(__file__).resolve().parent / "templates" / TEMPLATES
# The forms that belong to a dossier (the register belongs to a unit and a period).
DOSSIER_KINDS = tuple(k for k in legal.FORM_KINDS if k != "register")
# Kind -> the actions whose event issues it, from the workflow table, plus the events that
# are not workflow actions: the reception at the counter, and the stop (until the workflow
# has its own "stop" action, whose form is "stop").
FORM_EVENTS: dict[str, tuple[str, ...]] = {"receipt": ("receive",), "stop": ("stop",)}
for _action in ACTIONS.values():
    if _action.form and _action.code not in FORM_EVENTS.get(_action.form, ()):
        FORM_EVENTS[_action.form] = (*FORM_EVENTS.get(_action.form, ()), _action.code)
# Action -> the kind of form its event issues.
EVENT_FORMS = {action: kind for kind, actions in FORM_EVENTS.items() for action in actions}
HANDOVER_ACTIONS = ("transfer", "assign")
ON_TIME_LABELS = {True: "Đúng hạn", False: "Quá hạn", None: "—"}
CHANNEL_LABELS = {True: "Điện tử", False: "Giấy", None: ""}
# Words stripped from an area's name to get the place of the date line ("Bắc Yên, ngày ...").
_AREA_PREFIXES = ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân ")
_AREA_KINDS = ("tỉnh ", "thành phố ", "thị xã ", "huyện ", "quận ", "thị trấn ", "phường ", "xã ")


class FormError(PortalError):
    """A form the dossier does not have, or a code that names no form (404)."""

    def __init__(self, message):
        super().__init__(message, status=404)


def local_day(moment: datetime | None) -> date:
    zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.localtime(moment or timezone.now(), zone).date()


def form_spec(kind: str, day: date) -> tuple[legal.FormsBasis, legal.FormSpec]:
    """The text in force on ``day`` and its form of ``kind``, or a Vietnamese refusal."""
    basis = legal.forms_basis(day)
    if kind not in basis.forms:
        raise FormError(
            f"{basis.short_title} (có hiệu lực ngày {day:%d/%m/%Y}) không có mẫu phiếu "
            f"loại {kind!r}."
        )
    return basis, basis.forms[kind]


def form_moment(dossier: Dossier, kind: str, event: DossierEvent | None) -> datetime | None:
    """The moment a dossier's form belongs to: its event's, the receipt's reception; None
    (the day it is printed) for the control slip and for a form without its event."""
    if kind == "control":
        return None
    if event is not None:
        return event.at
    return dossier.received_at if kind == "receipt" else None


def resolve_kind(dossier: Dossier, code: str) -> str:
    """The kind a URL's form code names: a kind ("receipt") as is, a number ("05") through
    the text in force on the day the dossier was received (TT 01/2018: the control slip;
    TT 03/2025: the stop notice). Anything else: :class:`FormError` (404)."""
    if code in DOSSIER_KINDS:
        return code
    if re.fullmatch(r"\d{2}", code or ""):
        basis = legal.forms_basis(local_day(dossier.received_at))
        kind = basis.kind_of_number(code)
        if kind in DOSSIER_KINDS:
            return kind
        raise FormError(f"{basis.short_title} không có Mẫu {code} cho hồ sơ.")
    raise FormError(f"Không có mẫu phiếu {str(code)[:20]!r} cho hồ sơ.")


def render_form(
    dossier: Dossier,
    kind: str,
    *,
    event: DossierEvent | None = None,
    printed_on: date | None = None,
) -> bytes:
    """The PDF of form ``kind`` for ``dossier`` under the text in force on its day.

    The supplement request, the refusal, the apology and the stop notice print the note of
    ``event`` as their reason; without one, the dossier's latest event of that action is used.
    ``printed_on`` (default today) is the day of the control slip and of forms without a
    moment of their own.
    """
    return _render(dossier, kind, event=event, printed_on=printed_on)[0]


def _render(dossier, kind, *, event, printed_on=None):
    if kind not in DOSSIER_KINDS:
        raise FormError(f"Không có mẫu phiếu {str(kind)[:20]!r} cho hồ sơ.")
    if event is None:
        event = _latest_event(dossier, kind)
    moment = form_moment(dossier, kind, event)
    day = local_day(moment) if moment else (printed_on or local_day(None))
    basis, spec = form_spec(kind, day)
    unit = _with_parents(dossier.receiving_unit_id)
    context = {
        **_document(unit, spec, day),
        "dossier": dossier,
        "applicant": dossier.applicant,
        "procedure": dossier.procedure,
        "event": event,
        "actor_name": full_name(event.actor) if event else "",
        "footer": f"Mã hồ sơ {dossier.code}",
        **_FORM_CONTEXT.get(kind, lambda d: {})(dossier),
    }
    return _pdf(spec.template, context), basis, spec


def render_register(
    unit: Unit, first_day: date, last_day: date, *, printed_on: date | None = None
) -> bytes:
    """The register (Sổ theo dõi hồ sơ) of the dossiers ``unit`` received from ``first_day``
    to ``last_day`` inclusive (local dates), in A4 landscape, under the text in force on
    ``printed_on`` (default today). Three queries whatever its length: the unit with its
    parents, the dossiers, their hand-overs."""
    day = printed_on or local_day(None)
    basis, spec = form_spec("register", day)
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
        **_document(unit, spec, day),
        "landscape": True,
        "first_day": first_day,
        "last_day": last_day,
        "rows": rows,
        "footer": f"{unit.code} · {first_day:%d/%m/%Y} – {last_day:%d/%m/%Y}",
    }
    return _pdf(spec.template, context)


def issue_form(
    dossier: Dossier, kind: str, *, actor=None, event: DossierEvent | None = None
) -> PrintedForm:
    """Render form ``kind`` and store it as a :class:`PrintedForm` with its text, number and
    SHA-256.

    Idempotent: when the dossier already has this form for this event (without an event, the
    latest of the matching action), the stored row is returned unchanged, whatever text is in
    force now. Runs in one transaction holding the dossier's row lock, so two clerks printing
    at once get one row.
    """
    if event is None:
        event = _latest_event(dossier, kind)
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).exists()
        existing = PrintedForm.objects.filter(dossier=dossier, kind=kind, event=event).first()
        if existing is not None:
            return existing
        pdf, basis, spec = _render(dossier, kind, event=event)
        form = PrintedForm(
            dossier=dossier,
            kind=kind,
            basis=basis.key,
            code=spec.number,
            event=event,
            issued_by=actor,
            sha256=hashlib.sha256(pdf).hexdigest(),
        )
        form.pdf.save(f"{dossier.code}-mau{spec.number}.pdf", ContentFile(pdf), save=False)
        try:
            form.save()
        except Exception:
            form.pdf.delete(save=False)  # no row, no file
            raise
    return form


# --- Per-form content ----------------------------------------------------------------------


def _receipt(dossier):
    # The configured public address (PUBLIC_BASE_URL), the same link as the SMS and e-mails.
    url = lookup_url(dossier)
    return {
        # The time of the rules the dossier was received under (a later change of the
        # catalogue does not change its receipt).
        "rules": dossier.received_rules,
        "components": [c for c in dossier.components.all() if c.received],
        "sets": 1,  # the model has no count of dossier sets: one set per dossier
        "clerk_name": full_name(dossier.received_by),
        "appointment": dossier.appointment_at or dossier.due_at,
        "lookup_url": url,
        "lookup_site": url.split("?")[0],
        "qr": segno.make(url, error="m").png_data_uri(scale=4, border=0),
        # Lines higher apps add (the chosen way of return by post): [(label, text), ...].
        "extra_lines": [line for lines in hooks.RECEIPT_LINES for line in lines(dossier)],
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


_FORM_CONTEXT = {"receipt": _receipt, "control": _control_slip}


# --- Shared pieces -------------------------------------------------------------------------


def _document(unit, spec, day):
    """The heading every form shares: agency, national heading, place and date, title."""
    return {
        "unit": unit,
        "parent": unit.parent,
        "form_number": spec.number,
        "title": spec.title.upper(),
        "place_date": place_date_line(unit, day),
        "landscape": False,
    }


def _latest_event(dossier, kind):
    if kind == "control":
        return None  # the slip is the whole history, not one event's
    events = dossier.events.filter(action__in=FORM_EVENTS.get(kind, ()))
    events = events.select_related("actor", "actor_unit")
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


def _pdf(template, context):
    return render_pdf(f"{TEMPLATES}/{template}", context)


def warm_up() -> None:
    """Load WeasyPrint and lay out one page with the forms' fonts, so that the first form a
    process prints costs what every later one does (bacyen_portal/gunicorn_hooks.py)."""
    # Imported here for the reason render_pdf gives.
    from weasyprint import HTML

    page = "<p style=\"font-family: 'Noto Serif', serif\">Cộng hòa <b>xã hội</b></p>"
    HTML(string=page).write_pdf(font_config=font_configuration())


_fonts = threading.local()


def font_configuration():
    """This thread's WeasyPrint font configuration, made once and used by every document it
    prints. WeasyPrint makes a new one (a fontconfig configuration and a Pango font map) for
    each document it is not given one, and about 0.2 MiB of each stays behind: a web process
    grew by 14 % in the 30-minute soak of bench/bench_load.py, by 0.22 MiB per Mẫu 01
    (tests/test_printing_memory.py). One per thread, not per process: Pango's font maps are not
    made to be shared between threads, and gunicorn runs several in each web process."""
    configuration = getattr(_fonts, "configuration", None)
    if configuration is None:
        # Imported here for the reason render_pdf gives.
        from weasyprint.text.fonts import FontConfiguration

        configuration = _fonts.configuration = FontConfiguration()
    return configuration


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
    document = HTML(string=html, base_url=str(BASE_URL), url_fetcher=fetcher)
    return document.write_pdf(font_config=font_configuration())
