"""Applicants and dossiers: the minimal shape the demo district needs.

Reception (issue #4) grows this with components, history, transfers and forms.
"""

from django.db import models

from ..workflow import State
from .catalogue import Procedure
from .units import Unit


class Channel(models.TextChoices):
    DIRECT = "direct", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Bưu chính công ích"


class Applicant(models.Model):
    class Kind(models.TextChoices):
        PERSON = "person", "Cá nhân"
        ORGANISATION = "organisation", "Tổ chức"

    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.PERSON)
    id_number = models.CharField("số CCCD / mã số thuế", max_length=20, unique=True)
    name = models.CharField("họ tên / tên tổ chức", max_length=200)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    address = models.CharField("địa chỉ", max_length=300, blank=True)
    email = models.EmailField("thư điện tử", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "người nộp hồ sơ"
        verbose_name_plural = "người nộp hồ sơ"

    def __str__(self):
        return self.name


class Dossier(models.Model):
    code = models.CharField("mã hồ sơ", max_length=48, unique=True)
    procedure = models.ForeignKey(Procedure, models.PROTECT, verbose_name="thủ tục")
    applicant = models.ForeignKey(Applicant, models.PROTECT, verbose_name="người nộp")
    receiving_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="received_dossiers", verbose_name="đơn vị tiếp nhận"
    )
    current_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="handled_dossiers", verbose_name="đơn vị đang xử lý"
    )
    state = models.CharField("trạng thái", max_length=24, choices=State.choices, db_index=True)
    channel = models.CharField("hình thức nộp", max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField("thời điểm nộp", null=True, blank=True)
    received_at = models.DateTimeField("thời điểm tiếp nhận", null=True, blank=True, db_index=True)
    due_at = models.DateTimeField("hẹn trả", null=True, blank=True)
    finished_at = models.DateTimeField("thời điểm có kết quả", null=True, blank=True)
    returned_at = models.DateTimeField("thời điểm trả kết quả", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [models.Index(fields=["receiving_unit", "state"])]

    def __str__(self):
        return self.code
