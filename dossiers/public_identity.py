"""The signed-in citizen of the public site: who an identity provider (VNeID) said the visitor
is, kept in the session. No Django user is made for citizens; staff keep their own login.

It lives in the lowest app because the public pages of every app read it ("Hồ sơ của tôi",
the online form filled from the identity, the header), while the provider's protocol belongs
to ``integrations`` (integrations/vneid.py), which calls :func:`sign_in` once it has checked
the provider's answer and registers its login link with :func:`offer_sign_in`.

The identity number is personal data: it is kept in the session (server side) and never put
in a URL or a log line; the audit trail names the citizen by a masked number
(:attr:`Citizen.label`).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from .models import AuditEvent
from .public_lookup import applicant_by_id_number
from .services.audit import record

SESSION_KEY = "public_citizen"
ID_NUMBER = re.compile(r"[0-9]{12}")


class NotAnIdentityError(ValueError):
    """The provider's answer has no usable identity number (a bug or a misconfigured scope)."""


@dataclass(frozen=True, slots=True)
class Citizen:
    """The signed-in citizen. ``repr`` masks the identity number: a traceback or a debug print
    of this object never shows it."""

    id_number: str = field(repr=False)
    name: str
    phone: str = ""
    email: str = ""
    address: str = ""
    provider: str = "vneid"
    signed_in_at: str = ""

    @property
    def masked(self) -> str:
        return f"{self.id_number[:3]}******{self.id_number[-3:]}"

    @property
    def label(self) -> str:
        """How the audit trail names the citizen (no full identity number)."""
        return f"{self.provider}:{self.masked}"


@dataclass(frozen=True, slots=True)
class SignInOffer:
    """A way to sign in that a higher app offers the public header (its URLs by name)."""

    label: str
    url_name: str
    sign_out_url_name: str
    enabled: Callable[[], bool]


_OFFERS: dict[str, SignInOffer] = {}


def offer_sign_in(provider, *, label, url_name, sign_out_url_name, enabled):
    """Called by the app that speaks ``provider``'s protocol (in its ``AppConfig.ready``)."""
    _OFFERS[provider] = SignInOffer(label, url_name, sign_out_url_name, enabled)


def sign_in_links() -> list[tuple[str, str]]:
    """(label, address) of each way to sign in that is configured now."""
    return [(o.label, reverse(o.url_name)) for o in _OFFERS.values() if o.enabled()]


def sign_out_url(citizen: Citizen) -> str:
    offer = _OFFERS.get(citizen.provider)
    return reverse(offer.sign_out_url_name) if offer else ""


def sign_in(request, *, id_number, name, phone="", email="", address="", provider="vneid"):
    """Remember in ``request``'s session that the visitor is the citizen ``id_number``, as
    ``provider`` asserted. The session key is cycled first (no fixation: a key planted before
    the login is worthless after it); one SECURITY audit row names the citizen by the masked
    number and points at the applicant when the portal knows them. Returns the :class:`Citizen`."""
    id_number = (id_number or "").strip()
    if not ID_NUMBER.fullmatch(id_number):
        raise NotAnIdentityError("the provider asserted no 12-digit identity number")
    citizen = Citizen(
        id_number=id_number,
        name=(name or "").strip()[:200],
        phone=(phone or "").strip()[:20],
        email=(email or "").strip()[:254],
        address=(address or "").strip()[:300],
        provider=provider,
        signed_in_at=timezone.now().isoformat(),
    )
    request.session.cycle_key()
    request.session[SESSION_KEY] = {
        "id_number": citizen.id_number,
        "name": citizen.name,
        "phone": citizen.phone,
        "email": citizen.email,
        "address": citizen.address,
        "provider": citizen.provider,
        "signed_in_at": citizen.signed_in_at,
    }
    record(
        AuditEvent.Kind.SECURITY,
        "public.citizen_signed_in",
        target=applicant_by_id_number(id_number),
        request=request,
        data={"username": citizen.label, "provider": provider},
    )
    return citizen


def current_citizen(request) -> Citizen | None:
    """The signed-in citizen of ``request``, or None (also for a request without a session:
    the lean status page)."""
    session = getattr(request, "session", None)
    data = session.get(SESSION_KEY) if session is not None else None
    if not data:
        return None
    try:
        return Citizen(**data)
    except TypeError:  # a session written by another version of this module
        return None


def sign_out(request):
    """Forget the citizen (the staff login of the same browser, if any, stays); audited."""
    citizen = current_citizen(request)
    if citizen is None:
        return
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    record(
        AuditEvent.Kind.SECURITY,
        "public.citizen_signed_out",
        request=request,
        data={"username": citizen.label, "provider": citizen.provider},
    )
