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
