"""Report periods: a month, a quarter, six months, a year, or any range of days.

A period is a range of local dates [first, last]; its moments are [start, end) in the
portal's time zone. A period that has not ended yet is reported as of now (``until``), so its
open dossiers are "in progress" and its overdue count is today's. Bad input raises
:class:`PeriodError` with a Vietnamese message, never a 500.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from core.dates import DAY_ERROR, parse_day

from .errors import ReportError


class PeriodError(ReportError):
    def __init__(self, message, field="period"):
        super().__init__(message, field=field)


KINDS = {
    "month": "Tháng",
    "quarter": "Quý",
    "half": "6 tháng",
    "year": "Năm",
    "range": "Khoảng ngày",
}
MONTHS_IN = {"month": 1, "quarter": 3, "half": 6, "year": 12}
# A range longer than this is refused: a report over decades is no one's question.
MAX_RANGE_DAYS = 3 * 366


def _zone():
    return ZoneInfo(settings.TIME_ZONE)


def today() -> date:
    return timezone.localdate()


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=_zone())

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=_zone())

    @property
    def until(self) -> datetime:
        """The end, or now while the period is still running."""
        return min(self.end, timezone.now())

    @property
    def complete(self) -> bool:
        return self.end <= timezone.now()

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        f = self.first
        if self.kind == "month":
            return f"Tháng {f.month:02d}/{f.year}"
        if self.kind == "quarter":
            return f"Quý {(f.month - 1) // 3 + 1}/{f.year}"
        if self.kind == "half":
            return f"6 tháng {'đầu' if f.month == 1 else 'cuối'} năm {f.year}"
        if self.kind == "year":
            return f"Năm {f.year}"
        return f"Từ {self.first:%d/%m/%Y} đến {self.last:%d/%m/%Y}"

    @property
    def token(self) -> str:
        """The period as one query-string value (``month=2026-03`` etc.), parsed by ``parse``."""
        f = self.first
        return {
            "month": f"{f:%Y-%m}",
            "quarter": f"{f.year}-Q{(f.month - 1) // 3 + 1}",
            "half": f"{f.year}-H{1 if f.month == 1 else 2}",
            "year": f"{f.year}",
            "range": f"{self.first.isoformat()}..{self.last.isoformat()}",
        }[self.kind]

    def query(self) -> dict:
        if self.kind == "range":
            return {"from": self.first.isoformat(), "to": self.last.isoformat()}
        return {self.kind: self.token}

    def shifted(self, steps: int) -> "Period":
        """The period ``steps`` periods of the same length later (earlier when negative)."""
        if self.kind in MONTHS_IN:
            first = _add_months(self.first, steps * MONTHS_IN[self.kind])
            last = _add_months(first, MONTHS_IN[self.kind]) - timedelta(days=1)
            return Period(self.kind, first, last)
        offset = timedelta(days=steps * self.days)
        return Period(self.kind, self.first + offset, self.last + offset)

    def previous(self) -> "Period":
        return self.shifted(-1)

    def trend(self, count=12) -> list["Period"]:
        """This period and the ``count - 1`` before it, oldest first."""
        return [self.shifted(-i) for i in range(count - 1, -1, -1)]


def month(year: int, month_number: int) -> Period:
    first = date(year, month_number, 1)
    return Period("month", first, _add_months(first, 1) - timedelta(days=1))


def _months(kind, year, first_month):
    first = date(year, first_month, 1)
    return Period(kind, first, _add_months(first, MONTHS_IN[kind]) - timedelta(days=1))


def _year(text):
    value = int(text)
    if not 2000 <= value <= 2100:
        raise PeriodError(f"Năm {value} nằm ngoài khoảng 2000–2100.")
    return value


def parse_token(kind: str, text: str) -> Period:
    text = (text or "").strip()
    patterns = {
        "month": (r"(\d{4})-(\d{1,2})", "tháng phải có dạng NNNN-TT, ví dụ 2026-03"),
        "quarter": (r"(\d{4})-[Qq]([1-4])", "quý phải có dạng NNNN-Q1 đến NNNN-Q4"),
        "half": (r"(\d{4})-[Hh]([12])", "6 tháng phải có dạng NNNN-H1 hoặc NNNN-H2"),
        "year": (r"(\d{4})", "năm phải có dạng NNNN"),
    }
    pattern, hint = patterns[kind]
    match = re.fullmatch(pattern, text)
    if not match:
        raise PeriodError(f"Kỳ báo cáo «{text}» không hợp lệ: {hint}.")
    year = _year(match.group(1))
    if kind == "month":
        number = int(match.group(2))
        if not 1 <= number <= 12:
            raise PeriodError(f"Tháng {number} không tồn tại.")
        return month(year, number)
    if kind == "quarter":
        return _months(kind, year, 3 * int(match.group(2)) - 2)
    if kind == "half":
        return _months(kind, year, 1 if match.group(2) == "1" else 7)
    return _months("year", year, 1)


def _date(text, field, label):
    day = parse_day(text)
    if day is None:
        given = (text or "").strip()
        raise PeriodError(f"{label} «{given}» không phải ngày hợp lệ. {DAY_ERROR}", field)
    return day


def date_range(first_text, last_text) -> Period:
    first = _date(first_text, "from", "Ngày bắt đầu")
    last = _date(last_text, "to", "Ngày kết thúc")
    if last < first:
        raise PeriodError("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.", "to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise PeriodError("Khoảng ngày dài quá 3 năm: hãy chọn theo năm.", "to")
    return Period("range", first, last)


# The picker's selects (reporting/_picker.html): ``ky`` the kind, ``nam`` the year, and the
# month, quarter or half of that year.
PICKER_PART = {"month": "thang", "quarter": "quy", "half": "nua"}
PICKER_TOKEN = {"month": "{}-{}", "quarter": "{}-Q{}", "half": "{}-H{}", "year": "{}"}


def _from_picker(params) -> Period | None:
    kind = params.get("ky")
    if kind == "range":
        return date_range(params.get("from"), params.get("to"))
    if kind not in PICKER_TOKEN or not params.get("nam"):
        return None
    part = params.get(PICKER_PART[kind], "") if kind in PICKER_PART else ""
    return parse_token(kind, PICKER_TOKEN[kind].format(params.get("nam"), part))


def picker_years(period: "Period") -> list[int]:
    """The years the picker offers: from 2020 (the oldest data) to this year."""
    return list(range(today().year, min(2020, period.first.year) - 1, -1))


def parse(params, *, default=None) -> Period:
    """The period named in ``params`` (a QueryDict or dict): the picker's ``ky=month&nam=2026
    &thang=3`` (``quy``, ``nua``; ``ky=range&from=&to=``), or the links' ``month=2026-03``,
    ``quarter=2026-Q1``, ``half=2026-H1``, ``year=2026``, ``from=…&to=…``. Without any,
    ``default`` (or the current month). A period starting after today is refused."""
    period = _from_picker(params)
    if period is None and (params.get("from") or params.get("to")):
        period = date_range(params.get("from"), params.get("to"))
    for kind in ("month", "quarter", "half", "year"):
        if period is None and params.get(kind):
            period = parse_token(kind, params.get(kind))
    if period is None:
        period = default or current_month()
    check_not_future(period)
    return period


def check_not_future(period: Period) -> None:
    if period.first > today():
        raise PeriodError(
            f"Kỳ báo cáo {period.label.lower()} chưa bắt đầu: chọn kỳ đã qua hoặc kỳ hiện tại."
        )


def current_month() -> Period:
    now = today()
    return month(now.year, now.month)


def last_full_month() -> Period:
    return current_month().previous()
