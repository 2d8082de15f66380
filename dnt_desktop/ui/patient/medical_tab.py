"""The Medical tab: medical history, medications and allergies, edited in place."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import update_patient
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded_form
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedPlainTextEdit, with_counter

FIELDS = (
    ("medical_history", "Medical &history", "Past and current conditions, operations, injuries"),
    ("medications", "Current &medications", "Including blood thinners and supplements"),
    ("allergies", "&Allergies", "Medicines, metals (nickel), latex, tape, disinfectants"),
)


def patient_form_of(patient: Patient) -> PatientForm:
    """The registration form holding *patient*'s stored values."""
    names = PatientForm.__dataclass_fields__
    return PatientForm(**{name: getattr(patient, name) for name in names})


class MedicalTab(QWidget):
    """Three text boxes saved together with the patient's version check."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient: Patient | None = None
        self.editors: dict[str, LimitedPlainTextEdit] = {}
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        grid = QGridLayout()
        grid.setVerticalSpacing(4)
        grid.setHorizontalSpacing(12)
        for column, (name, title, hint) in enumerate(FIELDS):
            label = QLabel(title)
            label.setProperty("role", "section")
            editor = LimitedPlainTextEdit("patient", name)
            editor.setAccessibleName(title.replace("&", ""))
            editor.setPlaceholderText(hint)
            editor.setTabChangesFocus(True)
            editor.textChanged.connect(self._update_buttons)
            label.setBuddy(editor)
            self.editors[name] = editor
            grid.addWidget(label, 0, column)
            grid.addWidget(with_counter(editor, self.errors.add(name, editor)), 1, column)
        grid.setRowStretch(1, 1)

        self.save_button = QPushButton("&Save changes")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        self.undo_button = QPushButton("&Undo changes")
        self.undo_button.clicked.connect(self.undo)
        self.state_label = QLabel()
        self.state_label.setProperty("role", "hint")
        buttons = QHBoxLayout()
        buttons.addWidget(self.state_label, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.general)
        layout.addLayout(buttons)
        self._update_buttons()

    def show_patient(self, patient: Patient, *, keep_edits: bool = False) -> None:
        """Show *patient*; with *keep_edits* unsaved typing is left alone."""
        same = self.patient is not None and self.patient.id == patient.id
        self.patient = patient
        if keep_edits and same and self.is_dirty():
            self._update_buttons()
            return
        for name, editor in self.editors.items():
            editor.blockSignals(True)
            editor.setPlainText(getattr(patient, name))
            editor.blockSignals(False)
        self.errors.clear()
        self._update_buttons()

    def values(self) -> dict[str, str]:
        """What is typed in each box."""
        return {name: editor.toPlainText() for name, editor in self.editors.items()}

    def is_dirty(self) -> bool:
        """True when a box differs from what is stored."""
        if self.patient is None:
            return False
        return any(getattr(self.patient, k) != v for k, v in self.values().items())

    def _update_buttons(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.undo_button.setEnabled(dirty)
        self.state_label.setText("Unsaved changes" if dirty else "")

    def undo(self) -> None:
        """Put back what is stored."""
        if self.patient is not None:
            self.show_patient(self.patient)

    def save(self) -> bool:
        """Save the three boxes (the rest of the patient's details unchanged)."""
        patient = self.patient
        if patient is None or not self.is_dirty():
            return True
        form = replace(patient_form_of(patient), **self.values())

        def write() -> Changes:
            return update_patient(
                self.ctx.db, self.ctx.practitioner_id, patient.id, form, patient.version
            )

        changes = guarded_form(self, "Save medical details", write, self.errors.show)
        if changes is None:
            return False
        self.errors.clear()
        self.ctx.hub.publish(changes)
        self.saved.emit()
        return True
