"""Moving date-times between Qt editors (local wall time) and the services (aware)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit

from dnt_desktop.services.dates import local as local_time
from dnt_desktop.services.rules import EARLIEST_MOMENT, LATEST_YEAR

EARLIEST_EDITABLE = QDate(EARLIEST_MOMENT.year, EARLIEST_MOMENT.month, EARLIEST_MOMENT.day).addDays(
    1
)
"""The first day a date-time editor offers: local time exists there in every time zone."""
LATEST_EDITABLE = QDate(LATEST_YEAR, 12, 31)


def to_qt(value: datetime) -> QDateTime:
    """The local wall time of *value* (aware or naive local), to the minute."""
    local = local_time(value)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def from_qt(value: QDateTime) -> datetime:
    """An aware local datetime of the editor's value (seconds dropped)."""
    date, time = value.date(), value.time()
    naive = datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())
    return naive.astimezone()


def same_minute(a: datetime, b: datetime) -> bool:
    """Whether two aware datetimes show the same local minute."""
    return local_time(a).replace(second=0, microsecond=0) == local_time(b).replace(
        second=0, microsecond=0
    )


def keep_in_range(edit: QDateTimeEdit) -> None:
    """Let *edit* offer only dates the rules can check and local time can hold
    (not 1752 or 9999, Qt's defaults); the rules say what is plausible within them."""
    edit.setDateTimeRange(
        QDateTime(EARLIEST_EDITABLE, QTime(0, 0)), QDateTime(LATEST_EDITABLE, QTime(23, 59))
    )


def now_to_the_minute() -> datetime:
    """The current local time, aware, seconds dropped."""
    return datetime.now().astimezone().replace(second=0, microsecond=0)
