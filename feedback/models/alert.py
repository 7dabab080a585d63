from django.conf import settings
from django.db import models

from core.work import Outbox

from .case import Feedback


class LeaderAlert(Outbox):
    """One e-mail owed to a unit's leader about a PAKN past its deadline (core.work.Outbox):
    written in the escalation's transaction, sent by a task after commit, swept when the task
    was lost. One per (PAKN, leader): escalating twice sends nothing twice."""

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="alerts")
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    recipient = models.EmailField("người nhận", blank=True)
    subject = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung")

    class Meta:
        verbose_name = "báo lãnh đạo PAKN quá hạn"
        verbose_name_plural = "báo lãnh đạo PAKN quá hạn"
        constraints = [
            models.UniqueConstraint(fields=["feedback", "leader"], name="one_alert_per_leader")
        ]


class AnswerNotice(Outbox):
    """One message owed to the sender of a PAKN when it is answered (core.work.Outbox): by
    e-mail and by SMS (the SMS gateway is the dossiers app's local outbox channel), written in
    the answer's transaction, sent after commit. One per PAKN and channel."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Thư điện tử"
        SMS = "sms", "Tin nhắn SMS"

    feedback = models.ForeignKey(Feedback, models.CASCADE, related_name="notices")
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    recipient = models.CharField("người nhận", max_length=254)
    subject = models.CharField("tiêu đề", max_length=200, blank=True)
    body = models.TextField("nội dung")

    class Meta:
        verbose_name = "báo công dân PAKN đã được trả lời"
        verbose_name_plural = "báo công dân PAKN đã được trả lời"
        constraints = [
            models.UniqueConstraint(fields=["feedback", "channel"], name="one_notice_per_channel")
        ]
