"""CSDLQG về dân cư at the portal: every look-up made (the log the provincial police watch),
and the check a dossier and its applicant carry once a look-up confirmed them (or once the
database did not answer and the clerk went on by hand)."""

from django.conf import settings
from django.db import models


class PopulationLookup(models.Model):
    """One look-up: who, when, from which unit, what was typed, what came back, and why (the
    dossier, or a reason typed). Append-only; the identity number stays in this table and
    never reaches a URL or a log line."""

    class Result(models.TextChoices):
        MATCH = "match", "Khớp"
        NOT_FOUND = "not_found", "Không có số định danh"
        MISMATCH = "mismatch", "Thông tin không khớp"
        UNAVAILABLE = "unavailable", "CSDLQG không phản hồi"
        NOT_CONFIGURED = "not_configured", "Chưa kết nối"
        LIMITED = "limited", "Vượt giới hạn tra cứu"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="tài khoản",
        help_text="Trống khi công dân tự tra cứu qua VNeID khi nộp trực tuyến.",
    )
    unit = models.ForeignKey(
        "dossiers.Unit", models.PROTECT, null=True, blank=True, verbose_name="đơn vị"
    )
    channel = models.CharField("nơi tra cứu", max_length=10, default="counter")
    id_number = models.CharField("số định danh cá nhân", max_length=12)
    full_name = models.CharField("họ và tên đã nhập", max_length=200)
    birth_date = models.CharField("ngày sinh đã nhập", max_length=10)
    procedure_code = models.CharField("mã thủ tục", max_length=20, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="population_lookups",
        verbose_name="hồ sơ",
    )
    reason = models.CharField("lý do tra cứu", max_length=300, blank=True)
    result = models.CharField("kết quả", max_length=16, choices=Result.choices)
    message = models.CharField("thông báo", max_length=400, blank=True)
    record = models.JSONField("thông tin CSDLQG trả về", default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "lượt tra cứu CSDLQG về dân cư"
        verbose_name_plural = "lượt tra cứu CSDLQG về dân cư"
        indexes = [models.Index(fields=["unit", "at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=False) | ~models.Q(reason=""),
                name="population_lookup_has_purpose",
            )
        ]

    def __str__(self):
        return f"{self.get_result_display()} {self.at:%d/%m/%Y %H:%M}"


class PopulationCheck(models.Model):
    """What the dossier page and Mẫu 01 say of the applicant against CSDLQG về dân cư: verified
    (a matching look-up confirmed at reception or online), or not verified because the
    database did not answer. One per dossier."""

    class State(models.TextChoices):
        VERIFIED = "verified", "Đã xác thực với CSDLQG về dân cư"
        UNAVAILABLE = "unavailable", "Chưa xác thực – CSDLQG không phản hồi"

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        models.CASCADE,
        related_name="population_check",
        verbose_name="hồ sơ",
    )
    applicant = models.ForeignKey(
        "dossiers.Applicant", models.PROTECT, related_name="+", verbose_name="người nộp"
    )
    lookup = models.ForeignKey(
        PopulationLookup, models.PROTECT, related_name="+", verbose_name="lượt tra cứu"
    )
    state = models.CharField("trạng thái", max_length=12, choices=State.choices)
    waived = models.JSONField(
        "thành phần không yêu cầu nộp",
        default=list,
        blank=True,
        help_text="Tên các giấy tờ CSDLQG về dân cư thay thế (data/population.json).",
    )
    checked_at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "xác thực CSDLQG về dân cư"
        verbose_name_plural = "xác thực CSDLQG về dân cư"

    def __str__(self):
        return self.get_state_display()

    @property
    def verified(self) -> bool:
        return self.state == self.State.VERIFIED
