"""Reporting's own tables: the plan's targets (data the district office edits), frozen report
snapshots, and the bookkeeping of report jobs computed on the ``reports`` queue."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from core.work import DurableWork
from dossiers.models import Unit

from .indicators import INDICATORS


class Target(models.Model):
    """One target of Plan 141 (or a later plan): an indicator's value for units of a level in
    a year. The target in force for a year is the row of the latest year not after it, so the
    2025 figures stay in force until the district office enters newer ones."""

    indicator = models.CharField(
        "chỉ số", max_length=40, choices=[(i.code, i.name) for i in INDICATORS.values()]
    )
    level_code = models.SlugField(
        "cấp đơn vị",
        max_length=32,
        blank=True,
        help_text="Mã cấp (district, agency, commune…); để trống: mọi cấp.",
    )
    for_remote_units = models.BooleanField(
        "vùng sâu, vùng xa",
        null=True,
        blank=True,
        help_text="Có: chỉ đơn vị vùng sâu, vùng xa; Không: chỉ đơn vị khác; để trống: mọi đơn vị.",
    )
    year = models.PositiveSmallIntegerField("áp dụng từ năm")
    value = models.DecimalField("giá trị chỉ tiêu", max_digits=8, decimal_places=2)
    source = models.CharField("căn cứ", max_length=300, blank=True)

    class Meta:
        ordering = ["indicator", "level_code", "year"]
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu (Kế hoạch 141)"
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "level_code", "for_remote_units", "year"],
                name="one_target_per_indicator_level_year",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        level = self.level_code or "mọi cấp"
        return f"{self.get_indicator_display()} · {level} · {self.year}: {self.value}"

    def clean(self):
        from dossiers.models import UnitLevel

        if self.level_code and not UnitLevel.objects.filter(code=self.level_code).exists():
            raise ValidationError({"level_code": f"Không có cấp đơn vị «{self.level_code}»."})
        indicator = INDICATORS.get(self.indicator)
        if indicator and indicator.unit == "%" and self.value is not None and self.value > 100:
            raise ValidationError({"value": "Tỷ lệ không vượt quá 100%."})


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


class ReportJob(DurableWork):
    """A heavy report computed by the ``reports`` queue: state and progress live here, not in
    the broker, so the page can show them and a lost task is seen as stuck (durable work,
    core.work: its lease runs out). A failure is final; the next view of the page starts the
    job again."""

    class State(models.TextChoices):
        PENDING = "pending", "Đang chờ"
        PROCESSING = "processing", "Đang tính"
        DONE = "done", "Xong"
        FAILED = "failed", "Lỗi"

    CLAIMABLE = (State.PENDING, State.FAILED)
    # A job processing longer than this was lost with its worker: start it again.
    LEASE = timedelta(minutes=20)

    key = models.CharField(max_length=200, unique=True)
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="+")
    period_kind = models.CharField(max_length=10)
    start = models.DateField()
    end = models.DateField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "lượt tính báo cáo"
        verbose_name_plural = "lượt tính báo cáo"

    def __str__(self):
        return f"{self.key} {self.state} {self.progress}%"
