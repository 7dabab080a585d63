"""Reads of PAKN used by the pages, the API and the tasks, scoped to the user's units."""

from django.db.models import Avg, Count, Q
from django.utils import timezone

from dossiers.models import Rating
from dossiers.queries import scoped_units, sees_whole_area, staff_unit, user_roles
from dossiers.roles import Role

from .models import Feedback, RatingSentiment, Sentiment

State = Feedback.State
LIST_RELATED = ("unit", "dossier")


def may_handle(user) -> bool:
    """Leaders (and the area-wide roles) read and answer their units' PAKN."""
    if staff_unit(user) is None:
        return False
    return Role.LEADER.value in user_roles(user) or sees_whole_area(user)


def scoped_feedback(user):
    """PAKN assigned to the units the user's scope holds (dossiers.queries.scoped_units)."""
    if not may_handle(user):
        return Feedback.objects.none()
    return Feedback.objects.filter(unit__in=scoped_units(user))


def queue(user):
    """Unanswered PAKN of the user's units, soonest deadline first."""
    return (
        scoped_feedback(user)
        .filter(state=State.RECEIVED)
        .select_related(*LIST_RELATED)
        .order_by("due_at", "id")
    )


def overdue(user, now=None):
    """Unanswered PAKN past their deadline, the longest late first."""
    return queue(user).filter(due_at__lt=now or timezone.now())


def answered(user):
    """Answered or closed PAKN of the user's units, newest answer first."""
    return (
        scoped_feedback(user)
        .exclude(state=State.RECEIVED)
        .select_related(*LIST_RELATED)
        .order_by("-answered_at", "-id")
    )


def queue_counts(user, now=None) -> dict:
    """{open, overdue} for the leader's tabs, in one aggregate."""
    now = now or timezone.now()
    return scoped_feedback(user).aggregate(
        open=Count("id", filter=Q(state=State.RECEIVED)),
        overdue=Count("id", filter=Q(state=State.RECEIVED, due_at__lt=now)),
    )


def public_answers():
    """Answers both sides agreed to publish, newest first; the page shows no sender field."""
    return (
        Feedback.objects.filter(publish_agreed=True, published=True, answered_at__isnull=False)
        .select_related("unit")
        .only(
            "code",
            "kind",
            "content",
            "answer",
            "received_at",
            "answered_at",
            "due_at",
            "sender_name",
            "sender_phone",
            "sender_email",
            "sender_id_number",
            "unit__name",
        )
        .order_by("-answered_at", "-id")
    )


def mismatched_ratings(user):
    """Ratings of the leader's units scored very satisfied whose comment reads negative."""
    unit = staff_unit(user)
    if unit is None or not may_handle(user):
        return RatingSentiment.objects.none()
    return (
        RatingSentiment.objects.filter(
            mismatch=True, rating__dossier__receiving_unit__in=scoped_units(user)
        )
        .select_related("rating", "rating__dossier")
        .order_by("-rating__at")
    )


def satisfaction_by_unit(user):
    """Per receiving unit of the user's scope: ratings, mean score (the stars, of 4), share
    satisfied, and comments the sentiment model read negative — one aggregate query."""
    if not may_handle(user):
        return []
    rows = (
        Rating.objects.filter(dossier__receiving_unit__in=scoped_units(user))
        .values("dossier__receiving_unit__name")
        .annotate(
            ratings=Count("pk"),
            stars=Avg("score"),
            satisfied=Count("pk", filter=Q(score__gte=3)),
            commented=Count("sentiment"),
            negative=Count("sentiment", filter=Q(sentiment__label=Sentiment.NEGATIVE)),
        )
        .order_by("dossier__receiving_unit__name")
    )
    return [
        {
            **row,
            "unit": row["dossier__receiving_unit__name"],
            "negative_share": round(100 * row["negative"] / row["commented"], 1)
            if row["commented"]
            else None,
        }
        for row in rows
    ]
