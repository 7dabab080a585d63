"""Tables of the integrations app, one module per platform or concern."""

from .inbound import InboundDossier, PushNonce
from .outbox import DossierSync, NationalMessage
from .payments import Payment, PaymentReconciliation
from .population import PopulationCheck, PopulationLookup
from .post import PostalChoice, Shipment, ShipmentUpdate

__all__ = [
    "DossierSync",
    "InboundDossier",
    "NationalMessage",
    "Payment",
    "PaymentReconciliation",
    "PopulationCheck",
    "PopulationLookup",
    "PostalChoice",
    "PushNonce",
    "Shipment",
    "ShipmentUpdate",
]
