"""``manage.py reconcile_payments --date YYYY-MM-DD``: the day's fee payments against the
payment platform's statement (integrations.payment_reconciliation); yesterday by default."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from integrations.payment_reconciliation import reconcile


class Command(BaseCommand):
    help = "Đối soát thanh toán phí, lệ phí của một ngày với Nền tảng thanh toán quốc gia."

    def add_arguments(self, parser):
        parser.add_argument("--date", dest="day", help="YYYY-MM-DD (mặc định: hôm qua)")

    def handle(self, *args, day=None, **options):
        try:
            when = date.fromisoformat(day) if day else timezone.localdate() - timedelta(days=1)
        except ValueError as exc:
            raise CommandError("Ngày không hợp lệ, cần YYYY-MM-DD.") from exc
        row = reconcile(when)
        if row.error:
            raise CommandError(f"Không lấy được bảng kê: {row.error}")
        self.stdout.write(
            f"{when:%d/%m/%Y}: nền tảng {row.platform_count}, cổng {row.portal_count}, "
            f"{len(row.differences)} chênh lệch"
        )
        for d in row.differences:
            self.stdout.write(f"  {d['reference']}: {d['text']}")
