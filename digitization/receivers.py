"""What the digitization app does when the dossiers app tells it something."""

import logging

from django.dispatch import receiver

from dossiers.signals import dossier_received, units_reorganised

from .models import ScannedFile
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


@receiver(units_reorganised, dispatch_uid="digitization-reorganised")
def move_unassigned_scans(sender, successor_of, **kwargs):
    """Scans still in an ending unit's tray (not yet attached to a dossier) go to the
    successor's tray; attached scans stay with their dossier."""
    moved = 0
    for old_id, new in successor_of.items():
        moved += ScannedFile.objects.filter(unit_id=old_id, dossier__isnull=True).update(unit=new)
    return {"scans": moved}
