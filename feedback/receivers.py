"""What the feedback app does when the dossiers app tells it something."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from dossiers.models import Rating
from dossiers.signals import demo_loaded, units_reorganised

from . import demo
from .models import Feedback
from .services.sentiment import label_rating


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


@receiver(post_save, sender=Rating, dispatch_uid="feedback-rating-sentiment")
def classify_rating(sender, instance, created, **kwargs):
    """A rating's comment is classified once the rating commits (the rating's own transaction
    is never slowed or failed by the classifier)."""
    transaction.on_commit(lambda: label_rating(instance), robust=True)
