"""The plan's targets: data the district office edits (Plan 141's yearly values)."""

from django.core.exceptions import ValidationError
from django.db import models

from dossiers.models import UnitLevel

from ..indicators import INDICATORS


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
        if self.level_code and not UnitLevel.objects.filter(code=self.level_code).exists():
            raise ValidationError({"level_code": f"Không có cấp đơn vị «{self.level_code}»."})
        indicator = INDICATORS.get(self.indicator)
        if indicator and indicator.unit == "%" and self.value is not None and self.value > 100:
            raise ValidationError({"value": "Tỷ lệ không vượt quá 100%."})
