"""How far a dossier is from its due day, in working days (the working calendar of
dossiers/calendar.py), as the lists and the dossier page say it: "còn N ngày làm việc",
"đến hạn hôm nay", "quá hạn N ngày làm việc" (issue 21).

Late is what models.lateness says (after the due day, on the clock); a dossier waiting for a
supplement has its clock stopped, a finished one says whether it was on time."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .calendar import Outcome, WorkingCalendar, classify_finish
from .workflow import RUNNING_STATES, State

# The lists' filter "Đến hạn trong 2 ngày làm việc" (DossierFilterForm.due_soon) uses the same.
SOON_DAYS = 2


@dataclass(frozen=True)
class Deadline:
    text: str
    tone: str  # ok, soon, late, paused, done-ok, done-late, none
    days: int | None = None  # working days left (≥ 0) or late (< 0) while on the clock


def deadline_of(dossier, *, calendar: WorkingCalendar, today=None) -> Deadline:
    """The dossier's deadline in words, for ``today`` (local date; default now)."""
    today = today or timezone.localdate()
    if dossier.due_at is None:
        return Deadline("Chưa tính hạn", "none")
    due = timezone.localdate(dossier.due_at)
    if dossier.finished_at is not None:
        late = classify_finish(dossier.finished_at, dossier.due_at) == Outcome.LATE
        return Deadline(
            "Giải quyết quá hạn" if late else "Giải quyết đúng hạn",
            "done-late" if late else "done-ok",
        )
    if dossier.state == State.SUPPLEMENT_REQUESTED:
        return Deadline("Tạm dừng tính hạn (chờ bổ sung)", "paused")
    if dossier.state not in RUNNING_STATES:
        return Deadline("—", "none")
    if due < today:
        late = max(1, calendar.working_days_between(due + timedelta(days=1), today))
        return Deadline(f"Quá hạn {late} ngày làm việc", "late", -late)
    if due == today:
        return Deadline("Đến hạn hôm nay", "soon", 0)
    left = calendar.working_days_between(today + timedelta(days=1), due)
    return Deadline(f"Còn {left} ngày làm việc", "soon" if left <= SOON_DAYS else "ok", left)


def with_deadlines(rows, *, calendar: WorkingCalendar | None = None):
    """``rows`` (dossiers), each given ``.deadline``; the calendar is read once (one query)."""
    rows = list(rows)
    if rows:
        calendar = calendar or WorkingCalendar.load()
        today = timezone.localdate()
        for row in rows:
            row.deadline = deadline_of(row, calendar=calendar, today=today)
    return rows
