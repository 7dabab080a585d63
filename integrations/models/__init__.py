"""Tables of the integrations app, one module per platform or concern."""

from .outbox import DossierSync, NationalMessage

__all__ = ["DossierSync", "NationalMessage"]
