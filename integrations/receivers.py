"""What the integrations app hears from the lower apps and writes to its outboxes inside the
same transaction (design.md: the higher app listens, the lower app never imports it)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import DossierEvent

from . import sync


@receiver(post_save, sender=DossierEvent, dispatch_uid="integrations.national_sync")
def dossier_step(sender, instance, created, raw=False, **kwargs):
    """Every new step of a dossier owes DVCQG a message (written in the step's transaction)."""
    if created and not raw:
        sync.record_event(instance)
