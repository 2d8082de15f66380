"""Dates and times as people read them: one short form for screens, one long form for
documents, both the same in every locale; stored UTC times shown in local time. No Qt."""

from __future__ import annotations

from datetime import date, datetime

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(value: date | None) -> str:
    """'30 Apr 1975': a day-month order nobody can misread; '' for None."""
    if value is None:
        return ""
    return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None) -> str:
    """'30 Apr 2025 14:05' in local time ('' for None)."""
    if value is None:
        return ""
    when = local(value)
    return f"{format_date(when.date())} {when:%H:%M}"


def age_years(born: date, today: date | None = None) -> int:
    """Completed years of age on *today*."""
    today = today or date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def format_birth(born: date | None, today: date | None = None) -> str:
    """'30 Apr 1975 (50 y)'."""
    if born is None:
        return ""
    return f"{format_date(born)} ({age_years(born, today)} y)"


_LONG_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(value: date) -> str:
    """'20 November 2026' (the same in every locale)."""
    return f"{value.day} {_LONG_MONTHS[value.month - 1]} {value.year}"


def local(moment: datetime) -> datetime:
    """A stored UTC time in the computer's time zone.

    A time that has no local equivalent (year 1 or 9999 shifted past the calendar's end,
    or before 1970 on Windows), stored before the rules refused such dates, stays in UTC.
    """
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone()
    except (OverflowError, OSError, ValueError):
        return moment


def format_appointment(moment: datetime) -> str:
    """'Friday 27 November 2026 at 10:30' in local time."""
    when = local(moment)
    return f"{_WEEKDAYS[when.weekday()]} {long_date(when.date())} at {when:%H:%M}"
