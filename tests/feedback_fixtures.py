"""Helpers for the PAKN tests: a late dossier of the district's justice office, and a PAKN
about it sent through the service."""

from datetime import timedelta

from django.utils import timezone

from dossiers import services as dossier_services
from dossiers.models import Dossier
from feedback.models import Feedback
from feedback.services import submit_feedback

from .workflow_fixtures import receive

SENDER = {"sender_name": "Lò Văn Sinh", "sender_phone": "0912 345 678"}


def late_dossier(district):
    """A dossier received 10 days ago, assigned to the justice office, past its due date."""
    dossier = receive(district, at=timezone.now() - timedelta(days=10))
    dossier_services.assign(dossier.pk, actor=district["clerk"], to_unit=district["justice"])
    Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - timedelta(days=2))
    dossier.refresh_from_db()
    return dossier


def pakn(dossier=None, unit=None, content="Hồ sơ quá hẹn trả kết quả mà chưa có thông báo.", **kw):
    return submit_feedback(
        content=content,
        channel=kw.pop("channel", Feedback.Channel.WEB),
        dossier=dossier,
        unit=unit,
        **{**SENDER, **kw},
    )
