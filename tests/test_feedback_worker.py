"""The escalation as Celery beat runs it: the task handed to a real worker by name marks the
late PAKN, and the worker's own follow-up task e-mails the unit's leader (the file mail
backend), once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.queue import enqueue
from feedback.models import Feedback, LeaderAlert
from feedback.tasks import escalate_overdue_task

from .feedback_fixtures import late_dossier, pakn
from .test_notifications import mail_dir, mails_about, wait_for  # noqa: F401 (fixture)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_the_worker_escalates_a_late_pakn_and_mails_the_leader(
    celery_worker_process,
    district,
    mail_dir,  # noqa: F811
):
    district["leader"].email = "ld.tuphap@example.vn"
    district["leader"].save()
    late = pakn(late_dossier(district))
    Feedback.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    assert enqueue("feedback.escalate_overdue", [()])
    alert = wait_for(lambda: LeaderAlert.objects.filter(state="sent").first())
    assert alert.leader == district["leader"] and alert.feedback_id == late.pk
    (message,) = wait_for(lambda: mails_about(late.code))
    assert message["To"] == "ld.tuphap@example.vn"
    assert Feedback.objects.get(pk=late.pk).escalated_at is not None
    # A second beat, its result read back from the worker: nothing escalated, nothing sent.
    assert escalate_overdue_task.delay().get(timeout=30) == 0
    assert LeaderAlert.objects.count() == 1 and len(mails_about(late.code)) == 1
