"""The applicant's store of reusable documents (Nghị định 45/2020) and the clerk's choice to
reuse one of them instead of asking for the paper again."""

from django.conf import settings
from django.db import models

from dossiers.models import DocumentType, Dossier, DossierComponent, Unit

from .files import SignedCopy


class StoredDocument(models.Model):
    """A valid result or signed copy filed under the applicant's ID number or tax code."""

    holder_id = models.CharField("số định danh / mã số thuế", max_length=20, db_index=True)
    holder_name = models.CharField("tên chủ hồ sơ", max_length=200)
    document_type = models.ForeignKey(
        DocumentType, models.PROTECT, verbose_name="loại giấy tờ", related_name="+"
    )
    title = models.CharField("tên giấy tờ", max_length=400)
    signed_copy = models.ForeignKey(
        SignedCopy, models.PROTECT, related_name="stored_documents", verbose_name="bản ký số"
    )
    source_dossier = models.ForeignKey(
        Dossier, models.SET_NULL, null=True, blank=True, related_name="stored_documents"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="+", verbose_name="đơn vị lưu")
    issued_on = models.DateField("ngày cấp / ngày số hóa")
    valid_until = models.DateField("hiệu lực đến", null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = "giấy tờ trong kho dữ liệu của công dân"
        verbose_name_plural = "kho dữ liệu điện tử của công dân"
        constraints = [
            models.UniqueConstraint(
                fields=["signed_copy", "document_type"], name="one_filing_per_signed_copy_type"
            )
        ]

    def __str__(self):
        return f"{self.title} — {self.holder_name}"


class ReuseChoice(models.Model):
    """At reception: a valid stored document was offered for a required component, and the
    clerk reused it (no paper asked) or not. Feeds the reuse-rate indicator."""

    dossier = models.ForeignKey(Dossier, models.CASCADE, related_name="reuse_choices")
    component = models.ForeignKey(DossierComponent, models.CASCADE, related_name="reuse_choices")
    document = models.ForeignKey(
        StoredDocument, models.SET_NULL, null=True, blank=True, related_name="reuse_choices"
    )
    reused = models.BooleanField("tái sử dụng", default=False)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dossier", "id"]
        verbose_name = "lựa chọn tái sử dụng"
        verbose_name_plural = "lựa chọn tái sử dụng"
        constraints = [
            models.UniqueConstraint(
                fields=["component", "document"], name="one_choice_per_component_document"
            )
        ]

    def __str__(self):
        return f"{self.component} — {'tái sử dụng' if self.reused else 'không'}"
