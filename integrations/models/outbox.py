"""The outbox of the national public-service portal (DVCQG): every message the portal owes the
platform about a dossier, written in the same transaction as the change it reports, and sent
by a worker after commit, in order per dossier (integrations/sync.py).

The row is the truth, not the broker: an outage of the platform or of the broker, or a worker
killed mid-send, leaves the message ``pending``; the sweeper sends it later with the same
message id (``MaThongDiep``), which the platform deduplicates."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.work import Backoff, DurableWork
from dossiers.models import Dossier


class DossierSync(models.Model):
    """Where one dossier stands with DVCQG, in one word for its page and the reconciliation
    list; and the lease a worker holds while it sends the dossier's messages in order."""

    class State(models.TextChoices):
        PENDING = "pending", "Chưa đồng bộ"
        SYNCED = "synced", "Đã đồng bộ"
        ERROR = "error", "Lỗi"

    dossier = models.OneToOneField(
        Dossier, models.CASCADE, related_name="national_sync", verbose_name="hồ sơ"
    )
    state = models.CharField(
        "trạng thái đồng bộ", max_length=8, choices=State.choices, default=State.PENDING
    )
    # The sequence number the next message written for this dossier takes (1, 2, ...).
    next_seq = models.PositiveIntegerField(default=1)
    sent_seq = models.PositiveIntegerField("đã gửi đến bước", default=0)
    last_error = models.TextField("lý do lỗi gần nhất", blank=True)
    last_sent_at = models.DateTimeField("gửi thành công gần nhất", null=True, blank=True)
    # A worker sending this dossier's messages holds it until then (a killed worker's lease
    # runs out and the sweeper hands the dossier to another).
    lease_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "đồng bộ hồ sơ với Cổng DVCQG"
        verbose_name_plural = "đồng bộ hồ sơ với Cổng DVCQG"
        indexes = [
            # The reconciliation list and the sweeper read the dossiers not in sync.
            models.Index(
                fields=["state", "updated_at"],
                name="national_sync_unsynced",
                condition=~models.Q(state="synced"),
            )
        ]

    def __str__(self):
        return f"{self.dossier_id} · {self.get_state_display()}"


class NationalMessage(DurableWork):
    """One message to DVCQG: the full dossier (``DongBoHoSoMC``) or one step
    (``CapNhatTienDoHoSoMC``), with its payload as built when the change happened.

    Durable work (core.work) with no visible running state: the dossier's lease stands for it.
    A transient fault (time-out, connection refused, 5xx, the circuit open) waits for its next
    attempt with a backoff capped at NATIONAL_SYNC_BACKOFF_CAP_SECONDS (ten minutes), for as
    long as it takes; a message the platform rejects as invalid ends ``rejected`` and waits,
    visible, for a person."""

    class Service(models.TextChoices):
        DOSSIER = "DongBoHoSoMC", "Đồng bộ hồ sơ"
        STEP = "CapNhatTienDoHoSoMC", "Cập nhật tiến độ"

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        REJECTED = "rejected", "Bị từ chối"

    RUNNING = None
    DONE = State.SENT
    FAILED = State.REJECTED
    RETRY_STATE = State.PENDING
    CLAIMABLE = (State.PENDING,)
    MAX_ATTEMPTS = None
    BACKOFF = Backoff(base=5, factor=2, cap=settings.NATIONAL_SYNC_BACKOFF_CAP_SECONDS)

    sync = models.ForeignKey(DossierSync, models.CASCADE, related_name="messages")
    seq = models.PositiveIntegerField("thứ tự")
    service = models.CharField("dịch vụ", max_length=24, choices=Service.choices)
    is_updating = models.BooleanField("cập nhật hồ sơ đã gửi", default=False)
    message_id = models.UUIDField("mã thông điệp", default=uuid.uuid4, unique=True)
    event = models.ForeignKey(
        "dossiers.DossierEvent", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField("nội dung")
    state = models.CharField(
        "trạng thái", max_length=12, choices=State.choices, default=State.PENDING
    )
    answer = models.JSONField("trả lời của Cổng", null=True, blank=True)
    duplicate = models.BooleanField("Cổng báo đã nhận trước đó", default=False)
    sent_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)

    class Meta:
        ordering = ["sync", "seq"]
        verbose_name = "thông điệp gửi Cổng DVCQG"
        verbose_name_plural = "hộp thư đi Cổng DVCQG"
        constraints = [
            models.UniqueConstraint(fields=["sync", "seq"], name="national_message_seq_once")
        ]
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="national_message_unsent",
                condition=~models.Q(state="sent"),
            )
        ]

    def __str__(self):
        return f"{self.sync.dossier_id} #{self.seq} {self.service} · {self.get_state_display()}"
