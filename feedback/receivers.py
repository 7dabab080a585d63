"""What the feedback app does when the dossiers app tells it something."""

from django.dispatch import receiver

from dossiers.signals import demo_loaded, units_reorganised

from . import demo
from .models import Feedback


@receiver(demo_loaded, dispatch_uid="feedback-demo")
def load_demo(sender, units, **kwargs):
    """The demo province gets a few PAKN: open, overdue, answered, rated, published."""
    demo.add_feedback(units)


@receiver(units_reorganised, dispatch_uid="feedback-reorganised")
def move_open_feedback(sender, successor_of, **kwargs):
    """An ending unit's unanswered PAKN go to its successor, which must answer them."""
    moved = 0
    for old_id, new in successor_of.items():
        moved += Feedback.objects.filter(unit_id=old_id, state=Feedback.State.RECEIVED).update(
            unit=new
        )
    return {"feedback": moved}
