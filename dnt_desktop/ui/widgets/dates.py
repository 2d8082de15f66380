"""Showing and typing dates: one unambiguous display format and a fast keyboard date field."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from dnt_desktop.services.register_query import parse_date

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DATE_EXAMPLES = "30.04.1975 or 1975-04-30"
DATE_HINT = f"e.g. {DATE_EXAMPLES}"


def format_date(value: date | None) -> str:
    """'30 Apr 1975': a day-month order nobody can misread; '' for None."""
    if value is None:
        return ""
    return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: datetime | None) -> str:
    """'30 Apr 2025 14:05' in local time ('' for None)."""
    if value is None:
        return ""
    local = local_time(value)
    return f"{format_date(local.date())} {local:%H:%M}"


def local_time(value: datetime) -> datetime:
    """*value* in the computer's time zone; kept as it is where that overflows (a year-1 or
    year-9999 time stored before the rules refused them)."""
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone()
    except (OverflowError, OSError, ValueError):
        return value


def age_years(born: date, today: date | None = None) -> int:
    """Completed years of age on *today*."""
    today = today or date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def format_birth(born: date | None, today: date | None = None) -> str:
    """'30 Apr 1975 (50 y)'."""
    if born is None:
        return ""
    return f"{format_date(born)} ({age_years(born, today)} y)"


class DateLineEdit(QLineEdit):
    """A date typed as 30.04.1975, 30/04/1975 or 1975-04-30; empty until the user types.

    ``date()`` is None while the text is empty or not a date, so a wrong date is never
    recorded by default. ``date_changed`` fires with the parsed date (or None).
    """

    date_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("dd.mm.yyyy")
        self.setToolTip(f"Type the date, {DATE_HINT}")
        self.setMaxLength(10)
        self.setMaximumWidth(self.fontMetrics().horizontalAdvance("00.00.00000") + 24)
        self.textChanged.connect(lambda _text: self.date_changed.emit(self.date()))

    def date(self) -> date | None:
        """The typed date, or None."""
        text = self.text().strip()
        return parse_date(text) if text else None

    def is_blank(self) -> bool:
        """True when nothing was typed."""
        return not self.text().strip()

    def set_date(self, value: date | None) -> None:
        """Show *value* as dd.mm.yyyy (empty for None)."""
        self.setText(value.strftime("%d.%m.%Y") if value else "")
