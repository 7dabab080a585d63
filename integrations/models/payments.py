"""Fees paid for dossiers, online through the national payment platform (Nền tảng thanh toán
trên Cổng DVCQG) or at the counter (cash, POS), and the daily reconciliation with the
platform's statement (integrations/data/payment.json cites the message fields)."""

from django.conf import settings
from django.db import models
from django.db.models import Q


def money(amount) -> str:
    """15000 -> "15.000 đồng" (the Vietnamese thousands mark)."""
    return f"{amount:,} đồng".replace(",", ".")


class Payment(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Chờ thanh toán"
        PAID = "paid", "Đã thanh toán"
        FAILED = "failed", "Thanh toán không thành công"
        REFUND_DUE = "refund_due", "Chờ hoàn trả"
        REFUNDED = "refunded", "Đã hoàn trả"
        CANCELLED = "cancelled", "Đã hủy"

    class Channel(models.TextChoices):
        ONLINE = "online", "Trực tuyến (Nền tảng thanh toán quốc gia)"
        COUNTER = "counter", "Tại Bộ phận Một cửa (tiền mặt, POS)"

    # A payment that took the applicant's money: at most one per dossier (the constraint).
    SETTLED = (State.PAID, State.REFUND_DUE, State.REFUNDED)

    dossier = models.ForeignKey(
        "dossiers.Dossier", models.PROTECT, related_name="payments", verbose_name="hồ sơ"
    )
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    reference = models.CharField("mã tham chiếu (MaThamChieu)", max_length=64, unique=True)
    state = models.CharField(
        "trạng thái", max_length=12, choices=State.choices, default=State.PENDING
    )
    channel = models.CharField("hình thức nộp", max_length=8, choices=Channel.choices)
    transaction_id = models.CharField("mã giao dịch trên nền tảng", max_length=64, blank=True)
    receipt_number = models.CharField("số biên lai điện tử", max_length=64, blank=True)
    payer_name = models.CharField("người nộp", max_length=200, blank=True)
    paid_at = models.DateTimeField("thanh toán lúc", null=True, blank=True)
    # The platform's confirmation as verified (checksum, amount, reference), for the record.
    confirmation = models.JSONField("bản tin xác nhận", default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ thu",
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "thanh toán phí, lệ phí"
        verbose_name_plural = "thanh toán phí, lệ phí"
        constraints = [
            # Nothing paid twice: one settled payment per dossier's fee.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(state__in=["paid", "refund_due", "refunded"]),
                name="payment_one_settled_per_dossier",
                violation_error_message="Lệ phí của hồ sơ này đã được thanh toán.",
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="payment_receipt_number_unique",
                violation_error_message="Số biên lai này đã được ghi cho một khoản nộp khác.",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["paid_at"], name="payment_paid_at")]

    def __str__(self):
        return self.reference

    @property
    def amount_text(self):
        return money(self.amount)

    @property
    def settled(self):
        return self.state in self.SETTLED


class PaymentReconciliation(models.Model):
    """One day's comparison of the portal's payments with the platform's statement."""

    day = models.DateField("ngày đối soát", unique=True)
    ran_at = models.DateTimeField("đối soát lúc", auto_now=True)
    platform_count = models.PositiveIntegerField("giao dịch trên nền tảng", default=0)
    portal_count = models.PositiveIntegerField("giao dịch trên cổng", default=0)
    # [{"reference", "kind", "portal": {...} | None, "platform": {...} | None, "text"}]
    differences = models.JSONField("chênh lệch", default=list, blank=True)
    error = models.TextField("lỗi khi lấy bảng kê", blank=True)

    class Meta:
        ordering = ["-day"]
        verbose_name = "đối soát thanh toán"
        verbose_name_plural = "đối soát thanh toán"

    def __str__(self):
        return f"Đối soát {self.day:%d/%m/%Y}"

    @property
    def clean(self):
        return not self.error and not self.differences
