"""The ``notify`` interface: one ``Channel`` protocol and its implementations.

- ``EmailChannel`` sends through Django's mail backend (``EMAIL_BACKEND`` and friends, from
  the environment; the embedded default writes each message to a file, which never fails
  offline).
- ``OutboxChannel`` is the local implementation of SMS and Zalo. The national SMS gateway and
  Zalo's notification service are boundaries we do not own: until an adapter for them is
  written (a class with the same ``send``), the message is delivered to the outbox table,
  where the admin lists it for an operator. Its ``send`` never fails.
"""

from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from ..models import Notification


class Channel(Protocol):
    """Delivers one outbox row; raises on failure (the row then records the error and is
    retried). Returns a short description of how the message left (``delivered_by``)."""

    def send(self, notification: Notification) -> str: ...


class EmailChannel:
    def send(self, notification: Notification) -> str:
        backend = settings.EMAIL_BACKEND
        with get_connection(backend, fail_silently=False) as connection:
            EmailMessage(
                subject=notification.subject,
                body=notification.body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[notification.recipient],
                connection=connection,
            ).send(fail_silently=False)
        return backend.rsplit(".", 2)[-2] if "." in backend else backend


class OutboxChannel:
    """SMS / Zalo, local: the row in the outbox is the delivery. Nothing reaches the phone,
    so the row ends ``queued`` (waiting for a gateway), never ``sent``."""

    reaches_recipient = False

    def send(self, notification: Notification) -> str:
        return "outbox"


# Which implementation serves which channel. A real SMS or Zalo gateway adapter replaces the
# OutboxChannel here (and brings its own settings).
IMPLEMENTATIONS: dict[str, Channel] = {
    Notification.Channel.EMAIL: EmailChannel(),
    Notification.Channel.SMS: OutboxChannel(),
    Notification.Channel.ZALO: OutboxChannel(),
}


def channel_for(code: str) -> Channel:
    return IMPLEMENTATIONS[code]
