"""Log lines that an operator can follow and that never carry a citizen's numbers.

RequestContextMiddleware gives each request an id (the proxy's X-Request-ID when it comes from
a trusted proxy and looks like one, else a new one), answers it in the response's X-Request-ID,
and keeps the request for the log filter below while it is served.

RequestContextFilter adds ``request_id``, ``user`` and ``unit`` to every record; the two
formatters mask what looks like an identity number (9 to 12 digits) or a phone number in what
they write, whoever wrote the message — a library's included. The JSON one (python-json-logger)
writes one object per line when LOG_FORMAT=json (the full mode's default)."""

import contextvars
import logging
import re
import uuid

from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.json import JsonFormatter

_request = contextvars.ContextVar("request", default=None)
_ID_SHAPE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# 9 to 12 digits standing alone (CMND, CCCD, a phone without its 0 or with it), a phone
# written +84…, and numbers split by spaces or dots like 0912 345 678 or 0912.345.678.
_NUMBERS = re.compile(
    r"(?<![\w.])(?:\+?84|0)?\d{2,4}(?:[ .]\d{3}){2}\d?(?!\w)|(?<![\w.])\+?\d{9,12}(?!\w)"
)
MASK = "[số đã che]"


def mask_numbers(text: str) -> str:
    return _NUMBERS.sub(MASK, text)


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = self._request_id(request)
        # Kept until the response is closed (request_finished), not until this returns: the
        # handler logs "Not Found" and server errors after the middleware chain is done.
        _request.set(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response

    @staticmethod
    def _request_id(request):
        # Not at the top: settings import this module (LOGGING) before the apps are ready.
        from dossiers.services.audit import from_trusted_proxy

        sent = request.headers.get("X-Request-ID", "")
        if _ID_SHAPE.match(sent) and from_trusted_proxy(request):
            return sent
        return uuid.uuid4().hex


@receiver(request_finished)
def forget_request(**kwargs):
    _request.set(None)


def _loaded_user(request):
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject):
        user = None if user._wrapped is empty else user._wrapped
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


class RequestContextFilter(logging.Filter):
    """Adds request_id, user and unit to every record (from what the request has already
    loaded: a log line never runs a query)."""

    def filter(self, record):
        request = _request.get()
        record.request_id = getattr(request, "request_id", "") if request else ""
        user = _loaded_user(request) if request is not None else None
        record.user = user.get_username() if user else ""
        staff = user._state.fields_cache.get("staff") if user else None
        record.unit = getattr(staff, "unit_id", "") or ""
        return True


class MaskedFormatter(logging.Formatter):
    """The text line, with identity and phone numbers masked (traceback included)."""

    def format(self, record):
        return mask_numbers(super().format(record))


class MaskedJsonFormatter(JsonFormatter):
    """One JSON object per line; every value that is text — the message, the traceback, a
    library's extra such as django.request's request — with its numbers masked."""

    def process_log_record(self, log_data):
        return {key: _masked(value) for key, value in super().process_log_record(log_data).items()}


def _masked(value):
    if isinstance(value, bool | int | float) or value is None:
        return value
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return mask_numbers(str(value))
