"""The working-day calendar: deadlines in working days and working hours (domain.md).

Working days are Monday to Friday minus Vietnam's public holidays (the ``holidays`` package:
lunar Tết, Giỗ Tổ and announced substitute days off), corrected by the per-date overrides in
:class:`~dossiers.models.CalendarOverride` (an extra day off, a make-up working Saturday).
Working hours come from ``settings.WORKING_HOURS``.

A dossier received inside working hours is due at the same time of day, ``days`` working days
later. One received outside working hours (before opening, during the midday break, after
closing, or on a day off) counts from the next opening. A same-day procedure received before
its cut-off hour is due at closing time that day, otherwise at closing time the next working
day.

A time in calendar days (``calendar_days``) counts every day, and follows Bộ luật Dân sự
2015 (91/2015/QH13): the day of receipt is not counted (Điều 147 khoản 2), the time ends at
the end of its last day (Điều 148 khoản 1), and when that last day is a weekend day or a
holiday it ends at the end of the next working day (Điều 148 khoản 5). "The end of the day"
is the counter's closing time here: results are handed over in working hours. (Text read on
thuvienphapluat.vn, hỏi đáp "Thời điểm bắt đầu và kết thúc thời hạn", quoting Điều 147–148.)
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.db import models


class Outcome(models.TextChoices):
    EARLY = "early", "Trước hạn"
    ON_TIME = "on_time", "Đúng hạn"
    LATE = "late", "Quá hạn"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Vietnam(years=year))


def public_holiday_name(day: date) -> str | None:
    """The holiday's Vietnamese name, or None on an ordinary day."""
    return holidays.Vietnam(years=day.year, language="vi").get(day)


@dataclass(frozen=True)
class WorkingCalendar:
    """Holidays + overrides + working hours; build one with :meth:`load` (one query)."""

    overrides: dict[date, bool] = field(default_factory=dict)  # date -> is a working day
    periods: tuple[tuple[time, time], ...] = ()

    @classmethod
    def load(cls) -> "WorkingCalendar":
        from .models import CalendarOverride  # here: the models import this module

        rows = CalendarOverride.objects.values_list("date", "kind")
        overrides = {d: kind == CalendarOverride.Kind.WORKING_DAY for d, kind in rows}
        return cls(overrides=overrides, periods=settings.WORKING_HOURS)

    @property
    def opening(self) -> time:
        return self.periods[0][0]

    @property
    def closing(self) -> time:
        return self.periods[-1][1]

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=_zone())

    def start_of_work(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` that lies inside working hours."""
        local = moment.astimezone(_zone())
        day, now = local.date(), local.timetz().replace(tzinfo=None)
        if self.is_working_day(day):
            for start, end in self.periods:
                if now < start:
                    return self._at(day, start)
                if now < end:
                    return local
        return self._at(self.next_working_day(day), self.opening)

    def add_working_time(
        self, start: datetime, days: int, *, cutoff: time | None = None
    ) -> datetime:
        """The due moment of a dossier received at ``start``.

        ``days`` ≥ 1 counts working days at the same time of day; ``days`` = 0 is a same-day
        procedure whose ``cutoff`` decides between today's and the next working day's closing.
        """
        if days < 0:
            raise ValueError("Số ngày làm việc không được âm.")
        begin = self.start_of_work(start)
        day = begin.date()
        if days == 0:
            limit = cutoff or self.closing
            if begin.timetz().replace(tzinfo=None) >= limit:
                day = self.next_working_day(day)
            return self._at(day, self.closing)
        for _ in range(days):
            day = self.next_working_day(day)
        return self._at(day, begin.timetz().replace(tzinfo=None))

    def add_calendar_days(self, start: datetime, days: int) -> datetime:
        """The due moment of ``days`` calendar days from ``start`` (BLDS 2015 Điều 147–148):
        closing time of the ``days``-th day after the day work starts on it, moved to the
        next working day when that day is not one."""
        if days < 1:
            raise ValueError("Số ngày phải từ 1 trở lên.")
        day = self.start_of_work(start).date() + timedelta(days=days)
        if not self.is_working_day(day):
            day = self.next_working_day(day)
        return self._at(day, self.closing)

    def working_days_between(self, first: date, last: date) -> int:
        """How many working days lie in [first, last]."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


def add_working_time(
    start: datetime,
    days: int,
    *,
    cutoff: time | None = None,
    calendar: WorkingCalendar | None = None,
) -> datetime:
    """Due moment for ``days`` working days from ``start`` (see the module docstring)."""
    return (calendar or WorkingCalendar.load()).add_working_time(start, days, cutoff=cutoff)


def due_for_procedure(procedure, start: datetime, *, calendar: WorkingCalendar | None = None):
    """The appointment of a dossier complete at ``start`` under ``procedure``'s rules: a
    Procedure, or the ProcedureRevision a dossier was received under (same time fields)."""
    calendar = calendar or WorkingCalendar.load()
    if procedure.time_kind == "same_day":
        return calendar.add_working_time(start, 0, cutoff=procedure.same_day_cutoff)
    if procedure.time_kind == "calendar_days":
        return calendar.add_calendar_days(start, procedure.calendar_days)
    return calendar.add_working_time(start, procedure.working_days)


def classify_finish(finished_at: datetime, due_at: datetime) -> Outcome:
    """Early before the due day, on time on the due day, late after it (local dates)."""
    zone = _zone()
    finished, due = finished_at.astimezone(zone).date(), due_at.astimezone(zone).date()
    if finished < due:
        return Outcome.EARLY
    if finished == due:
        return Outcome.ON_TIME
    return Outcome.LATE
