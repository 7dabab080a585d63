"""The monthly usage of CSDLQG về dân cư per unit, for the provincial police who watch it
(every look-up is a PopulationLookup row): counted in SQL, scoped to what the reader's unit
may see, downloadable as CSV or XLSX."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from dossiers.queries import scoped_units, user_roles
from dossiers.roles import Role

from .models import PopulationLookup

# Who reads the report: the office that watches the province, administrators, leaders (of
# their own unit).
REPORT_ROLES = frozenset({Role.DISTRICT_OFFICE, Role.ADMIN, Role.LEADER})
REFUSED = "Chỉ Văn phòng, lãnh đạo hoặc quản trị xem được báo cáo sử dụng CSDLQG về dân cư."
Result = PopulationLookup.Result
COLUMNS = [
    ("total", "Tổng lượt tra cứu"),
    (Result.MATCH, "Khớp"),
    (Result.NOT_FOUND, "Không có số định danh"),
    (Result.MISMATCH, "Không khớp"),
    (Result.UNAVAILABLE, "CSDLQG không phản hồi"),
    (Result.LIMITED, "Vượt giới hạn"),
    ("accounts", "Số tài khoản tra cứu"),
    ("citizens", "Công dân tự tra cứu (VNeID)"),
]


@dataclass(frozen=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str | None) -> "Month":
        """``MM/YYYY`` as typed (or ``YYYY-MM`` of older links); this month when empty or
        malformed."""
        try:
            parts = (text or "").strip().split("/")
            if len(parts) == 2:
                month, year = (int(x) for x in parts)
            else:
                year, month = (int(x) for x in (text or "").split("-"))
            date(year, month, 1)
            return cls(year, month)
        except (TypeError, ValueError):
            today = timezone.localdate()
            return cls(today.year, today.month)

    @property
    def start(self) -> datetime:
        return timezone.make_aware(datetime.combine(date(self.year, self.month, 1), time.min))

    @property
    def until(self) -> datetime:
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return timezone.make_aware(datetime.combine(nxt, time.min))

    @property
    def label(self) -> str:
        return f"{self.month:02d}/{self.year}"

    def __str__(self):
        return f"{self.year}-{self.month:02d}"


def may_read(user) -> bool:
    return bool(user_roles(user) & REPORT_ROLES)


def usage_rows(user, month: Month) -> list[dict]:
    """One row per unit of the reader's scope that looked anyone up in ``month`` (one query),
    with the counts of :data:`COLUMNS`. A citizen's own look-up (signed in with VNeID, no
    account, no unit) counts for the counter its dossier was submitted to, in its own column
    as well."""
    counts = {
        str(code): Count("pk", filter=Q(result=code)) for code, _ in COLUMNS if code in Result
    }
    units = scoped_units(user)
    rows = (
        PopulationLookup.objects.filter(at__gte=month.start, at__lt=month.until)
        .filter(Q(unit__in=units) | Q(unit__isnull=True, dossier__receiving_unit__in=units))
        .annotate(
            place_code=Coalesce("unit__code", "dossier__receiving_unit__code"),
            place_name=Coalesce("unit__name", "dossier__receiving_unit__name"),
        )
        .values("place_code", "place_name")
        .annotate(
            total=Count("pk"),
            accounts=Count("actor", distinct=True),
            citizens=Count("pk", filter=Q(channel="vneid")),
            **counts,
        )
        .order_by("place_name")
    )
    return [{**r, "unit__code": r["place_code"], "unit__name": r["place_name"]} for r in rows]


def as_table(rows) -> list[list]:
    head = ["Mã đơn vị", "Đơn vị", *(label for _, label in COLUMNS)]
    body = [[r["unit__code"], r["unit__name"], *(r[str(c)] for c, _ in COLUMNS)] for r in rows]
    return [head, *body]


def to_csv(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(as_table(rows))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def to_xlsx(rows, month: Month) -> bytes:
    # Imported here: openpyxl (with numpy) is about 34 MiB that only a process making a
    # workbook should carry, not every web process and worker (tests/test_process_memory.py).
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"Dan cu {month}"
    sheet.append([f"Sử dụng CSDLQG về dân cư tháng {month.label}"])
    for line in as_table(rows):
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
