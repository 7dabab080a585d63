"""What the integrations app hears from the lower apps and writes to its outboxes inside the
same transaction (design.md: the higher app listens, the lower app never imports it)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import DossierEvent
from dossiers.signals import dossier_receiving

from . import postal, sync


@receiver(post_save, sender=DossierEvent, dispatch_uid="integrations.national_sync")
def dossier_step(sender, instance, created, raw=False, **kwargs):
    """Every new step of a dossier owes DVCQG a message (written in the step's transaction)."""
    if created and not raw:
        sync.record_event(instance)


@receiver(dossier_receiving, dispatch_uid="integrations.postal_choice")
def postal_choice(sender, dossier, actor=None, data=None, **kwargs):
    """The applicant's choice of return by post, posted with the reception or online form,
    stored in the dossier's transaction (the receipt prints it; a bad address refuses)."""
    postal.record_choice(dossier, data or {}, actor=actor)


@receiver(post_save, sender=DossierEvent, dispatch_uid="integrations.postal_order")
def postal_order(sender, instance, created, raw=False, **kwargs):
    """«Gửi kết quả qua bưu chính» writes the shipment order in the clerk's transaction."""
    if created and not raw and instance.action == "send_by_post":
        postal.order_shipment(instance)
