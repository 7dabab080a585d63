"""Disposal of records past retention: a batch proposed by an archivist, approved or rejected
by the leader of the area (the head of the agency decides, Luật Lưu trữ 2011, Art. 28), then
executed. The batch and its items are the disposal record, kept for ever."""

from django.conf import settings
from django.db import models

from dossiers.models import Unit

from .records import ArchiveRecord


class DisposalBatch(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "Chờ lãnh đạo duyệt"
        APPROVED = "approved", "Đã duyệt, đang hủy"
        REJECTED = "rejected", "Không duyệt"
        EXECUTED = "executed", "Đã hủy"

    area = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="địa bàn")
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.PROPOSED
    )
    note = models.TextField("lý do, căn cứ đề nghị hủy")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="người đề nghị"
    )
    proposed_at = models.DateTimeField("đề nghị lúc")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người quyết định",
    )
    decided_at = models.DateTimeField("quyết định lúc", null=True, blank=True)
    decision_note = models.TextField("ý kiến của lãnh đạo", blank=True)
    executed_at = models.DateTimeField("hủy xong lúc", null=True, blank=True)
    last_error = models.CharField("lỗi gần nhất", max_length=500, blank=True)
    minute = models.FileField("biên bản hủy (PDF)", upload_to="archive/disposals/", blank=True)
    minute_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        verbose_name = "đợt hủy hồ sơ"
        verbose_name_plural = "đợt hủy hồ sơ"

    def __str__(self):
        return f"Đợt hủy số {self.pk} ({self.get_state_display()})"

    @property
    def number(self):
        return f"{self.pk:03d}/BB-HTL"


class DisposalItem(models.Model):
    """One record in a batch, with what identifies it frozen at proposal time and what was
    destroyed at execution."""

    batch = models.ForeignKey(DisposalBatch, models.PROTECT, related_name="items")
    record = models.ForeignKey(ArchiveRecord, models.PROTECT, related_name="disposal_items")
    code = models.CharField("mã hồ sơ", max_length=48)
    procedure_name = models.CharField("thủ tục", max_length=400)
    applicant_name = models.CharField("người nộp", max_length=200, blank=True)
    returned_on = models.DateField("ngày trả kết quả", null=True)
    retention_label = models.CharField("thời hạn lưu trữ", max_length=20)
    retention_until = models.DateField("hết hạn lưu trữ", null=True)
    package_sha256 = models.CharField("mã băm gói", max_length=64, blank=True)
    # [[path, sha256, size], ...]: the package's manifest, kept after the files are gone.
    manifest = models.JSONField("danh mục tệp và mã băm", default=list)
    files_destroyed = models.PositiveIntegerField("số tệp đã hủy", default=0)
    bytes_destroyed = models.PositiveBigIntegerField(default=0)
    # Stored files of the dossier left in place because another live record shares them.
    kept = models.JSONField("tệp giữ lại (dùng chung)", default=list, blank=True)
    destroyed_at = models.DateTimeField("hủy lúc", null=True, blank=True)

    class Meta:
        ordering = ["batch", "code"]
        verbose_name = "hồ sơ trong đợt hủy"
        verbose_name_plural = "hồ sơ trong đợt hủy"
        constraints = [
            models.UniqueConstraint(fields=["batch", "record"], name="one_item_per_batch_record")
        ]

    def __str__(self):
        return self.code
