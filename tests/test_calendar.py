"""The working-day calendar: table tests for Tết and make-up days, properties for the rest."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.calendar import Outcome, WorkingCalendar, add_working_time, classify_finish
from dossiers.models import CalendarOverride

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
PLAIN = WorkingCalendar(overrides={}, periods=HOURS)


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Tết Ất Tỵ 2025: 27/01–31/01 off (plus the weekends around it).
        (at(2025, 1, 24, 9), 1, at(2025, 2, 3, 9)),
        (at(2025, 1, 23, 14), 2, at(2025, 2, 3, 14)),
        (at(2025, 1, 24, 16, 59), 3, at(2025, 2, 5, 16, 59)),
        # Tết Bính Ngọ 2026: 16/02–20/02 off.
        (at(2026, 2, 13, 10), 1, at(2026, 2, 23, 10)),
        (at(2026, 2, 12, 8), 5, at(2026, 2, 26, 8)),
        # Received during Tết: counts from the first working morning.
        (at(2026, 2, 18, 10), 1, at(2026, 2, 24, 7, 30)),
        # Giỗ Tổ 2026 falls on Sunday 26/04, observed Monday 27/04; 30/04 and 01/05 off.
        (at(2026, 4, 24, 9), 2, at(2026, 4, 29, 9)),
        (at(2026, 4, 29, 9), 1, at(2026, 5, 4, 9)),
    ],
)
def test_deadlines_across_tet_and_national_holidays(start, days, due):
    assert PLAIN.add_working_time(start, days) == due


@pytest.mark.parametrize(
    ("start", "expected_start"),
    [
        (at(2026, 3, 2, 6, 0), at(2026, 3, 2, 7, 30)),  # before opening: same morning
        (at(2026, 3, 2, 12, 0), at(2026, 3, 2, 13, 30)),  # midday break: the afternoon opening
        (at(2026, 3, 2, 17, 0), at(2026, 3, 3, 7, 30)),  # at closing: next morning
        (at(2026, 3, 6, 18, 45), at(2026, 3, 9, 7, 30)),  # Friday evening: Monday morning
        (at(2026, 3, 7, 9, 0), at(2026, 3, 9, 7, 30)),  # Saturday
    ],
)
def test_received_outside_working_hours_counts_from_next_opening(start, expected_start):
    assert PLAIN.start_of_work(start) == expected_start
    assert PLAIN.add_working_time(start, 2) == PLAIN.add_working_time(expected_start, 2)


def test_same_day_procedure_uses_its_cut_off_hour():
    cutoff = time(15, 0)
    assert PLAIN.add_working_time(at(2026, 3, 2, 14, 59), 0, cutoff=cutoff) == at(2026, 3, 2, 17, 0)
    assert PLAIN.add_working_time(at(2026, 3, 2, 15, 0), 0, cutoff=cutoff) == at(2026, 3, 3, 17, 0)
    assert PLAIN.add_working_time(at(2026, 3, 6, 16, 0), 0, cutoff=cutoff) == at(2026, 3, 9, 17, 0)


@pytest.mark.django_db
def test_a_make_up_saturday_counts_as_a_working_day():
    # 02/05/2025 was a substitute day off, worked on Saturday 26/04/2025.
    start = at(2025, 4, 25, 9)  # Friday
    assert add_working_time(start, 1) == at(2025, 4, 28, 9)
    CalendarOverride.objects.create(
        date=date(2025, 4, 26), kind=CalendarOverride.Kind.WORKING_DAY, reason="Làm bù 02/05/2025"
    )
    assert add_working_time(start, 1) == at(2025, 4, 26, 9)
    assert WorkingCalendar.load().is_working_day(date(2025, 5, 2)) is False


@pytest.mark.django_db
def test_an_extra_day_off_moves_the_deadline():
    CalendarOverride.objects.create(
        date=date(2026, 3, 3), kind=CalendarOverride.Kind.DAY_OFF, reason="Nghỉ đột xuất"
    )
    assert add_working_time(at(2026, 3, 2, 9), 1) == at(2026, 3, 4, 9)


@pytest.mark.django_db
def test_an_override_on_the_same_date_twice_is_refused_in_vietnamese():
    CalendarOverride.objects.create(date=date(2026, 8, 22), kind="working_day", reason="Làm bù")
    duplicate = CalendarOverride(date=date(2026, 8, 22), kind="day_off", reason="Trùng")
    with pytest.raises(ValidationError) as err:
        duplicate.full_clean()
    assert "Ngày này đã có một điều chỉnh lịch" in str(err.value)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="không được âm"):
        PLAIN.add_working_time(at(2026, 3, 2), -1)


@pytest.mark.parametrize(
    ("finished", "outcome"),
    [
        (at(2026, 3, 4, 16, 0), Outcome.EARLY),
        (at(2026, 3, 5, 7, 0), Outcome.ON_TIME),
        (at(2026, 3, 5, 16, 59), Outcome.ON_TIME),
        (at(2026, 3, 6, 8, 0), Outcome.LATE),
    ],
)
def test_classify_finish_compares_days(finished, outcome):
    assert classify_finish(finished, at(2026, 3, 5, 9, 0)) == outcome


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31)).map(
    lambda d: d.replace(second=0, microsecond=0, tzinfo=VN)
)


@settings(max_examples=300, deadline=None)
@given(a=moments, b=moments, days=st.integers(0, 40))
def test_due_moment_is_monotone_in_the_start(a, b, days):
    a, b = min(a, b), max(a, b)
    cutoff = time(15, 0) if days == 0 else None
    assert PLAIN.add_working_time(a, days, cutoff=cutoff) <= PLAIN.add_working_time(
        b, days, cutoff=cutoff
    )


@settings(max_examples=300, deadline=None)
@given(start=moments, days=st.integers(1, 40), more=st.integers(0, 10))
def test_due_moment_is_monotone_in_the_days_and_lies_in_working_hours(start, days, more):
    due = PLAIN.add_working_time(start, days)
    assert due > start
    assert due <= PLAIN.add_working_time(start, days + more)
    assert PLAIN.is_working_day(due.date())
    assert any(begin <= due.time() < end for begin, end in HOURS)
    # Exactly `days` working days separate the start of work and the due day.
    begin = PLAIN.start_of_work(start)
    assert PLAIN.working_days_between(begin.date() + timedelta(days=1), due.date()) == days


@settings(max_examples=200, deadline=None)
@given(
    day=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), days=st.integers(1, 20)
)
def test_after_hours_reception_equals_next_morning_reception(day, days):
    evening = datetime.combine(day, time(19, 30), tzinfo=VN)
    next_morning = datetime.combine(PLAIN.next_working_day(day), time(7, 30), tzinfo=VN)
    assert PLAIN.add_working_time(evening, days) == PLAIN.add_working_time(next_morning, days)
