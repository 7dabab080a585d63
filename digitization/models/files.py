"""Scanned files, their recognised pages and their signed copies.

The original is stored untouched under its SHA-256 (the same bytes are stored once); OCR
writes one ScannedPage per page, committed page by page, then a searchable PDF kept apart
from the original; a clerk may sign that searchable copy, and the signed file is never
modified afterwards.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from core.work import DurableWork
from dossiers.models import Dossier, DossierComponent, Unit

from ..doubt import mean_confidence, page_doubt
from ..textsearch import fold_chars, normalise


def original_path(instance, filename):
    return f"scans/originals/{instance.sha256[:2]}/{instance.sha256}{_suffix(filename)}"


def searchable_path(instance, filename):
    return f"scans/searchable/{instance.sha256[:2]}/{instance.sha256}.pdf"


def signed_path(instance, filename):
    return f"scans/signed/{instance.sha256[:2]}/{instance.sha256}.pdf"


def _suffix(filename):
    dot = filename.rfind(".")
    return filename[dot:].lower() if dot >= 0 else ""


class ScannedFile(DurableWork):
    """One file attached to a dossier's component (or its result), or waiting in a unit's
    tray of unassigned scans (dossier is null). Its OCR is durable work (core.work): a
    transient fault waits ``pending`` for its next attempt; the policy is read from settings
    (OCR_LEASE_SECONDS, OCR_MAX_ATTEMPTS, OCR_RETRY_SECONDS, OCR_SWEEP_AFTER_SECONDS)."""

    class Role(models.TextChoices):
        COMPONENT = "component", "Thành phần hồ sơ"
        RESULT = "result", "Kết quả giải quyết"

    class State(models.TextChoices):
        PENDING = "pending", "Chờ nhận dạng"
        PROCESSING = "processing", "Đang nhận dạng"
        DONE = "done", "Đã nhận dạng"
        FAILED = "failed", "Lỗi nhận dạng"

    class Source(models.TextChoices):
        BROWSER = "browser", "Tải lên tại quầy"
        HOT_FOLDER = "hot_folder", "Máy quét (thư mục theo dõi)"
        ONLINE = "online", "Công dân nộp trực tuyến"

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="scanned_files")
    dossier = models.ForeignKey(
        Dossier, models.CASCADE, null=True, blank=True, related_name="scanned_files"
    )
    component = models.ForeignKey(
        DossierComponent, models.SET_NULL, null=True, blank=True, related_name="scanned_files"
    )
    role = models.CharField("vai trò", max_length=10, choices=Role.choices, default=Role.COMPONENT)
    source = models.CharField("nguồn", max_length=12, choices=Source.choices)
    original = models.FileField("bản gốc", upload_to=original_path, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    content_type = models.CharField("định dạng", max_length=40)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    page_count = models.PositiveIntegerField("số trang", default=0)
    signed_original = models.BooleanField(
        "bản gốc đã ký số", default=False, help_text="Chỉ trích văn bản, không tạo bản OCR đè lên."
    )
    searchable_pdf = models.FileField(
        "bản PDF tìm kiếm được", upload_to=searchable_path, max_length=200, blank=True
    )
    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    retry_helps = models.BooleanField(
        "nhận dạng lại có thể được",
        default=True,
        help_text="Sai khi lỗi nằm ở chính tệp: nhận dạng lại không giúp được, cần quét lại.",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "tệp quét"
        verbose_name_plural = "tệp quét"
        constraints = [
            # The same file twice on one component (or twice in a tray) is the same scan.
            models.UniqueConstraint(
                fields=["component", "sha256"],
                condition=Q(component__isnull=False),
                name="one_scan_per_component_checksum",
            ),
            models.UniqueConstraint(
                fields=["unit", "sha256"],
                condition=Q(dossier__isnull=True),
                name="one_unassigned_scan_per_checksum",
            ),
            models.UniqueConstraint(
                fields=["dossier", "sha256"],
                condition=Q(role="result"),
                name="one_result_scan_per_checksum",
            ),
        ]
        indexes = [models.Index(fields=["state", "lease_until"], name="scan_work_queue")]

    def __str__(self):
        return self.original_name

    @property
    def is_pdf(self):
        return self.content_type == "application/pdf"


class ScannedPage(models.Model):
    """One recognised page: its text and the position of each word, written once per page."""

    file = models.ForeignKey(ScannedFile, models.CASCADE, related_name="page_set")
    number = models.PositiveIntegerField("trang")
    text = models.TextField("văn bản", blank=True)
    # For search (lower-cased in Python, whatever the database's locale): the text lower-cased,
    # and folded character by character (textsearch.fold_chars).
    lowered = models.TextField(blank=True, editable=False)
    folded = models.TextField(blank=True, editable=False)
    # [[word, left, top, width, height, confidence], ...] in pixels of the rendered page.
    words = models.JSONField("vị trí chữ", default=list, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    dpi = models.PositiveSmallIntegerField(default=300)
    skew = models.FloatField("góc nghiêng đã chỉnh (độ)", default=0)
    # From the words when the page is saved (digitization/doubt.py): the dossier page marks a
    # page to look at and perhaps rescan without reading its words.
    confidence = models.FloatField("độ tin cậy trung bình", null=True, blank=True, editable=False)
    doubt = models.CharField("cần kiểm tra", max_length=200, blank=True, editable=False)
    # The page's searchable PDF, joined into the file's searchable PDF when all are done.
    pdf = models.BinaryField(blank=True, null=True)
    recognised_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["file", "number"]
        verbose_name = "trang đã nhận dạng"
        verbose_name_plural = "trang đã nhận dạng"
        constraints = [
            models.UniqueConstraint(fields=["file", "number"], name="one_row_per_scanned_page")
        ]

    def __str__(self):
        return f"{self.file} — trang {self.number}"

    def save(self, *args, **kwargs):

        self.text = normalise(self.text)
        self.confidence = mean_confidence(self.words)
        self.doubt = page_doubt(self.words)
        self.lowered = self.text.lower()
        self.folded = fold_chars(self.text)
        super().save(*args, **kwargs)


class SignedCopy(models.Model):
    """The searchable copy signed (PAdES) with the unit's certificate: an electronic copy of
    legal value. Written once; the file is never modified afterwards."""

    scanned_file = models.OneToOneField(ScannedFile, models.PROTECT, related_name="signed_copy")
    pdf = models.FileField("bản ký số", upload_to=signed_path, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+")
    signer_name = models.CharField("người ký", max_length=200)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField("ký lúc", auto_now_add=True)
    reason = models.CharField("lý do ký", max_length=200)

    class Meta:
        verbose_name = "bản sao điện tử đã ký số"
        verbose_name_plural = "bản sao điện tử đã ký số"

    def __str__(self):
        return f"{self.scanned_file} (ký số)"
