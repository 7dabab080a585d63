"""The sentiment of what citizens write, stored on the row it belongs to: a PAKN's content
(set by the intake service) and a dossier rating's comment (RatingSentiment, written here
when a rating is saved)."""

from dossiers.models import Rating

from ..models import Feedback, RatingSentiment, Sentiment
from ..sentiment.labels import label_text


def label_rating(rating) -> RatingSentiment | None:
    """Classify ``rating``'s comment and store the label (idempotent: one row per rating,
    updated when run again). ``mismatch`` when the score is "Rất hài lòng" and the text reads
    negative: the leader's quality page lists those. None for a rating without a comment."""
    label = label_text(rating.comment)
    if not label:
        RatingSentiment.objects.filter(rating=rating).delete()
        return None
    mismatch = rating.score == Rating.Score.VERY_SATISFIED and label == Sentiment.NEGATIVE
    row, _ = RatingSentiment.objects.update_or_create(
        rating=rating, defaults={"label": label, "mismatch": mismatch}
    )
    return row


def relabel_all() -> dict:
    """Label again every rating comment and PAKN content (after the model was retrained)."""
    ratings = 0
    for rating in Rating.objects.exclude(comment="").iterator():
        ratings += label_rating(rating) is not None
    feedback = 0
    for row in Feedback.objects.only("pk", "content").iterator():
        Feedback.objects.filter(pk=row.pk).update(sentiment=label_text(row.content))
        feedback += 1
    return {"ratings": ratings, "feedback": feedback}
