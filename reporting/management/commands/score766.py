"""`manage.py score766 --unit CODE --period 2026-11|2026-Q3|2026 [--communes]`: the QĐ 766
score of a unit (its sub-tree) for a month, quarter or year, with the formula table used —
what the closing note and docs/benchmarks.md quote. ``--communes`` adds one line per commune."""

import re

from django.core.management.base import BaseCommand, CommandError

from dossiers.models import Unit
from dossiers.queries import units_in_force
from reporting import periods, score766
from reporting.errors import ReportError
from reporting.score766.rules import data


def _kind(token):
    if re.fullmatch(r"\d{4}", token):
        return "year"
    if re.fullmatch(r"\d{4}-[Qq]\d", token):
        return "quarter"
    if re.fullmatch(r"\d{4}-[Hh]\d", token):
        return "half"
    return "month"


class Command(BaseCommand):
    help = "In điểm Bộ chỉ số 766/QĐ-TTg của một đơn vị trong một kỳ, kèm bảng công thức."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="mã đơn vị, ví dụ H50")
        parser.add_argument("--period", required=True, help="2026-11, 2026-Q3 hoặc 2026")
        parser.add_argument("--communes", action="store_true", help="thêm điểm từng xã")

    def handle(self, *args, **options):
        unit = Unit.objects.select_related("level").filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        token = options["period"].strip()
        try:
            period = periods.parse({_kind(token): token})
        except ReportError as exc:
            raise CommandError(exc.message) from exc
        result = score766.score(unit, period)
        out = self.stdout.write
        out(f"Điểm 766 · {result.unit_name} ({result.unit_code}) · {result.period_label}")
        out(
            f"Tổng {result.total:.2f}/{result.max:.0f} · đã đo {result.measured_max:.2f} · "
            f"mất {result.lost:.2f} · chưa đo được/không phát sinh {result.unmeasured:.2f}"
        )
        out("| Nhóm | Chỉ số | Tử/mẫu | Tỷ lệ | Điểm | Tối đa | Trạng thái | Công thức | Văn bản |")
        out("|---|---|---|---|---|---|---|---|---|")
        for group in result.groups:
            for i in group.items:
                figures = f"{i.numerator}/{i.denominator}" if i.denominator else "—"
                rate = f"{i.rate:.1f}%" if i.rate is not None else "—"
                out(
                    f"| {group.name} | {i.name} | {figures} | {rate} | {i.points:.2f} | "
                    f"{i.max_points:.2f} | {i.status_label} | {i.reason or i.formula} | "
                    f"{i.verified} |"
                )
        out(f"Thang điểm: {data()['scale']['rule']} ({data()['scale']['verified']})")
        if options["communes"]:
            # Today's communes (of the period's map): an ended one counts in its successor.
            communes = (
                units_in_force(period.last)
                .filter(path__startswith=unit.path, level__code="commune", has_counter=True)
                .select_related("level")
            )
            for commune in communes.order_by("name"):
                s = score766.score(commune, period)
                out(f"  {commune.name}: {s.total:.2f}/{s.max:.0f} (đã đo {s.measured_max:.2f})")
