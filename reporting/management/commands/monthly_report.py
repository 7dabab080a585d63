"""`manage.py monthly_report --unit CODE --month YYYY-MM --format csv|xlsx|pdf --out FILE`:
one unit's (and its sub-tree's) monthly table as a file, for scripts and scheduled mail."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Unit
from reporting import exports, periods
from reporting.errors import ReportError
from reporting.tables import GROUPS, monthly_table


class Command(BaseCommand):
    help = "Xuất báo cáo tháng (Thông tư 01/2020) của một đơn vị ra tệp CSV, XLSX hoặc PDF."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ H50.22")
        parser.add_argument("--month", required=True, help="tháng báo cáo, dạng YYYY-MM")
        parser.add_argument("--format", required=True, choices=sorted(exports.CONTENT_TYPES))
        parser.add_argument("--out", required=True, help="đường dẫn tệp kết quả")
        parser.add_argument("--group-by", default="field", choices=sorted(GROUPS))

    def handle(self, *args, **options):
        unit = Unit.objects.select_related("parent", "level").filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        try:
            period = periods.parse({"month": options["month"]})
        except ReportError as exc:
            raise CommandError(exc.message) from exc
        table = monthly_table(unit, period, group_by=options["group_by"])
        data = exports.render(table, options["format"])
        out = Path(options["out"])
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {out}: {exc.strerror}.") from exc
        total = table.total
        self.stdout.write(
            f"{unit.code} {period.label}: nhận {total['received']}, đã giải quyết "
            f"{total['finished']}, đang giải quyết {total['in_progress']} -> {out}"
        )
