"""The editor's header: who the patient is, when the session is, who treats."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from dnt_desktop.models import Patient
from dnt_desktop.services.dates import age_years, format_date
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.widgets.dates import DateTimeField
from dnt_desktop.ui.widgets.field_errors import FieldErrors
from dnt_desktop.ui.widgets.labels import InfoLabel

from .aftercare_form import DATE_TIME_FORMAT
from .datetimes import from_qt, keep_in_range, same_minute, to_qt


class SessionHeader(QFrame):
    """Patient name, age and chart number; session date and time; practitioner."""

    started_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("session_header")
        self.setStyleSheet(
            "#session_header { background: #ffffff; border: 1px solid #c9d1db; "
            "border-radius: 6px; }"
        )
        self._loaded_started: datetime | None = None
        layout = QGridLayout(self)
        layout.setContentsMargins(12, 4, 12, 4)
        layout.setHorizontalSpacing(10)
        layout.setVerticalSpacing(0)

        self.name_label = InfoLabel(name="Patient")
        self.name_label.setObjectName("patient_name")
        self.name_label.setStyleSheet("font-size: 13pt; font-weight: bold;")
        self.name_label.setWordWrap(True)
        self.details_label = InfoLabel(name="Patient details")
        self.details_label.setObjectName("patient_details")
        self.details_label.setProperty("role", "subheading")
        self.details_label.setWordWrap(True)
        layout.addWidget(self.name_label, 0, 0)
        layout.addWidget(self.details_label, 1, 0)
        layout.setColumnStretch(0, 1)

        when_label = QLabel("Session &date:")
        when_label.setProperty("role", "subheading")
        self.started_edit = DateTimeField()
        self.started_edit.setObjectName("session_started")
        self.started_edit.setAccessibleName("Session date and time")
        self.started_edit.setCalendarPopup(True)
        self.started_edit.setDisplayFormat(DATE_TIME_FORMAT)
        self.started_edit.setMinimumWidth(190)
        keep_in_range(self.started_edit)
        when_label.setBuddy(self.started_edit)
        layout.addWidget(when_label, 0, 1, Qt.AlignmentFlag.AlignRight)
        self.errors = FieldErrors()
        when_row = self.errors.add("started_at", self.started_edit)
        self.errors.label("started_at").setMaximumWidth(560)
        layout.addWidget(when_row, 0, 2)

        by_title = QLabel("Practitioner:")
        by_title.setProperty("role", "subheading")
        self.practitioner_label = InfoLabel(name="Practitioner")
        self.practitioner_label.setObjectName("practitioner_name")
        self.practitioner_label.setStyleSheet("font-weight: bold;")
        layout.addWidget(by_title, 1, 1, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.practitioner_label, 1, 2)

        self.started_edit.dateTimeChanged.connect(lambda *_: self.started_changed.emit())

    def show_patient(self, patient: Patient, on: datetime) -> None:
        """The patient's name, age on the session date and chart number."""
        self.name_label.setText(f"{patient.family_name}, {patient.given_name}")
        age = age_years(patient.date_of_birth, on.date())
        self.details_label.setText(
            f"{age} years · born {format_date(patient.date_of_birth)} · "
            f"chart {patient.chart_number}"
        )

    def set_practitioner(self, name: str) -> None:
        """Who charts (or charted) the session."""
        self.practitioner_label.setText(name)

    def set_started(self, value: datetime) -> None:
        """Show the session's start (kept exactly unless the user changes the minute)."""
        self._loaded_started = value
        self.started_edit.setDateTime(to_qt(value))

    def started(self) -> datetime:
        """The session's start as an aware datetime."""
        value = from_qt(self.started_edit.dateTime())
        loaded = self._loaded_started
        return loaded if loaded is not None and same_minute(loaded, value) else value

    def show_problems(self, problems: list[Problem]) -> None:
        """Show a problem of the session's date under it."""
        self.errors.show(p for p in problems if p.field == "started_at")

    def set_read_only(self, read_only: bool) -> None:
        """Lock the date."""
        self.started_edit.setReadOnly(read_only)
