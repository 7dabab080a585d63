"""The public postal service (bưu chính công ích, Quyết định 45/2016/QĐ-TTg): the applicant's
choice of receiving the result by post, the shipment order handed to the postal service (an
outbox row written in the clerk's transaction, sent by a worker after commit), and the
tracking updates the service reports (pushed to the portal or pulled by it).

The shipment row is the truth: a postal service that is down leaves it ``pending`` for its next
attempt, with the same order code (``saleOrderCode``), which the service deduplicates, so an
order is never placed twice; an order the service refuses ends ``rejected`` with its reason,
for the clerk to correct the address and send again."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.work import Backoff, DurableWork
from dossiers.models import Dossier, Unit


class PostalChoice(models.Model):
    """How the applicant uses the post for one dossier: the papers sent by post (the dossier's
    channel says it too), the result returned by post to the address here."""

    dossier = models.OneToOneField(
        Dossier, models.CASCADE, related_name="postal_choice", verbose_name="hồ sơ"
    )
    return_by_post = models.BooleanField("nhận kết quả qua bưu chính", default=False)
    recipient = models.CharField("người nhận", max_length=200, blank=True)
    street = models.CharField("số nhà, thôn, bản, đường", max_length=255, blank=True)
    # Today's commune or ward (two-level local government since 1/7/2025).
    commune = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="+", verbose_name="xã, phường"
    )
    phone = models.CharField("điện thoại người nhận", max_length=20, blank=True)
    # The fee and charges are collected by the postman on delivery (thu hộ, COD).
    collect_on_delivery = models.BooleanField("thu phí, lệ phí khi phát (COD)", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "lựa chọn bưu chính công ích"
        verbose_name_plural = "lựa chọn bưu chính công ích"

    def __str__(self):
        return f"{self.dossier_id} · {'bưu chính' if self.return_by_post else 'tại Trung tâm'}"

    @property
    def address_line(self) -> str:
        parts = [self.street.strip()]
        if self.commune_id:
            parts.append(self.commune.name)
        return ", ".join(p for p in parts if p)


class Shipment(DurableWork):
    """The order handed to the postal service to carry a dossier's result to the applicant.

    Durable work (core.work): ``pending`` until the service takes it (a transient fault waits
    with backoff, for as long as it takes), ``sent`` with the tracking code it answered,
    ``rejected`` (the service refused the order: the reason is shown, the clerk corrects the
    address and sends again). ``status`` follows the tracking updates; ``delivered_at`` is the
    hand-over to the applicant, the moment the dossier is returned."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ gửi đơn"
        SENDING = "sending", "Đang gửi đơn"
        SENT = "sent", "Bưu chính đã nhận đơn"
        REJECTED = "rejected", "Bưu chính từ chối đơn"

    class WeightClass(models.TextChoices):
        # Documents in an envelope; the weight the service charges by (grams, upper bound).
        UP_TO_100 = "100", "Đến 100 g"
        UP_TO_500 = "500", "Đến 500 g"
        UP_TO_2000 = "2000", "Đến 2 kg"

    RUNNING = State.SENDING
    DONE = State.SENT
    FAILED = State.REJECTED
    RETRY_STATE = State.PENDING
    CLAIMABLE = (State.PENDING,)
    MAX_ATTEMPTS = None
    LEASE = timedelta(seconds=120)
    BACKOFF = Backoff(base=5, factor=2, cap=settings.POST_BACKOFF_CAP_SECONDS)
    SWEEP_AFTER = timedelta(seconds=30)

    dossier = models.OneToOneField(
        Dossier, models.CASCADE, related_name="shipment", verbose_name="hồ sơ"
    )
    # The portal's order code, sent as the service's idempotency key: the same order sent
    # again (a time-out, a worker lost mid-send) is one order.
    order_code = models.CharField("mã đơn hàng", max_length=64, unique=True)
    weight_class = models.CharField(
        "khối lượng", max_length=8, choices=WeightClass.choices, default=WeightClass.UP_TO_500
    )
    cod_amount = models.PositiveIntegerField("tiền thu hộ (đồng)", default=0)
    payload = models.JSONField("nội dung đơn")
    state = models.CharField(
        "trạng thái", max_length=12, choices=State.choices, default=State.PENDING
    )
    tracking_code = models.CharField("mã vận đơn", max_length=40, blank=True, db_index=True)
    fee = models.PositiveIntegerField("cước (đồng)", null=True, blank=True)
    answer = models.JSONField("trả lời của bưu chính", null=True, blank=True)
    status = models.CharField("tình trạng phát", max_length=8, blank=True)
    status_label = models.CharField("tình trạng phát", max_length=120, blank=True)
    delivered_at = models.DateTimeField("đã phát cho người nhận lúc", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "đơn gửi bưu chính"
        verbose_name_plural = "đơn gửi bưu chính"
        indexes = [
            models.Index(
                fields=["state", "next_attempt_at"],
                name="shipment_unsent",
                condition=~models.Q(state="sent"),
            ),
            models.Index(
                fields=["state", "delivered_at"],
                name="shipment_in_transit",
                condition=models.Q(state="sent", delivered_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.order_code} · {self.get_state_display()}"


class ShipmentUpdate(models.Model):
    """One tracking update of a shipment, as the postal service reported it. ``update_id`` is
    the service's own (or the tracking code, status and moment): a push sent twice, or the
    same update pulled again, is recorded once."""

    class Source(models.TextChoices):
        PUSH = "push", "Bưu chính gửi sang"
        PULL = "pull", "Cổng hỏi bưu chính"

    shipment = models.ForeignKey(Shipment, models.CASCADE, related_name="updates")
    update_id = models.CharField(max_length=120, unique=True)
    status = models.CharField("mã tình trạng", max_length=8)
    label = models.CharField("tình trạng", max_length=120)
    at = models.DateTimeField("thời điểm")
    note = models.CharField("ghi chú", max_length=255, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices)
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "cập nhật hành trình bưu gửi"
        verbose_name_plural = "cập nhật hành trình bưu gửi"

    def __str__(self):
        return f"{self.shipment_id} {self.status} {self.at:%d/%m/%Y %H:%M}"
