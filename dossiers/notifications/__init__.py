"""notify: tell the applicant what happened to their dossier, by e-mail, SMS or Zalo.

Services call :func:`notify_action` (through ``engine.taking``) or
:func:`notify_applicant` inside their transaction. That writes outbox rows only — nothing
leaves the request — and on commit enqueues ``dossiers.send_notification`` for each row. A
rollback writes no row and enqueues nothing; a broker outage loses nothing (the sweeper
sends what is still pending).

Only the channels the applicant gave are used: e-mail when there is an address, SMS (and
Zalo, when ``NOTIFY_CHANNELS`` enables it) when there is a phone number.
"""

import logging
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.db import transaction

from core import queue

from ..models import Notification
from ..workflow import PUBLIC_NOTES
from .compose import compose, context_for

logger = logging.getLogger(__name__)
Event = Notification.Event

# The actions the applicant hears about, and what they hear. Reception at the counter and
# online submission call notify_applicant themselves (they do not pass through engine.taking).
ACTION_EVENTS = {
    "accept": Event.RECEIVED,
    "request_supplement": Event.SUPPLEMENT_REQUESTED,
    "approve": Event.RESULT_READY,
    "extend": Event.LATE_NEW_APPOINTMENT,
    "refuse": Event.REFUSED,
    "decline": Event.DECLINED,
    "stop": Event.STOPPED,
}

_suppressed = ContextVar("notifications_suppressed", default=False)


@contextmanager
def suppressed():
    """Within this block actions write no notification: for replays of past dossiers (the
    demo district, imports), whose applicants must not hear about events long gone."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def _contacts(applicant) -> dict[str, str]:
    return {
        Notification.Channel.EMAIL: (applicant.email or "").strip(),
        Notification.Channel.SMS: (applicant.phone or "").strip(),
        Notification.Channel.ZALO: (applicant.phone or "").strip(),
    }


def notify_applicant(dossier, event: str, *, reason: str = "") -> list[Notification]:
    """Write one outbox row per channel the applicant gave and enqueue each on commit.

    Call it inside the action's transaction: the rows commit or roll back with the action.
    """
    if _suppressed.get():
        return []
    contacts = _contacts(dossier.applicant)
    context = context_for(dossier, reason=reason)
    rows = []
    for channel in settings.NOTIFY_CHANNELS:
        if not contacts.get(channel):
            continue
        message = compose(event, channel, context)
        rows.append(
            Notification(
                dossier=dossier,
                event=event,
                channel=channel,
                recipient=contacts[channel],
                subject=message.subject,
                body=message.body,
            )
        )
    if rows:
        Notification.objects.bulk_create(rows)
        transaction.on_commit(partial(enqueue, [row.pk for row in rows]))
    return rows


def notify_action(dossier, action_code: str, event_row) -> list[Notification]:
    """The notification an action of the workflow owes the applicant, if any."""
    event = ACTION_EVENTS.get(action_code)
    if event is None:
        return []
    reason = event_row.note if action_code in PUBLIC_NOTES else ""
    return notify_applicant(dossier, event, reason=reason)


def enqueue(ids: list[int]) -> None:
    """Hand the rows to the task queue; a broker that is down leaves them pending for the
    sweeper (core.queue)."""
    queue.enqueue("dossiers.send_notification", [(pk,) for pk in ids], what="Notifications")
