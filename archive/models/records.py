"""Archive records of returned dossiers, the files of their sealed packages, fixity checks,
and changes of a procedure's retention period.

A record is created when a dossier is returned (or by the nightly sweep) and moves
``pending → processing → sealed`` (or ``failed``, retried); a sealed package is never edited.
Disposal moves it ``sealed → proposed → disposed`` (or back to ``sealed`` when rejected).
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q

from core.work import Backoff, DurableWork
from dossiers.models import Dossier, Procedure, Unit


class ArchiveRecord(DurableWork):
    """The archiving of one dossier is durable work (core.work): a failed attempt waits
    ``failed`` for its next try (2 min, 10 min, ~50 min, ~4 h, with jitter); after the fifth
    only the nightly pass and the retry button take it up again."""

    class State(models.TextChoices):
        PENDING = "pending", "Chờ lập gói"
        PROCESSING = "processing", "Đang lập gói"
        SEALED = "sealed", "Đã lưu trữ"
        FAILED = "failed", "Lỗi lập gói"
        PROPOSED = "proposed", "Đề nghị hủy"
        DISPOSED = "disposed", "Đã hủy"

    DONE = State.SEALED
    RETRY_STATE = State.FAILED
    CLAIMABLE = (State.PENDING, State.FAILED)
    LEASE = timedelta(minutes=30)
    BACKOFF = Backoff(base=120, factor=5, cap=6 * 3600)
    SWEEP_AFTER = timedelta(minutes=2)

    dossier = models.OneToOneField(
        Dossier, models.PROTECT, related_name="archive_record", verbose_name="hồ sơ"
    )
    # Copied from the dossier at sealing so the record (and its disposal) reads alone.
    code = models.CharField("mã hồ sơ", max_length=48, unique=True)
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="đơn vị")
    procedure = models.ForeignKey(
        Procedure, models.PROTECT, related_name="+", verbose_name="thủ tục"
    )
    applicant_name = models.CharField("người nộp", max_length=200, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    # The procedure's period as it stood when the package was sealed (a later change of the
    # procedure applies to records archived afterwards only).
    retention_years = models.PositiveSmallIntegerField("thời hạn lưu trữ (năm)", null=True)
    retention_permanent = models.BooleanField("lưu trữ vĩnh viễn", default=False)
    retention_until = models.DateField("hết hạn lưu trữ", null=True, blank=True, db_index=True)

    state = models.CharField(
        "trạng thái", max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    sealed_at = models.DateTimeField("niêm phong lúc", null=True, blank=True)

    package_path = models.CharField("thư mục gói", max_length=200, blank=True)
    # SHA-256 of the tag manifest: one value that pins every file of the package.
    package_sha256 = models.CharField("mã băm gói", max_length=64, blank=True)
    package_bytes = models.PositiveBigIntegerField("dung lượng gói (byte)", default=0)
    package_files = models.PositiveIntegerField("số tệp trong gói", default=0)

    last_fixity_at = models.DateTimeField("kiểm tra toàn vẹn lần cuối", null=True, blank=True)
    fixity_ok = models.BooleanField("toàn vẹn", null=True)
    disposed_at = models.DateTimeField("hủy lúc", null=True, blank=True)

    class Meta:
        ordering = ["-returned_at", "-id"]
        verbose_name = "hồ sơ lưu trữ"
        verbose_name_plural = "hồ sơ lưu trữ"
        indexes = [
            models.Index(fields=["unit", "-returned_at", "-id"]),
            models.Index(fields=["state", "retention_until"]),
            models.Index(fields=["state", "last_fixity_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_permanent=False) | Q(retention_until__isnull=True),
                name="permanent_record_never_expires",
            )
        ]

    def __str__(self):
        return self.code

    @property
    def retention_label(self):
        if self.retention_permanent:
            return "Vĩnh viễn"
        if self.retention_years is None:
            return "—"
        return f"{self.retention_years} năm"

    @property
    def has_package(self):
        return self.state in (self.State.SEALED, self.State.PROPOSED)


class ArchiveSearch(models.Model):
    """The folded words of a sealed record (code, applicant, procedure, unit, components,
    notes) for the archive's diacritics-insensitive search, under a trigram index on
    PostgreSQL. The OCR text of its scans is not copied here: the search looks it up in
    digitization's page index (``digitization.search.dossiers_with_word``). A table of its
    own, written once at sealing: a change of the record's row (a fixity check, a disposal
    step) does not index the words again."""

    record = models.OneToOneField(
        ArchiveRecord, models.CASCADE, primary_key=True, related_name="search"
    )
    text = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = "nội dung tìm kiếm của hồ sơ lưu trữ"
        verbose_name_plural = "nội dung tìm kiếm của hồ sơ lưu trữ"

    def __str__(self):
        return str(self.record_id)


class PackageFile(models.Model):
    """One file of a sealed package as written: its path in the bag, SHA-256 and size. Kept
    after disposal as the manifest of what was destroyed."""

    class Kind(models.TextChoices):
        PAYLOAD = "payload", "Nội dung"
        TAG = "tag", "Tệp mô tả BagIt"

    record = models.ForeignKey(ArchiveRecord, models.CASCADE, related_name="files")
    path = models.CharField("đường dẫn trong gói", max_length=300)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.PAYLOAD)
    role = models.CharField("loại", max_length=20, blank=True)
    label = models.CharField("mô tả", max_length=400, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField("dung lượng (byte)")

    class Meta:
        ordering = ["record", "kind", "path"]
        verbose_name = "tệp trong gói lưu trữ"
        verbose_name_plural = "tệp trong gói lưu trữ"
        constraints = [
            models.UniqueConstraint(fields=["record", "path"], name="one_row_per_package_path")
        ]

    def __str__(self):
        return self.path


class FixityCheck(models.Model):
    """One re-hash of a package: which files changed or vanished."""

    record = models.ForeignKey(ArchiveRecord, models.CASCADE, related_name="fixity_checks")
    checked_at = models.DateTimeField("kiểm tra lúc", db_index=True)
    files_checked = models.PositiveIntegerField("số tệp đã kiểm tra", default=0)
    bytes_checked = models.PositiveBigIntegerField(default=0)
    ok = models.BooleanField("toàn vẹn")
    # [{"path": ..., "status": "changed" | "missing", "expected": sha, "found": sha | None}]
    problems = models.JSONField("sai khác", default=list, blank=True)

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = "lần kiểm tra toàn vẹn"
        verbose_name_plural = "kiểm tra toàn vẹn"
        indexes = [models.Index(fields=["ok", "-checked_at"])]

    def __str__(self):
        return f"{self.record.code} {self.checked_at:%d/%m/%Y %H:%M}"


class RetentionChange(models.Model):
    """A procedure's retention period changed: from when, from what, to what. Records sealed
    before keep their period; records sealed afterwards take the new one."""

    procedure = models.ForeignKey(Procedure, models.PROTECT, related_name="+")
    changed_at = models.DateTimeField("thời điểm thay đổi", auto_now_add=True)
    old_years = models.PositiveSmallIntegerField(null=True)
    old_permanent = models.BooleanField(default=False)
    new_years = models.PositiveSmallIntegerField(null=True)
    new_permanent = models.BooleanField(default=False)

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = "thay đổi thời hạn lưu trữ"
        verbose_name_plural = "thay đổi thời hạn lưu trữ"

    def __str__(self):
        return f"{self.procedure.national_code}: {self.old_label} → {self.new_label}"

    @staticmethod
    def _label(years, permanent):
        return "Vĩnh viễn" if permanent else f"{years} năm"

    @property
    def old_label(self):
        return self._label(self.old_years, self.old_permanent)

    @property
    def new_label(self):
        return self._label(self.new_years, self.new_permanent)
