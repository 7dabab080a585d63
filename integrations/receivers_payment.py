"""A dossier refused or declined after its fee was paid online: the money is due back."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import DossierEvent

from .payments import REFUND_STATES, mark_refund_due


@receiver(post_save, sender=DossierEvent, dispatch_uid="integrations.payment_refund_due")
def dossier_ended_unpaid(sender, instance, created, raw=False, **kwargs):
    """In the step's transaction: a refusal or a decline marks the online payment refund_due."""
    if created and not raw and instance.to_state in REFUND_STATES:
        mark_refund_due(instance.dossier_id, reason=f"Hồ sơ: {instance.get_to_state_display()}")
