"""Login, logout, failed logins and lock-outs go to the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import login_backoff
from .models import AuditEvent
from .services.audit import record


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(AuditEvent.Kind.SECURITY, "login", actor=user, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditEvent.Kind.SECURITY, "logout", actor=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    record(AuditEvent.Kind.SECURITY, "login_failed", request=request, data={"username": username})
    # A try refused by the lock itself is not counted again (it would only lengthen it).
    lock_s = 0 if login_backoff.locked_for(username) else login_backoff.failed(username)
    if lock_s:
        record(
            AuditEvent.Kind.SECURITY,
            "username_locked",
            request=request,
            data={"username": username, "minutes": lock_s // 60},
        )


@receiver(user_locked_out)
def _locked_out(sender, request, username, ip_address, **kwargs):
    record(
        AuditEvent.Kind.SECURITY,
        "locked_out",
        request=request,
        data={"username": str(username or "")[:150]},
    )
