"""Fast keyboard date fields (display formats are in services/dates.py)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLineEdit, QWidget

from dnt_desktop.services.register_query import parse_date

DATE_EXAMPLES = "30.04.1975 or 1975-04-30"
DATE_HINT = f"e.g. {DATE_EXAMPLES}"
PLACEHOLDER = "dd.mm.yyyy"
TEXT_MARGINS = 28
"""The line edit's frame, the stylesheet's padding and Qt's text margins."""


class DateLineEdit(QLineEdit):
    """A date typed as 30.04.1975, 30/04/1975 or 1975-04-30; empty until the user types.

    ``date()`` is None while the text is empty or not a date, so a wrong date is never
    recorded by default. ``date_changed`` fires with the parsed date (or None).
    """

    date_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(PLACEHOLDER)
        self.setToolTip(f"Type the date, {DATE_HINT}")
        self.setMaxLength(10)
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(t) for t in ("00.00.00000", PLACEHOLDER + "0"))
        self.setMaximumWidth(widest + TEXT_MARGINS)
        self.setMinimumWidth(widest + TEXT_MARGINS)
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


class DateTimeField(QDateTimeEdit):
    """A date and time whose Tab leaves the field, as everywhere else.

    Qt's field walks day, month, year, hour and minute with Tab before it lets go; here
    Left/Right (or typing the separator) move between them and Tab goes on.
    """

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)


class DateField(QDateEdit):
    """A date whose Tab leaves the field (see ``DateTimeField``)."""

    def focusNextPrevChild(self, next: bool) -> bool:
        return QWidget.focusNextPrevChild(self, next)
