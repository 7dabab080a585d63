"""An online submission that did not go through yet, kept on the server with its files, so
that a citizen whose form came back with an error (or whose phone lost the page) does not
choose every file again: the form's token names it, its short code resumes it later."""

import secrets
from datetime import timedelta

from django.db import models
from django.utils import timezone

from dossiers.models import Procedure, ProcedureComponent
from dossiers.models.dossier import CHECK_CODE_ALPHABET

KEPT_FOR = timedelta(hours=24)


def new_draft_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(8))


def _kept_expiry():
    return timezone.now() + KEPT_FOR


class OnlineDraft(models.Model):
    token = models.CharField(max_length=64, unique=True)
    code = models.CharField("mã bản nháp", max_length=8, unique=True, default=new_draft_code)
    procedure = models.ForeignKey(Procedure, models.CASCADE, related_name="+")
    fields = models.JSONField("các mục đã điền", default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField("giữ đến", default=_kept_expiry, db_index=True)

    class Meta:
        verbose_name = "bản nháp nộp trực tuyến"
        verbose_name_plural = "bản nháp nộp trực tuyến"

    def __str__(self):
        return self.code


def _draft_path(instance, filename):
    return f"drafts/{instance.draft.token[:2]}/{instance.draft.token}/{secrets.token_hex(8)}"


class DraftFile(models.Model):
    draft = models.ForeignKey(OnlineDraft, models.CASCADE, related_name="files")
    component = models.ForeignKey(ProcedureComponent, models.CASCADE, related_name="+")
    content = models.FileField(upload_to=_draft_path, max_length=200)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["component_id", "id"]

    def __str__(self):
        return self.original_name
