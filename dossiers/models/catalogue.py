"""Fields and the procedure catalogue: every number here is data the district office edits."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from ..text import fold
from .units import Unit, UnitLevel


class Field(models.Model):
    code = models.SlugField("mã lĩnh vực", max_length=20, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"

    def __str__(self):
        return self.name


class DocumentType(models.Model):
    """A kind of paper that can be reused from the applicant's store (Nghị định 45/2020)."""

    code = models.SlugField("mã loại giấy tờ", max_length=60, unique=True)
    name = models.CharField("tên loại giấy tờ", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "loại giấy tờ tái sử dụng"
        verbose_name_plural = "loại giấy tờ tái sử dụng"

    def __str__(self):
        return self.name


class Procedure(models.Model):
    class TimeKind(models.TextChoices):
        WORKING_DAYS = "working_days", "Số ngày làm việc"
        # Bộ luật Dân sự 2015, Điều 147 khoản 2 and Điều 148 khoản 1, 5: see calendar.py.
        CALENDAR_DAYS = "calendar_days", "Số ngày (tính cả ngày nghỉ)"
        SAME_DAY = "same_day", "Trong ngày (có giờ chốt)"

    class Levels(models.TextChoices):
        """Where the procedure is received since the two-level government (1/7/2025)."""

        COMMUNE = "commune", "Cấp xã"
        PROVINCE = "province", "Cấp tỉnh"
        BOTH = "both", "Cấp xã và cấp tỉnh"

    class OnlineLevel(models.TextChoices):
        FULL = "full", "Toàn trình"
        PARTIAL = "partial", "Một phần"
        NONE = "none", "Không trực tuyến"

    national_code = models.CharField(
        "mã TTHC quốc gia",
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{1,2}\.\d{6}$", "Mã TTHC có dạng 1.001193.")],
        error_messages={"unique": "Đã có thủ tục với mã TTHC này."},
    )
    name = models.CharField("tên thủ tục", max_length=700)  # published names reach 400+
    search_name = models.CharField(max_length=720, editable=False, db_index=True, default="")
    field = models.ForeignKey(
        Field, models.PROTECT, related_name="procedures", verbose_name="lĩnh vực"
    )
    level = models.ForeignKey(UnitLevel, models.PROTECT, verbose_name="cấp thực hiện")
    # The catalogue's "Cấp xã / Cấp tỉnh / both"; ``level`` stays the (lowest) level it is
    # filed under, so lists filtered by level keep working (queries.procedure_catalogue also
    # finds a "both" procedure under the province). Blank: only ``level`` (pre-2025 rows).
    levels = models.CharField(
        "cấp tiếp nhận", max_length=10, choices=Levels.choices, blank=True, default=""
    )
    handling_units = models.ManyToManyField(
        Unit, blank=True, related_name="procedures", verbose_name="đơn vị tiếp nhận, giải quyết"
    )
    time_kind = models.CharField(
        "cách tính thời hạn", max_length=20, choices=TimeKind.choices, default=TimeKind.WORKING_DAYS
    )
    working_days = models.PositiveSmallIntegerField(
        "số ngày làm việc",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Thời hạn giải quyết phải từ 1 ngày làm việc trở lên.")],
    )
    calendar_days = models.PositiveSmallIntegerField(
        "số ngày (tính cả ngày nghỉ)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Thời hạn giải quyết phải từ 1 ngày trở lên.")],
    )
    same_day_cutoff = models.TimeField(
        "giờ chốt trong ngày",
        null=True,
        blank=True,
        help_text="Nhận sau giờ này thì trả ngày làm việc kế tiếp.",
    )
    fee_vnd = models.PositiveIntegerField("phí, lệ phí (đồng)", null=True, blank=True)
    fee_note = models.CharField("ghi chú phí, lệ phí", max_length=500, blank=True)
    fee_basis = models.TextField(
        "căn cứ thu phí, lệ phí",
        blank=True,
        help_text="Ví dụ: nghị quyết của HĐND tỉnh quy định mức thu.",
    )
    online_level = models.CharField(
        "mức trực tuyến", max_length=10, choices=OnlineLevel.choices, default=OnlineLevel.NONE
    )
    boundary_free = models.BooleanField("không phụ thuộc địa giới hành chính", default=False)
    # Thông tư 04/2025/TT-VPCP: a procedure handled on a nationally centralised system gets
    # codes of that circular's shape, with the system owner's two digits (numbering.py).
    centralised_system = models.BooleanField(
        "thực hiện trên hệ thống tập trung toàn quốc",
        default=False,
        help_text="Thủ tục giải quyết trên hệ thống thông tin tập trung của bộ, ngành: mã số "
        "hồ sơ theo Thông tư 04/2025/TT-VPCP từ 25/01/2026.",
    )
    system_owner_code = models.CharField(
        "mã cơ quan chủ quản hệ thống (2 số)",
        max_length=2,
        blank=True,
        validators=[RegexValidator(r"^\d{2}$", "Mã cơ quan chủ quản hệ thống gồm 2 chữ số.")],
        help_text="Hai chữ số AA trong mã số hồ sơ …-YYMMDD-AAXXXX.",
    )
    retention_years = models.PositiveSmallIntegerField(
        "thời hạn lưu trữ (năm)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, "Thời hạn lưu trữ phải từ 1 năm trở lên.")],
    )
    retention_permanent = models.BooleanField("lưu trữ vĩnh viễn", default=False)
    result_type = models.ForeignKey(
        DocumentType,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="loại giấy tờ của kết quả",
        help_text="Kết quả đã ký số được lưu vào kho dữ liệu của công dân với loại này.",
    )
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    data_note = models.TextField(
        "ghi chú về số liệu",
        blank=True,
        help_text="Điểm chưa chắc chắn so với CSDL quốc gia về TTHC.",
    )
    verified = models.BooleanField(
        "đã xác minh",
        default=False,
        help_text="Đã đối chiếu mã, tên, thời hạn, phí với CSDL quốc gia về TTHC và văn bản.",
    )
    sources = models.JSONField("nguồn đối chiếu", default=list, blank=True)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        ordering = ["field__name", "name"]
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    time_kind="working_days", working_days__isnull=False, working_days__gte=1
                )
                | Q(time_kind="calendar_days", calendar_days__isnull=False, calendar_days__gte=1)
                | Q(time_kind="same_day", same_day_cutoff__isnull=False),
                name="procedure_time_is_valid",
                violation_error_message="Thời hạn giải quyết phải từ 1 ngày làm việc trở lên, "
                "hoặc là trong ngày với giờ chốt.",
            ),
            models.CheckConstraint(
                condition=Q(retention_permanent=True, retention_years__isnull=True)
                | Q(
                    retention_permanent=False, retention_years__isnull=False, retention_years__gte=1
                ),
                name="procedure_retention_is_valid",
                violation_error_message="Chọn lưu trữ vĩnh viễn hoặc nhập số năm lưu trữ "
                "(từ 1 năm).",
            ),
        ]

    def __str__(self):
        return f"{self.national_code} — {self.name}"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.national_code} {self.name}")
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.time_kind == self.TimeKind.WORKING_DAYS and not self.working_days:
            errors["working_days"] = "Thời hạn giải quyết phải từ 1 ngày làm việc trở lên."
        if self.time_kind == self.TimeKind.CALENDAR_DAYS and not self.calendar_days:
            errors["calendar_days"] = "Thời hạn giải quyết phải từ 1 ngày trở lên."
        if self.time_kind == self.TimeKind.SAME_DAY and self.same_day_cutoff is None:
            errors["same_day_cutoff"] = "Thủ tục giải quyết trong ngày cần giờ chốt (ví dụ 15:00)."
        if self.retention_permanent and self.retention_years:
            errors["retention_years"] = "Đã chọn lưu trữ vĩnh viễn thì không nhập số năm."
        if not self.retention_permanent and not self.retention_years:
            errors["retention_years"] = "Nhập số năm lưu trữ hoặc chọn lưu trữ vĩnh viễn."
        if self.centralised_system and not self.system_owner_code:
            errors["system_owner_code"] = "Thủ tục trên hệ thống tập trung cần mã chủ quản 2 số."
        if errors:
            raise ValidationError(errors)

    @property
    def time_label(self):
        return time_label(self)

    @property
    def level_label(self):
        return self.get_levels_display() if self.levels else self.level.name

    def rules_on(self, day):
        """The :class:`ProcedureRevision` in force on ``day`` (None: none recorded)."""
        from .revisions import ProcedureRevision  # here: revisions import this module

        return ProcedureRevision.in_force(self, day)

    @property
    def retention_label(self):
        return "Vĩnh viễn" if self.retention_permanent else f"{self.retention_years} năm"


