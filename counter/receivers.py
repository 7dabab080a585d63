"""What the counter queue does when the dossiers app tells it something."""

from django.dispatch import receiver

from dossiers.signals import demo_loaded, dossier_received, units_reorganised

from . import demo
from .models import ServiceArea, Ticket


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


@receiver(units_reorganised, dispatch_uid="counter-reorganised")
def move_service_areas(sender, successor_of, **kwargs):
    """An ending unit's counter lines go to its successor, unless the successor already has a
    line of that letter (then the old line keeps its tickets as history)."""
    moved = 0
    for old_id, new in successor_of.items():
        taken = set(ServiceArea.objects.filter(unit=new).values_list("letter", flat=True))
        moved += (
            ServiceArea.objects.filter(unit_id=old_id).exclude(letter__in=taken).update(unit=new)
        )
    return {"service_areas": moved}
