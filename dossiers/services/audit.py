"""Writing the audit trail: one helper used by every service and access point."""

from ..models import AuditEvent
from ..queries import staff_unit


def client_ip(request):
    """The client's address as the web server saw it (behind a proxy: the first forwarded)."""
    if request is None:
        return None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() if forwarded else None) or request.META.get(
        "REMOTE_ADDR"
    )


def record(kind, action, *, actor=None, target=None, request=None, reason="", data=None, unit=None):
    """Add one audit row. Call it inside the service's transaction so both commit together."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if unit is None:
        unit = staff_unit(user)
    return AuditEvent.objects.create(
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
