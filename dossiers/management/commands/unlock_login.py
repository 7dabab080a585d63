"""manage.py unlock_login USERNAME: lift every login lock of a username — the one across
addresses (dossiers/login_backoff.py) and django-axes' per address — for an administrator who
has checked with the account's owner."""

from axes.utils import reset
from django.core.management.base import BaseCommand

from dossiers import login_backoff
from dossiers.models import AuditEvent
from dossiers.services.audit import record


class Command(BaseCommand):
    help = "Mở khóa đăng nhập của một tài khoản (mọi địa chỉ)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        login_backoff.clear(username)
        attempts = reset(username=username)
        record(AuditEvent.Kind.SECURITY, "login_unlocked", data={"username": username[:150]})
        self.stdout.write(
            f"Đã mở khóa đăng nhập của «{username}» ({attempts} lượt khóa theo địa chỉ)."
        )
