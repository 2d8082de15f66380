"""Aftercare choices stored with the session: heat or ice, stretches, next appointment."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import ThermalAdvice
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.widgets.dates import DateTimeField
from dnt_desktop.ui.widgets.field_errors import FieldErrors
from dnt_desktop.ui.widgets.limited_text import LimitedPlainTextEdit, with_counter

from .datetimes import from_qt, keep_in_range, now_to_the_minute, same_minute, to_qt

DATE_TIME_FORMAT = "dd MMM yyyy  HH:mm"
_THERMAL_LABELS = {
    ThermalAdvice.GENERAL: ("&General advice", "The sheet mentions both heat and ice"),
    ThermalAdvice.HEAT: ("&Heat", "Recommend heat (warm bath or shower, heat pack)"),
    ThermalAdvice.ICE: ("&Ice", "Recommend a cold pack (e.g. for a bruise)"),
}


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


class AftercareForm(QWidget):
    """What the aftercare sheet of this session will say beyond the clinic's text."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loaded_next: datetime | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)

        layout.addWidget(_section("Heat or ice"))
        row = QHBoxLayout()
        self.thermal_group = QButtonGroup(self)
        self.thermal_buttons: dict[ThermalAdvice, QRadioButton] = {}
        for advice, (label, tip) in _THERMAL_LABELS.items():
            button = QRadioButton(label)
            button.setToolTip(tip)
            button.setAccessibleName(f"Aftercare: {label.replace('&', '')}")
            self.thermal_group.addButton(button)
            self.thermal_buttons[advice] = button
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.thermal_buttons[ThermalAdvice.GENERAL].setChecked(True)

        stretches_label = QLabel("&Stretches and exercises")
        stretches_label.setProperty("role", "section")
        layout.addSpacing(4)
        layout.addWidget(stretches_label)
        self.errors = FieldErrors()
        self.stretches = LimitedPlainTextEdit("session", "stretches")
        self.stretches.setObjectName("stretches")
        self.stretches.setAccessibleName("Stretches and exercises for the aftercare sheet")
        self.stretches.setPlaceholderText("e.g. Upper trapezius stretch, 3 x 30 s, twice a day")
        self.stretches.setTabChangesFocus(True)
        self.stretches.setMinimumHeight(56)
        stretches_label.setBuddy(self.stretches)
        stretches_row = with_counter(self.stretches, self.errors.add("stretches", self.stretches))
        stretches_row.layout().setStretch(0, 1)
        layout.addWidget(stretches_row, 1)

        layout.addSpacing(4)
        next_row = QHBoxLayout()
        self.has_next = QCheckBox("Ne&xt appointment:")
        self.has_next.setAccessibleName("Next appointment booked")
        self.next_edit = DateTimeField()
        self.next_edit.setObjectName("next_appointment")
        self.next_edit.setAccessibleName("Next appointment date and time")
        self.next_edit.setCalendarPopup(True)
        self.next_edit.setDisplayFormat(DATE_TIME_FORMAT)
        keep_in_range(self.next_edit)
        self.next_edit.setDateTime(to_qt(now_to_the_minute() + timedelta(days=7)))
        self.next_edit.setEnabled(False)
        next_row.addWidget(self.has_next, 0, Qt.AlignmentFlag.AlignTop)
        self.next_edit.setMinimumWidth(190)
        next_box = self.errors.add("next_appointment", self.next_edit)
        next_box.layout().setAlignment(self.next_edit, Qt.AlignmentFlag.AlignLeft)
        next_row.addWidget(next_box, 1)
        layout.addLayout(next_row)

        self.has_next.toggled.connect(self._next_toggled)
        self.thermal_group.buttonToggled.connect(lambda *_: self.changed.emit())
        self.stretches.textChanged.connect(self.changed.emit)
        self.next_edit.dateTimeChanged.connect(lambda *_: self.changed.emit())

    def _next_toggled(self, checked: bool) -> None:
        self.next_edit.setEnabled(checked and not self.next_edit.isReadOnly())
        self.changed.emit()

    def suggest_next(self, session_start: datetime) -> None:
        """Offer a week after the session when no appointment is set."""
        if not self.has_next.isChecked():
            suggested = to_qt(session_start).addDays(7)  # Qt's arithmetic: no overflow
            self.next_edit.setDateTime(suggested)

    def load(self, draft: SessionDraft) -> None:
        """Show the draft's aftercare choices."""
        self.thermal_buttons[draft.thermal_advice].setChecked(True)
        self.stretches.setPlainText(draft.stretches)
        self._loaded_next = draft.next_appointment
        if draft.next_appointment is not None:
            self.next_edit.setDateTime(to_qt(draft.next_appointment))
        else:
            self.suggest_next(draft.started_at)
        self.has_next.setChecked(draft.next_appointment is not None)

    def fill(self, draft: SessionDraft) -> None:
        """Copy the choices into *draft*."""
        for advice, button in self.thermal_buttons.items():
            if button.isChecked():
                draft.thermal_advice = advice
        draft.stretches = self.stretches.toPlainText()
        if self.has_next.isChecked():
            value = from_qt(self.next_edit.dateTime())
            loaded = self._loaded_next
            draft.next_appointment = loaded if loaded and same_minute(loaded, value) else value
        else:
            draft.next_appointment = None

    def show_problems(self, problems: list[Problem]) -> None:
        """Show problems of the stretches and the next appointment under them."""
        self.errors.show(p for p in problems if p.field in ("stretches", "next_appointment"))

    def set_read_only(self, read_only: bool) -> None:
        """Lock every field."""
        for button in self.thermal_buttons.values():
            button.setEnabled(not read_only)
        self.stretches.setReadOnly(read_only)
        self.has_next.setEnabled(not read_only)
        self.next_edit.setReadOnly(read_only)
        self.next_edit.setEnabled(self.has_next.isChecked() and not read_only)
