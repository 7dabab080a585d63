from django.db import models

from dossiers.models import Rating


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Tiêu cực"
    NEUTRAL = "neutral", "Trung tính"
    POSITIVE = "positive", "Tích cực"


class RatingSentiment(models.Model):
    """The sentiment of a rating's comment (dossiers.Rating), kept here so that dossiers does
    not know of the classifier; ``mismatch`` when the score says very satisfied and the text
    is negative: the receiving unit's leader reads those."""

    rating = models.OneToOneField(Rating, models.CASCADE, related_name="sentiment")
    label = models.CharField("cảm xúc", max_length=8, choices=Sentiment.choices)
    mismatch = models.BooleanField("lệch với mức đánh giá", default=False, db_index=True)
    at = models.DateTimeField("phân loại lúc", auto_now=True)

    class Meta:
        verbose_name = "cảm xúc của góp ý"
        verbose_name_plural = "cảm xúc của góp ý"

    def __str__(self):
        return f"{self.rating_id}: {self.label}"
