"""The notification outbox: every message the portal owes an applicant, written in the same
transaction as the action that caused it, then sent by a task after commit.

The row is the source of truth, not the broker: a broker outage or a killed worker leaves the
row ``pending`` and the sweeper (``dossiers.sweep_notifications``) sends it later. For SMS and
Zalo, whose national gateway is a boundary we do not own, the local channel's delivery *is*
this row: an operator (or a future gateway adapter) reads it in the admin.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone

from core.work import Backoff, DurableWork

from .dossier import Dossier


class Notification(DurableWork):
    """One message owed to an applicant, as durable work (core.work) without a visible
    running state: the row stays locked while its channel sends. A failed send waits
    ``failed`` for the task's own retry (10 s, 20 s, 40 s, 80 s, with jitter), five attempts
    in all."""

    class Event(models.TextChoices):
        SUBMITTED = "submitted", "Đã nộp trực tuyến"
        RECEIVED = "received", "Đã tiếp nhận hồ sơ"
        SUPPLEMENT_REQUESTED = "supplement_requested", "Yêu cầu bổ sung hồ sơ"
        RESULT_READY = "result_ready", "Có kết quả, mời nhận"
        LATE_NEW_APPOINTMENT = "late_new_appointment", "Quá hạn, hẹn lại ngày trả"
        REFUSED = "refused", "Từ chối tiếp nhận"
        DECLINED = "declined", "Trả lại hồ sơ, không giải quyết"
        STOPPED = "stopped", "Dừng giải quyết theo đề nghị"

    class Channel(models.TextChoices):
        EMAIL = "email", "Thư điện tử"
        SMS = "sms", "Tin nhắn SMS"
        ZALO = "zalo", "Zalo"

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        # In the local outbox of SMS/Zalo, which has no gateway yet (channels.OutboxChannel):
        # written down for an operator, not sent to the phone (issue 21: no "Đã gửi" then).
        QUEUED = "queued", "Đang chờ cổng SMS"
        FAILED = "failed", "Gửi lỗi"

    RUNNING = None
    DONE = State.SENT
    RETRY_STATE = State.FAILED
    CLAIMABLE = (State.PENDING, State.FAILED)
    MAX_ATTEMPTS = 5
    BACKOFF = Backoff(base=10, factor=2, cap=600)
    # A pending row is left to its task for a minute; a failed row whose retry came due, for
    # longer than the task's own retry can be late (a worker killed between two attempts).
    SWEEP_AFTER = timedelta(minutes=1)
    RETRY_SWEEP_AFTER = timedelta(minutes=15)

    dossier = models.ForeignKey(
        Dossier, models.CASCADE, related_name="notifications", verbose_name="hồ sơ"
    )
    event = models.CharField("sự kiện", max_length=24, choices=Event.choices)
    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    recipient = models.CharField(
        "người nhận", max_length=254, help_text="Thư điện tử hoặc số điện thoại."
    )
    subject = models.CharField("tiêu đề", max_length=200, blank=True)
    body = models.TextField("nội dung")
    state = models.CharField(
        "trạng thái", max_length=8, choices=State.choices, default=State.PENDING
    )
    delivered_by = models.CharField(
        "gửi qua",
        max_length=80,
        blank=True,
        help_text="Cách kênh đã chuyển tin (máy chủ thư, hộp thư đi nội bộ).",
    )
    queued_at = models.DateTimeField("tạo lúc", default=timezone.now, db_index=True)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = "thông báo gửi người nộp"
        verbose_name_plural = "hộp thư đi (thông báo gửi người nộp)"
        indexes = [
            # What the sweeper reads: rows not yet sent, oldest first.
            models.Index(
                fields=["state", "queued_at"],
                name="notification_unsent",
                condition=models.Q(state__in=["pending", "failed"]),
            )
        ]

    def __str__(self):
        return f"{self.dossier.code} · {self.get_event_display()} · {self.get_channel_display()}"
