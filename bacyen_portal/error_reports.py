"""Error reports to a Sentry-compatible service when SENTRY_DSN is set (Sentry, GlitchTip):
the exception, where it happened and the request id — never a citizen's data. No personal
data is sent (send_default_pii off), request bodies, cookies and query strings are dropped,
and what looks like an identity or phone number is masked in every message and value."""

import sentry_sdk
from sentry_sdk.integrations.celery import CeleryIntegration
from sentry_sdk.integrations.django import DjangoIntegration

from .request_log import mask_numbers


def _mask(value):
    if isinstance(value, str):
        return mask_numbers(value)
    if isinstance(value, dict):
        return {key: _mask(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def scrub(event, hint):
    request = event.get("request") or {}
    for private in ("data", "cookies", "query_string", "env"):
        request.pop(private, None)
    headers = request.get("headers") or {}
    request["headers"] = {
        k: v for k, v in headers.items() if k.lower() not in {"cookie", "authorization"}
    }
    if "url" in request:
        request["url"] = request["url"].split("?", 1)[0]
    return _mask(event)


def start(dsn: str, environment: str):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,  # a frame's variables hold the citizen's data
        max_request_body_size="never",
        traces_sample_rate=0,
        before_send=scrub,
    )
