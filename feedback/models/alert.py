from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.work import Backoff, DurableWork

from .case import Feedback


class LeaderAlert(DurableWork):
    """One e-mail owed to a unit's leader about a PAKN past its deadline, as durable work
    (core.work): written in the escalation's transaction, sent by a task after commit, swept
    when the task was lost. One per (PAKN, leader): escalating twice sends nothing twice."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        FAILED = "failed", "Gửi lỗi"

    RUNNING = None
    DONE = State.SENT
    RETRY_STATE = State.FAILED
    CLAIMABLE = (State.PENDING, State.FAILED)
    MAX_ATTEMPTS = 5
    BACKOFF = Backoff(base=10, factor=2, cap=600)
    SWEEP_AFTER = timedelta(minutes=1)
    RETRY_SWEEP_AFTER = timedelta(minutes=15)

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="alerts")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    recipient = models.EmailField("người nhận", blank=True)
    subject = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung")
    state = models.CharField(
        "trạng thái", max_length=8, choices=State.choices, default=State.PENDING
    )
    queued_at = models.DateTimeField("tạo lúc", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)
    delivered_by = models.CharField("gửi qua", max_length=80, blank=True)

    class Meta:
        verbose_name = "báo lãnh đạo PAKN quá hạn"
        verbose_name_plural = "báo lãnh đạo PAKN quá hạn"
        constraints = [
            models.UniqueConstraint(fields=["feedback", "leader"], name="one_alert_per_leader")
        ]
