"""The counter's queue: its service lines and the numbered tickets."""

from django.conf import settings
from django.db import models

from dossiers.models import Dossier, Unit


class ServiceArea(models.Model):
    """A line at a unit's counter (e.g. A — Hộ tịch, chứng thực; B — Đất đai, xây dựng)."""

    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="service_areas", verbose_name="đơn vị"
    )
    letter = models.CharField("ký hiệu", max_length=2)
    name = models.CharField("tên quầy", max_length=120)

    class Meta:
        ordering = ["unit", "letter"]
        verbose_name = "khu vực phục vụ"
        verbose_name_plural = "khu vực phục vụ"
        constraints = [
            models.UniqueConstraint(fields=["unit", "letter"], name="one_letter_per_unit")
        ]

    def __str__(self):
        return f"{self.letter} — {self.name}"


class Ticket(models.Model):
    """A numbered ticket: issued, called, served from/to; linked to the dossier received."""

    area = models.ForeignKey(ServiceArea, models.CASCADE, related_name="tickets")
    day = models.DateField("ngày")
    number = models.PositiveIntegerField("số thứ tự")
    issued_at = models.DateTimeField("lấy số lúc", db_index=True)
    called_at = models.DateTimeField("gọi lúc", null=True, blank=True)
    # The last time the number was announced: the first call, or a recall («Gọi lại») when
    # the citizen did not come up; the TV shows the latest on top. called_at stays the first
    # call, which the waiting time is measured to.
    announced_at = models.DateTimeField("gọi lần cuối lúc", null=True, blank=True)
    recalls = models.PositiveSmallIntegerField("số lần gọi lại", default=0)
    # «Bỏ qua»: called, did not come; the turn is over without service.
    skipped_at = models.DateTimeField("bỏ qua lúc", null=True, blank=True)
    served_to = models.DateTimeField("phục vụ xong lúc", null=True, blank=True)
    desk = models.PositiveSmallIntegerField("quầy số", null=True, blank=True)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    dossier = models.ForeignKey(Dossier, models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["day", "area", "number"]
        verbose_name = "số thứ tự"
        verbose_name_plural = "số thứ tự"
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day", "number"], name="one_number_per_area_day"
            )
        ]
        indexes = [models.Index(fields=["area", "day", "called_at"])]

    def __str__(self):
        return self.label

    @property
    def label(self):
        return f"{self.area.letter}{self.number:03d}"

    @property
    def wait_minutes(self):
        if self.called_at is None:
            return None
        return round((self.called_at - self.issued_at).total_seconds() / 60, 1)


class KioskDevice(models.Model):
    """A tablet or kiosk at a unit's counter, for tickets and ratings without any staff
    session (issue 21). An admin registers it and gets its token once; the device is
    activated by typing the token, then known by a signed cookie. Only the token's SHA-256 is
    kept, so the table never reveals a token; a new token revokes the old cookie."""

    unit = models.ForeignKey(
        Unit, models.CASCADE, related_name="kiosk_devices", verbose_name="đơn vị"
    )
    name = models.CharField("tên thiết bị", max_length=120, help_text="vd: Máy đánh giá quầy 2")
    token_hash = models.CharField(
        "mã băm của mã thiết bị", max_length=64, unique=True, editable=False
    )
    is_active = models.BooleanField("đang dùng", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    last_seen_at = models.DateTimeField("hoạt động lần cuối", null=True, blank=True)
    # The dossier a clerk invited the citizen to rate on this device, until it is rated.
    pending_dossier = models.ForeignKey(
        Dossier,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="hồ sơ chờ đánh giá",
    )
    pending_since = models.DateTimeField("mời đánh giá lúc", null=True, blank=True)

    class Meta:
        ordering = ["unit", "name"]
        verbose_name = "thiết bị tại quầy"
        verbose_name_plural = "thiết bị tại quầy"

    def __str__(self):
        return f"{self.name} ({self.unit})"
