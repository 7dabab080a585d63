"""The rules of a procedure with the day they took effect: time, fee and components.

A procedure's own fields are the rules in force now (what the pages show); every change of
time, fee or components is also kept here with its effective date, and a dossier points at
the revision it was received under, so a dossier received before a change keeps its fee and
its deadline rule (services.catalogue_rules records them; services.reception links them).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .catalogue import Procedure, time_label


class ProcedureRevision(models.Model):
    procedure = models.ForeignKey(
        Procedure, models.CASCADE, related_name="revisions", verbose_name="thủ tục"
    )
    effective_from = models.DateField(
        "áp dụng từ ngày",
        null=True,
        blank=True,
        help_text="Để trống: quy định đã áp dụng từ trước khi cổng ghi nhận thay đổi.",
    )
    time_kind = models.CharField(
        "cách tính thời hạn", max_length=20, choices=Procedure.TimeKind.choices
    )
    working_days = models.PositiveSmallIntegerField("số ngày làm việc", null=True, blank=True)
    calendar_days = models.PositiveSmallIntegerField("số ngày", null=True, blank=True)
    same_day_cutoff = models.TimeField("giờ chốt trong ngày", null=True, blank=True)
    fee_vnd = models.PositiveIntegerField("phí, lệ phí (đồng)", null=True, blank=True)
    fee_note = models.CharField("ghi chú phí, lệ phí", max_length=500, blank=True)
    fee_basis = models.TextField("căn cứ thu phí, lệ phí", blank=True)
    # [{"name", "form", "copies", "required", "reusable_type"}], in order.
    components = models.JSONField("thành phần hồ sơ", default=list)
    changed = models.JSONField(
        "nội dung thay đổi", default=list, help_text="Các nhóm đã đổi: thời hạn, phí, thành phần."
    )
    basis = models.TextField("căn cứ, nguồn", blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người nhập",
    )
    imported_at = models.DateTimeField("thời điểm nhập", auto_now_add=True)
    # When these rules became the procedure's own fields (at import when already in force,
    # else by the nightly task on their day); None: not yet. Never applied twice, so a later
    # edit in the admin is not undone.
    applied_at = models.DateTimeField("đã áp dụng vào danh mục lúc", null=True, blank=True)

    class Meta:
        ordering = ["procedure", F("effective_from").asc(nulls_first=True), "id"]
        verbose_name = "quy định theo thời gian của thủ tục"
        verbose_name_plural = "quy định theo thời gian của thủ tục"
        constraints = [
            # One set of rules per procedure and day: "two rules in force on one day" cannot
            # be written; a second import for the same day updates that row instead.
            models.UniqueConstraint(
                fields=["procedure", "effective_from"],
                name="procedure_revision_one_per_day",
                nulls_distinct=False,
                violation_error_message="Thủ tục đã có quy định áp dụng từ ngày này.",
            ),
        ]

    def __str__(self):
        since = f"{self.effective_from:%d/%m/%Y}" if self.effective_from else "trước đây"
        return f"{self.procedure.national_code} từ {since}"

    @property
    def time_label(self):
        return time_label(self)

    @classmethod
    def in_force(cls, procedure, day):
        """The revision of ``procedure`` in force on ``day``: the latest that started on or
        before it (an undated baseline counts as the oldest); None if none was recorded."""
        return (
            cls.objects.filter(procedure=procedure)
            .filter(Q(effective_from__lte=day) | Q(effective_from__isnull=True))
            .order_by(F("effective_from").desc(nulls_last=True))
            .first()
        )
