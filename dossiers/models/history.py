"""The dossier's history (what the processing control slip lists) and its printed forms."""

from django.conf import settings
from django.db import models

from ..legal import forms_bases
from ..workflow import ACTIONS, State
from .catalogue import ProcedureStep
from .dossier import Dossier
from .units import Unit


class DossierEvent(models.Model):
    """One action on a dossier: who, when, in which unit, from where to where, and whether the
    step it closed was finished by its due moment."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="events")
    action = models.CharField("hành động", max_length=32)
    from_state = models.CharField(max_length=24, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=24, choices=State.choices)
    at = models.DateTimeField("thời điểm", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="người thực hiện",
    )
    actor_unit = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="đơn vị"
    )
    from_unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    to_unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, related_name="+")
    step = models.ForeignKey(ProcedureStep, models.SET_NULL, null=True, blank=True)
    step_due_at = models.DateTimeField("hạn của bước", null=True, blank=True)
    on_time = models.BooleanField("đúng hạn", null=True)
    electronic = models.BooleanField(
        "chuyển điện tử",
        null=True,
        help_text="Với bàn giao liên thông: qua hệ thống hay bằng giấy.",
    )
    note = models.TextField("nội dung", blank=True)

    class Meta:
        ordering = ["dossier", "at", "id"]
        verbose_name = "bước xử lý"
        verbose_name_plural = "quá trình xử lý"
        indexes = [models.Index(fields=["to_unit", "action"])]

    def __str__(self):
        return f"{self.dossier.code} {self.action} {self.at:%d/%m/%Y %H:%M}"

    def get_action_label(self):
        special = {
            "receive": "Tiếp nhận hồ sơ",
            "submit": "Nộp trực tuyến",
            "archive": "Lưu trữ",
            "supplement_online": "Công dân gửi bổ sung trực tuyến",
            "handover": "Bàn giao khi sắp xếp đơn vị hành chính",
            "stop_request": "Người nộp đề nghị dừng giải quyết",
        }
        if self.action in ACTIONS:
            return ACTIONS[self.action].label
        return special.get(self.action, self.action)


class PrintedForm(models.Model):
    """A form issued for a dossier, stored so a reprint is the same document: its kind, the
    legal text it was issued under (legal_bases.json) and the number it bears there."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
        SUPPLEMENT = "supplement", "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        REFUSAL = "refusal", "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
        APOLOGY = "apology", "Phiếu xin lỗi, hẹn lại ngày trả kết quả"
        STOP = "stop", "Thông báo dừng giải quyết hồ sơ"
        CONTROL = "control", "Phiếu kiểm soát quá trình giải quyết hồ sơ"

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="printed_forms")
    kind = models.CharField("loại phiếu", max_length=16, choices=Kind.choices)
    basis = models.CharField("văn bản quy định mẫu", max_length=32, help_text="vd. tt-03-2025")
    code = models.CharField("số mẫu", max_length=2, help_text="Số mẫu in trên phiếu, vd. 01")
    event = models.ForeignKey(DossierEvent, models.SET_NULL, null=True, blank=True)
    pdf = models.FileField("tệp PDF", upload_to="forms/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    issued_at = models.DateTimeField("thời điểm in", auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["dossier", "issued_at", "id"]
        verbose_name = "phiếu đã in"
        verbose_name_plural = "phiếu đã in"
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "kind", "event"], name="printed_form_once_per_event"
            )
        ]

    def __str__(self):
        return f"{self.dossier.code} {self.label}"

    @property
    def label(self) -> str:
        """ "Mẫu 05 · Thông báo dừng giải quyết hồ sơ (TT 03/2025)": as issued, whatever text
        is in force now."""
        basis = forms_bases().get(self.basis)
        if basis is None or self.kind not in basis.forms:
            return f"Mẫu {self.code} · {self.get_kind_display()} ({self.basis})"
        return basis.label(self.kind)
