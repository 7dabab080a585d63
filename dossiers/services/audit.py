"""Writing the audit trail: one helper used by every service and access point."""

import ipaddress

from django.conf import settings

from ..models import AuditEvent
from ..queries import staff_unit


def client_ip(request):
    """The client's address: REMOTE_ADDR; behind our reverse proxy (BEHIND_PROXY), when
    REMOTE_ADDR is one of TRUSTED_PROXIES, the last X-Forwarded-For entry that is not a trusted
    proxy (the one our proxy added; entries before it are written by the client). A client that
    reaches gunicorn directly is known by its own address whatever it sends. None when it is not
    an IP address."""
    if request is None:
        return None
    address = _ip(request.META.get("REMOTE_ADDR", ""))
    if from_trusted_proxy(request):
        for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            forwarded = _ip(entry.strip())
            if forwarded is None:
                break  # a hop we cannot read: stay with the last one we trust
            address = forwarded
            if not _trusted(forwarded):
                break
    return str(address) if address is not None else None


def from_trusted_proxy(request) -> bool:
    """Whether the request came through our reverse proxy (BEHIND_PROXY, from TRUSTED_PROXIES):
    only then are its forwarded headers believed."""
    address = _ip(request.META.get("REMOTE_ADDR", ""))
    return settings.BEHIND_PROXY and address is not None and _trusted(address)


def _ip(text):
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address):
    return any(address in network for network in settings.TRUSTED_PROXY_NETWORKS)


def rate_key(group, request):
    """django-ratelimit key: the client address of the audit trail; for IPv6 its /64, which
    one client usually holds whole (as django-ratelimit's own ``ip`` key does)."""
    address = client_ip(request)
    if address and ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address or "unknown"


def record(kind, action, *, actor=None, target=None, request=None, reason="", data=None, unit=None):
    """Add one audit row. Call it inside the service's transaction so both commit together."""
    row = build(
        kind,
        action,
        actor=actor,
        target=target,
        request=request,
        reason=reason,
        data=data,
        unit=unit,
    )
    row.save(force_insert=True)
    return row


def build(kind, action, *, actor=None, target=None, request=None, reason="", data=None, unit=None):
    """The unsaved row :func:`record` would add, for a service that writes many at once
    (``AuditEvent.objects.bulk_create``, inside its transaction)."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if unit is None:
        unit = staff_unit(user)
    return AuditEvent(
        kind=kind,
        action=action,
        actor=user,
        actor_name=(user.get_username() if user else (data or {}).get("username", ""))[:150],
        unit=unit,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        ip_address=client_ip(request),
        reason=reason[:500],
        data=data or {},
    )
