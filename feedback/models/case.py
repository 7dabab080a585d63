from django.conf import settings
from django.db import models
from django.db.models import Q

from dossiers.models import Dossier, Rating, Unit
from dossiers.models.dossier import new_check_code

from .sentiment import Sentiment


class Feedback(models.Model):
    """One PAKN: a citizen's complaint (phản ánh) or request (kiến nghị) about a dossier or a
    unit, received, assigned to the competent unit, answered by ``due_at`` and rated once.

    The QĐ 766 score reads it in SQL: on time is ``answered_at <= due_at``, satisfied is
    ``answer_score >= 3`` (feedback/data/pakn.json, "score")."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Phản ánh"
        REQUEST = "request", "Kiến nghị"

    class Channel(models.TextChoices):
        WEB = "web", "Cổng trực tuyến"
        KIOSK = "kiosk", "Ki-ốt tại Trung tâm"
        API = "api", "API"
        VNEID = "vneid", "Trực tuyến, đăng nhập VNeID"

    class State(models.TextChoices):
        RECEIVED = "received", "Đã tiếp nhận, đang xử lý"
        ANSWERED = "answered", "Đã trả lời"
        CLOSED = "closed", "Đã kết thúc"

    # The satisfaction scale of the dossiers' ratings (one scale for the QĐ 766 score).
    Score = Rating.Score

    code = models.CharField("mã PAKN", max_length=24, unique=True)
    check_code = models.CharField("mã tra cứu", max_length=8, default=new_check_code)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.COMPLAINT)
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    dossier = models.ForeignKey(
        Dossier,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name="hồ sơ liên quan",
    )
    unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="feedback", verbose_name="đơn vị giải quyết"
    )
    content = models.TextField("nội dung")
    # The sender: personal data, never on a public page nor in a URL or a log line.
    sender_name = models.CharField("họ tên người gửi", max_length=120)
    sender_phone = models.CharField("điện thoại", max_length=20, blank=True)
    sender_email = models.EmailField("thư điện tử", blank=True)
    sender_id_number = models.CharField("số định danh", max_length=12, blank=True)
    publish_agreed = models.BooleanField("người gửi đồng ý công khai", default=False)
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.RECEIVED
    )
    received_at = models.DateTimeField("tiếp nhận lúc", db_index=True)
    due_at = models.DateTimeField("hạn trả lời", db_index=True)
    escalated_at = models.DateTimeField("đã báo quá hạn lúc", null=True, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người trả lời",
    )
    published = models.BooleanField("đơn vị công khai câu trả lời", default=False)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    answer_score = models.PositiveSmallIntegerField(
        "mức độ hài lòng với trả lời", choices=Score.choices, null=True, blank=True
    )
    answer_comment = models.TextField("góp ý về trả lời", blank=True)
    rated_at = models.DateTimeField("đánh giá lúc", null=True, blank=True)
    sentiment = models.CharField(
        "cảm xúc của nội dung", max_length=8, choices=Sentiment.choices, blank=True
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        indexes = [models.Index(fields=["unit", "state", "due_at"], name="feedback_queue")]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer_score__isnull=True)
                | Q(answer_score__gte=1, answer_score__lte=4),
                name="feedback_score_1_to_4",
            ),
            # Rated only once answered; answered only with an answer.
            models.CheckConstraint(
                condition=Q(rated_at__isnull=True) | Q(answered_at__isnull=False),
                name="feedback_rated_after_answer",
            ),
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="feedback_answer_has_text",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def public(self) -> bool:
        """Both agree: the answer may be listed publicly (personal data removed)."""
        return self.publish_agreed and self.published and self.answered_at is not None

    @property
    def answered_on_time(self):
        return self.answered_at is not None and self.answered_at <= self.due_at
