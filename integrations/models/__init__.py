"""Tables of the integrations app, one module per platform or concern."""

from .inbound import InboundDossier, PushNonce
from .outbox import DossierSync, NationalMessage
from .post import PostalChoice, Shipment, ShipmentUpdate

__all__ = [
    "DossierSync",
    "InboundDossier",
    "NationalMessage",
    "PostalChoice",
    "PushNonce",
    "Shipment",
    "ShipmentUpdate",
]
