"""The bookkeeping of report jobs computed on the ``reports`` queue."""

from datetime import timedelta

from django.db import models

from core.work import DurableWork
from dossiers.models import Unit


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
