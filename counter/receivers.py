"""What the counter queue does when the dossiers app tells it something."""

from django.dispatch import receiver

from dossiers.hooks import dossier_received

from .models import Ticket


@receiver(dossier_received)
def link_ticket(sender, dossier, actor, **kwargs):
    """The ticket the clerk is serving now brought this dossier: waiting time, service time
    and the later rating can then be read per dossier, clerk and procedure."""
    Ticket.objects.filter(
        clerk=actor, called_at__isnull=False, served_to__isnull=True, dossier__isnull=True
    ).update(dossier=dossier)
