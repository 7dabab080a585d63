"""Telling the sender that their PAKN was answered: one outbox row per contact they left
(e-mail, SMS), written in the answer's transaction, sent after commit through the dossiers
app's channels (dossiers/notifications/channels.py). The message names the PAKN's code and
the status page, never the sender's data nor the check code."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from core import work
from core.queue import enqueue_on_commit
from dossiers.notifications.channels import channel_for

from ..models import AnswerNotice


def notify_answered(feedback) -> list[AnswerNotice]:
    """Write the notices of ``feedback``'s answer (inside the caller's transaction) and
    enqueue them on commit. Idempotent: one row per PAKN and channel."""
    url = (
        f"{settings.PUBLIC_BASE_URL}{reverse('feedback:status')}?{urlencode({'ma': feedback.code})}"
    )
    context = {"feedback": feedback, "url": url}
    rows = []
    if feedback.sender_email:
        text = render_to_string("feedback/answered.email.txt", context).strip()
        subject, _, body = text.partition("\n")
        rows.append(
            AnswerNotice(
                feedback=feedback,
                channel=AnswerNotice.Channel.EMAIL,
                recipient=feedback.sender_email,
                subject=subject.strip()[:200],
                body=body.strip() + "\n",
            )
        )
    if feedback.sender_phone:
        body = render_to_string("feedback/answered.short.txt", context).strip()
        rows.append(
            AnswerNotice(
                feedback=feedback,
                channel=AnswerNotice.Channel.SMS,
                recipient=feedback.sender_phone,
                body=body,
            )
        )
    made = AnswerNotice.objects.bulk_create(rows, ignore_conflicts=True)
    ids = list(
        AnswerNotice.objects.filter(
            feedback=feedback, state=AnswerNotice.State.PENDING
        ).values_list("pk", flat=True)
    )
    enqueue_on_commit("feedback.send_notice", *[(pk,) for pk in ids], what="PAKN notices")
    return made


def deliver_notice(notice_id) -> str:
    """Send one notice through its channel (core.work.deliver: never twice, a failure waits
    for its retry); returns the state after, or ``skipped``."""
    return work.deliver(AnswerNotice, notice_id, lambda row: channel_for(row.channel).send(row))


def notices_due_for_sweep(limit=500) -> list[int]:
    due = work.due_for_sweep(AnswerNotice)
    return list(due.order_by("queued_at").values_list("pk", flat=True)[:limit])
