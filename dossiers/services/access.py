"""Reads of citizens' records, logged (design.md, security model): every page, API call or
command that shows a dossier, an applicant or a document calls :func:`log_access`, so a view
never writes the audit trail itself and a read cannot be logged one way here and another there.
"""

from ..models import AuditEvent
from . import audit


def log_access(action, *, actor, target=None, request=None, reason="", data=None):
    """One ACCESS audit row: who read what (``action`` e.g. ``dossier.view``,
    ``document.open``), when, from where and, when asked for, why. Append-only; call it where
    the read happens, after the permission check."""
    return audit.record(
        AuditEvent.Kind.ACCESS,
        action,
        actor=actor,
        target=target,
        request=request,
        reason=reason,
        data=data,
    )
