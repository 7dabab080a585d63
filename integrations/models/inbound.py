"""Dossiers taken in from the national public-service portal (DVCQG): one row per national
code, so the same dossier pulled twice, or pulled and pushed, is one dossier here; and the
nonces of the pushes seen, so a replayed push is refused."""

from django.db import models


class InboundDossier(models.Model):
    class Via(models.TextChoices):
        PULL = "pull", "Lấy về định kỳ"
        PUSH = "push", "Cổng quốc gia đẩy sang"

    national_code = models.CharField("mã hồ sơ trên Cổng DVCQG", max_length=64, unique=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="national_inbound",
        verbose_name="hồ sơ",
        help_text="Trống khi hồ sơ bị từ chối nhận (xem lỗi).",
    )
    received_via = models.CharField("nhận qua", max_length=4, choices=Via.choices)
    unit_code = models.CharField("mã đơn vị nhận", max_length=64, blank=True)
    payload = models.JSONField("dữ liệu nhận được (không gồm nội dung tệp)")
    acknowledged_at = models.DateTimeField("đã xác nhận với Cổng DVCQG lúc", null=True, blank=True)
    error = models.TextField("lỗi khi nhận", blank=True)
    received_at = models.DateTimeField("nhận lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = "hồ sơ nhận từ Cổng DVCQG"
        verbose_name_plural = "hồ sơ nhận từ Cổng DVCQG"

    def __str__(self):
        return self.national_code


class PushNonce(models.Model):
    """A nonce of a push whose signature was good; kept past the push's maximum age."""

    nonce = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return self.nonce
