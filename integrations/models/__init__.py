"""Tables of the integrations app, one module per platform or concern."""

from .inbound import InboundDossier, PushNonce

__all__ = ["InboundDossier", "PushNonce"]
