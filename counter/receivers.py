"""What the counter queue does when the dossiers app tells it something."""

from django.dispatch import receiver

from dossiers.signals import demo_loaded, dossier_received

from . import demo
from .models import Ticket


@receiver(dossier_received)
def link_ticket(sender, dossier, actor, **kwargs):
    """The ticket the clerk is serving now brought this dossier: waiting time, service time
    and the later rating can then be read per dossier, clerk and procedure."""
    Ticket.objects.filter(
        clerk=actor, called_at__isnull=False, served_to__isnull=True, dossier__isnull=True
    ).update(dossier=dossier)


@receiver(demo_loaded, dispatch_uid="counter-demo")
def load_demo(sender, units, **kwargs):
    """The demo district gets its counter lines."""
    demo.add_service_areas(units)
