"""What the digitization app does when the dossiers app tells it something."""

import logging

from django.dispatch import receiver

from dossiers.signals import dossier_received

from .services.reuse import record_reuse

log = logging.getLogger(__name__)


@receiver(dossier_received)
def reuse_chosen_at_reception(sender, dossier, actor, data=None, **kwargs):
    """The reception form's reuse ticks become ReuseChoice rows. The dossier is already
    committed: a failure here is logged, and never turns the reception into an error page."""
    try:
        record_reuse(dossier, actor=actor, data=data or {})
    except Exception:
        log.exception("Reuse choices of dossier %s not recorded", dossier.code)
