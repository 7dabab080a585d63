from django.conf import settings
from django.db import models

from ..text import full_name
from .units import Unit


class StaffProfile(models.Model):
    """Every staff account belongs to one unit; roles are Django groups (dossiers.roles)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="staff")
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="staff", verbose_name="đơn vị")
    title = models.CharField("chức danh", max_length=120, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)

    class Meta:
        verbose_name = "hồ sơ cán bộ"
        verbose_name_plural = "hồ sơ cán bộ"

    def __str__(self):
        return f"{full_name(self.user)} — {self.unit.name}"
