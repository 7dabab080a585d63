"""Retention arithmetic: the end of a record's retention is the procedure's period counted
from the return date (domain.md, Archiving); permanent records never expire."""

from datetime import date


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` calendar years; 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_until(returned_on: date | None, years: int | None, permanent: bool) -> date | None:
    """The last day of retention, or None for a permanent record (or one never returned)."""
    if permanent or returned_on is None or not years:
        return None
    return add_years(returned_on, years)
