"""Sent reports, frozen: the numbers and the dossiers behind every cell."""

from django.conf import settings
from django.db import models

from dossiers.models import Unit


class Snapshot(models.Model):
    """A report as sent: its numbers and the ids of the dossiers behind each cell, frozen.
    Never updated; regenerating the period later is compared with it (queries.snapshot_changes)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="đơn vị")
    period_kind = models.CharField("loại kỳ", max_length=10)
    start = models.DateField("từ ngày")
    end = models.DateField("đến ngày")
    group_by = models.CharField("chi tiết theo", max_length=12, default="field")
    rows = models.JSONField("số liệu")  # [{"key", "label", "counts": {column: n}}]
    dossier_ids = models.JSONField("hồ sơ theo ô")  # {"<key>": {column: [ids]}}
    indicators = models.JSONField("chỉ số", default=list)
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="người gửi",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "báo cáo đã gửi"
        verbose_name_plural = "báo cáo đã gửi"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_kind", "start", "end", "group_by"],
                name="one_snapshot_per_unit_period",
            )
        ]

    def __str__(self):
        return f"{self.unit.code} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"
