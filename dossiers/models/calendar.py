from django.conf import settings
from django.db import models


class CalendarOverride(models.Model):
    """A date the government moved: an extra day off, or a make-up working day (a Saturday)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "Ngày nghỉ"
        WORKING_DAY = "working_day", "Ngày làm việc bù"

    date = models.DateField(
        "ngày",
        unique=True,
        error_messages={"unique": "Ngày này đã có một điều chỉnh lịch; hãy sửa điều chỉnh đó."},
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    reason = models.CharField("lý do, văn bản", max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "điều chỉnh lịch làm việc"
        verbose_name_plural = "điều chỉnh lịch làm việc"

    def __str__(self):
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"
