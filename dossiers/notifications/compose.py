"""Composing the Vietnamese messages from templates (``templates/dossiers/notifications/``).

Each event has ``<event>.email.txt`` (first line the subject, then the body) and
``<event>.short.txt`` (SMS and Zalo: a few lines). The context holds the dossier's code and
check code, the procedure, the unit, the dates and the reason written for the citizen — never
the applicant's ID number, address or documents, which the templates therefore cannot show.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from ..models import Notification

TEMPLATE_DIR = "dossiers/notifications"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


def lookup_url(dossier) -> str:
    """The public status page for this dossier, with both factors (as the receipt's QR)."""
    query = urlencode({"ma": dossier.code, "kt": dossier.check_code})
    return f"{settings.PUBLIC_BASE_URL}{reverse('public-status')}?{query}"


def supplement_url(dossier) -> str:
    """The page where the applicant sends supplements online (served by digitization, wired
    at the site's root), with both factors; empty when that page is not installed."""
    try:
        path = reverse("online-supplement")
    except NoReverseMatch:
        return ""
    query = urlencode({"ma": dossier.code, "kt": dossier.check_code})
    return f"{settings.PUBLIC_BASE_URL}{path}?{query}"


def context_for(dossier, *, reason="") -> dict:
    unit = dossier.receiving_unit
    return {
        "name": dossier.applicant.name,
        "code": dossier.code,
        "check_code": dossier.check_code,
        "procedure": dossier.procedure.name,
        "unit_name": unit.name,
        "unit_address": unit.address,
        "unit_phone": unit.phone,
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "appointment_at": dossier.appointment_at,
        "reason": reason,
        "url": lookup_url(dossier),
        "supplement_url": supplement_url(dossier),
        "page": f"{settings.PUBLIC_BASE_URL}{reverse('public-status')}",
    }


def compose(event: str, channel: str, context: dict) -> Message:
    if channel == Notification.Channel.EMAIL:
        text = render_to_string(f"{TEMPLATE_DIR}/{event}.email.txt", context).strip()
        subject, _, body = text.partition("\n")
        return Message(subject=subject.strip()[:200], body=body.strip() + "\n")
    body = render_to_string(f"{TEMPLATE_DIR}/{event}.short.txt", context).strip()
    return Message(
        subject="", body=" ".join(line.strip() for line in body.splitlines() if line.strip())
    )
