"""Tables of the integrations app, one module per platform or concern."""

from .inbound import InboundDossier, PushNonce
from .outbox import DossierSync, NationalMessage

__all__ = ["DossierSync", "InboundDossier", "NationalMessage", "PushNonce"]
from .payments import Payment, PaymentReconciliation  # noqa: E402

__all__ += ["Payment", "PaymentReconciliation"]
