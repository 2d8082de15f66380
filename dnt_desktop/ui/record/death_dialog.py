"""Patient > Date of death…: recorded (or cleared) for the record's retention."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.services.disposal import record_death
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded_form
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.dates import DATE_EXAMPLES, DateLineEdit
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label


class DeathDialog(QDialog):
    """The date of death; empty clears it. Retention then counts 8 years from it."""

    def __init__(self, ctx: AppContext, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient = patient
        self.setObjectName("death_dialog")
        self.setWindowTitle("Date of death")
        heading = QLabel(
            f"<b>{escape(patient.family_name)}, {escape(patient.given_name)}</b> · chart no. "
            f"{escape(patient.chart_number)}"
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        hint = QLabel(
            "The record is then kept 8 years after the death or the last treatment, "
            "whichever is later. Leave the date empty to clear it."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.died_on = DateLineEdit()
        self.died_on.setAccessibleName("Date of death")
        if patient.died_on:
            self.died_on.set_date(patient.died_on)
        form = QFormLayout()
        form.addRow("&Date of death", self.errors.add("died_on", self.died_on))
        save = QPushButton("&Save")
        save.setProperty("primary", True)
        save.clicked.connect(self.save)
        self.save_button = save
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = message_row(self.general, [cancel, save])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.setMinimumWidth(480)

    def save(self) -> bool:
        died_on = None
        if not self.died_on.is_blank():
            died_on = self.died_on.date()
            if died_on is None:
                self.errors.show(
                    [Problem("died_on", f"This is not a date: type it as {DATE_EXAMPLES}.")]
                )
                return False
        patient_id = self.patient.id
        changes = guarded_form(
            self,
            "Date of death",
            lambda: record_death(self.ctx.db, self.ctx.practitioner_id, patient_id, died_on),
            self.errors.show,
        )
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        self.accept()
        return True
