from django.conf import settings
from django.db import models

from .units import Unit


class AuditEvent(models.Model):
    """Who did or read what, when, from where, and why.

    Written by services inside the transaction of the change they record, and by the access
    points that open a citizen's document. Rows are only ever added.
    """

    class Kind(models.TextChoices):
        CHANGE = "change", "Thay đổi"
        ACCESS = "access", "Truy cập tài liệu"
        SECURITY = "security", "An ninh, đăng nhập"

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    action = models.CharField("hành động", max_length=60, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        verbose_name="người thực hiện",
    )
    actor_name = models.CharField("tên đăng nhập", max_length=150, blank=True)
    unit = models.ForeignKey(Unit, models.SET_NULL, null=True, blank=True, verbose_name="đơn vị")
    object_type = models.CharField("loại đối tượng", max_length=60, blank=True)
    object_id = models.CharField("mã đối tượng", max_length=64, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    reason = models.CharField("lý do", max_length=500, blank=True)
    data = models.JSONField("chi tiết", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.actor_name} {self.action}"