def time_label(rules) -> str:
    """ "5 ngày làm việc", "15 ngày", "Trong ngày (nhận trước 15:00)" for a procedure or a
    revision (both carry the time fields)."""
    if rules.time_kind == Procedure.TimeKind.SAME_DAY:
        return f"Trong ngày (nhận trước {rules.same_day_cutoff:%H:%M})"
    if rules.time_kind == Procedure.TimeKind.CALENDAR_DAYS:
        return f"{rules.calendar_days} ngày (kể cả ngày nghỉ)"
    return f"{rules.working_days} ngày làm việc"


class ProcedureComponent(models.Model):
    class Form(models.TextChoices):
        ORIGINAL = "original", "Bản chính"
        COPY = "copy", "Bản sao"
        ORIGINAL_OR_COPY = "original_or_copy", "Bản chính hoặc bản sao"

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("tên giấy tờ", max_length=400)
    form = models.CharField("loại bản", max_length=20, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(
        "số bản", default=1, validators=[MinValueValidator(1, "Số bản phải từ 1 trở lên.")]
    )
    required = models.BooleanField("bắt buộc", default=True)
    reusable_type = models.ForeignKey(
        DocumentType,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name="loại giấy tờ có thể tái sử dụng",
    )

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"

    def __str__(self):
        return self.name


class ProcedureStep(models.Model):
    """A step of an inter-agency (liên thông) procedure: which unit, how many working days."""

    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    name = models.CharField("nội dung bước", max_length=300)
    unit_kind = models.SlugField("loại đơn vị thực hiện", max_length=40)
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, verbose_name="đơn vị thực hiện (cố định)"
    )
    working_days = models.PositiveSmallIntegerField(
        "số ngày làm việc",
        validators=[MinValueValidator(1, "Mỗi bước cần ít nhất 1 ngày làm việc.")],
    )

    class Meta:
        ordering = ["procedure", "order", "id"]
        verbose_name = "bước liên thông"
        verbose_name_plural = "bước liên thông"
        constraints = [
            models.CheckConstraint(
                condition=Q(working_days__gte=1),
                name="procedure_step_days_positive",
                violation_error_message="Mỗi bước cần ít nhất 1 ngày làm việc.",
            )
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"
