"""What the counterpart DVCQG keeps in its own SQLite file (so it survives a restart): the
sessions it issued, every message it accepted, its tallies, the fault it is told to play, and
the dossiers citizens "submitted" on it (offered to the portal by pull or push)."""

from django.db import models
from django.db.models import F


class Session(models.Model):
    """A token issued by LayToken; valid until expires_at unless expired by a control call."""

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    def __str__(self):
        return str(self.token)


class Message(models.Model):
    """A sync message accepted (DongBoHoSoMC or CapNhatTienDoHoSoMC), deduplicated on its
    MaThongDiep; out_of_order is set when a step arrived after a step with a higher SoThuTu."""

    service = models.CharField(max_length=40, db_index=True)
    mahoso = models.CharField(max_length=64, db_index=True)
    message_id = models.CharField(max_length=64, unique=True)
    sequence = models.PositiveIntegerField(null=True)
    unit_code = models.CharField(max_length=64, blank=True)
    is_updating = models.CharField(max_length=5, blank=True)
    payload = models.JSONField()
    out_of_order = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.message_id)


class Tally(models.Model):
    """A named counter (requests, duplicates, rejected), bumped in SQL."""

    name = models.CharField(max_length=40, unique=True)
    value = models.PositiveIntegerField(default=0)

    def __str__(self):
        return str(self.name)

    @classmethod
    def bump(cls, name, by=1):
        cls.objects.get_or_create(name=name)
        cls.objects.filter(name=name).update(value=F("value") + by)

    @classmethod
    def read(cls, name):
        return cls.objects.filter(name=name).values_list("value", flat=True).first() or 0


class Fault(models.Model):
    """The one fault in force (a single row, pk=1); remaining None means until reset."""

    NONE = "none"
    MODES = ["none", "error_500", "timeout", "slow", "duplicate_ack", "reject"]

    mode = models.CharField(max_length=20, default=NONE)
    remaining = models.PositiveIntegerField(null=True)
    delay_seconds = models.FloatField(default=0)
    services = models.JSONField(default=list)

    def __str__(self):
        return str(self.mode)


class OfferedDossier(models.Model):
    """A dossier a citizen submitted on the national portal, waiting for the portal to take it
    (LayDanhSachHoSoMoi) until acknowledged (XacNhanDaNhanHoSo)."""

    national_code = models.CharField(max_length=64, unique=True)
    unit_code = models.CharField(max_length=64)
    payload = models.JSONField()
    portal_code = models.CharField(max_length=64, blank=True)
    acknowledged_at = models.DateTimeField(null=True)
    offered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.national_code)


class OfferedFile(models.Model):
    """A file attached to an offered dossier, served at /dvcqg/api/tep/<id>."""

    dossier = models.ForeignKey(OfferedDossier, models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    component_code = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return str(self.name)


class PushNonce(models.Model):
    """The last nonce the counterpart pushed with, so a control call can replay it."""

    nonce = models.CharField(max_length=64)
    timestamp = models.BigIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.nonce)
