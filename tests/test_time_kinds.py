"""The three time kinds of a procedure: working days, calendar days (Bộ luật Dân sự 2015
Điều 147–148) and same day with a cut-off, around weekends, Tết 2026 and make-up days."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from dossiers.calendar import WorkingCalendar, due_for_procedure
from dossiers.models import Procedure

from .factories import ProcedureFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOURS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))
PLAIN = WorkingCalendar(overrides={}, periods=HOURS)


def at(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=VN)


def rules(kind, days=None, cutoff=None):
    """The time fields due_for_procedure reads (a Procedure or a ProcedureRevision)."""
    return Procedure(
        time_kind=kind,
        working_days=days if kind == "working_days" else None,
        calendar_days=days if kind == "calendar_days" else None,
        same_day_cutoff=cutoff,
    )


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # Monday + 3 calendar days: Thursday, at closing (the end of the last day).
        (at(2026, 3, 2), 3, at(2026, 3, 5, 17)),
        # Wednesday + 3 ends on Saturday: moved to Monday (BLDS 2015 Điều 148 khoản 5).
        (at(2026, 3, 4), 3, at(2026, 3, 9, 17)),
        # Friday + 7: the weekend in between counts.
        (at(2026, 3, 6), 7, at(2026, 3, 13, 17)),
        # Thursday 12/02/2026 + 5 ends on Tuesday 17/02, in Tết (16–20/02): Monday 23/02.
        (at(2026, 2, 12), 5, at(2026, 2, 23, 17)),
        # Received on a Saturday (online): counts from Monday's opening, + 3 = Thursday.
        (at(2026, 3, 7, 10), 3, at(2026, 3, 12, 17)),
    ],
)
def test_calendar_days_count_every_day_and_end_on_a_working_day(start, days, due):
    assert due_for_procedure(rules("calendar_days", days), start, calendar=PLAIN) == due


def test_calendar_days_ending_on_a_make_up_saturday_end_that_saturday():
    saturday = date(2026, 3, 7)
    calendar = WorkingCalendar(overrides={saturday: True}, periods=HOURS)
    assert due_for_procedure(rules("calendar_days", 3), at(2026, 3, 4), calendar=calendar) == at(
        2026, 3, 7, 17
    )


def test_calendar_days_differ_from_working_days_across_a_weekend():
    start = at(2026, 3, 4)  # Wednesday
    assert due_for_procedure(rules("working_days", 3), start, calendar=PLAIN) == at(2026, 3, 9)
    assert due_for_procedure(rules("calendar_days", 5), start, calendar=PLAIN) == at(2026, 3, 9, 17)
    # Across Tết: 5 working days end on 26/02, 5 calendar days on 23/02 (above).
    tet = at(2026, 2, 12)
    assert due_for_procedure(rules("working_days", 5), tet, calendar=PLAIN) == at(2026, 2, 26)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (at(2026, 3, 6, 14, 59), at(2026, 3, 6, 17)),  # Friday before the cut-off: today
        (at(2026, 3, 6, 15, 30), at(2026, 3, 9, 17)),  # Friday after it: Monday
        (at(2026, 2, 13, 15, 30), at(2026, 2, 23, 17)),  # the Friday before Tết: after it
        (at(2026, 3, 7, 9), at(2026, 3, 9, 17)),  # Saturday: Monday's opening, before cut-off
    ],
)
def test_same_day_after_the_cut_off_is_due_the_next_working_day(start, due):
    assert due_for_procedure(rules("same_day", cutoff=time(15)), start, calendar=PLAIN) == due


@pytest.mark.django_db
def test_a_calendar_days_procedure_needs_its_day_count():
    procedure = ProcedureFactory.build(time_kind="calendar_days", working_days=None)
    procedure.field.save()
    procedure.level.save()
    with pytest.raises(ValidationError) as err:
        procedure.full_clean()
    assert "Thời hạn giải quyết phải từ 1 ngày trở lên." in err.value.messages
    saved = ProcedureFactory(time_kind="calendar_days", working_days=None, calendar_days=15)
    assert saved.time_label == "15 ngày (kể cả ngày nghỉ)"
