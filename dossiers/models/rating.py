from django.db import models

from .dossier import Dossier


class Rating(models.Model):
    """The applicant's satisfaction with a returned dossier: one per dossier."""

    class Score(models.IntegerChoices):
        VERY_SATISFIED = 4, "Rất hài lòng"
        SATISFIED = 3, "Hài lòng"
        NOT_SATISFIED = 2, "Không hài lòng"
        VERY_DISSATISFIED = 1, "Rất không hài lòng"

    class Channel(models.TextChoices):
        WEB = "web", "Trực tuyến"
        KIOSK = "kiosk", "Tại quầy"

    dossier = models.OneToOneField(Dossier, models.CASCADE, related_name="rating")
    score = models.PositiveSmallIntegerField("mức độ hài lòng", choices=Score.choices)
    comment = models.TextField("góp ý", blank=True, max_length=2000)
    channel = models.CharField("kênh đánh giá", max_length=8, choices=Channel.choices)
    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    flagged = models.BooleanField(
        "cần lãnh đạo xem", default=False, help_text="Không hài lòng và có góp ý."
    )
    seen_at = models.DateTimeField("lãnh đạo đã xem lúc", null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "đánh giá hài lòng"
        verbose_name_plural = "đánh giá hài lòng"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=4), name="rating_score_1_to_4"
            )
        ]

    def __str__(self):
        return f"{self.dossier.code}: {self.get_score_display()}"

    @property
    def satisfied(self):
        return self.score >= self.Score.SATISFIED
