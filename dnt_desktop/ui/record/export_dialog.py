"""Patient > Export complete record…: the whole record in one zip, with the reason why."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.pdf.patient_record import export_complete_record
from dnt_desktop.services.record_export import ExportResult
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded_form
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.folders import documents_folder
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

REASONS_HINT = (
    "Why: the patient's request for their record (answer within one month), a transfer "
    "to another clinic, a request from a court or an insurer…"
)


def suggested_name(patient: Patient) -> str:
    """'record-P000123-Doe.zip' (letters of other scripts kept, unsafe characters not)."""
    family = "".join(c for c in patient.family_name if c.isalnum() or c in "-_")[:40]
    return f"record-{patient.chart_number}-{family or 'patient'}.zip"


class ExportDialog(QDialog):
    """Reason, zip file, Export; then what was written."""

    def __init__(self, ctx: AppContext, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient = patient
        self.result: ExportResult | None = None
        self.setObjectName("export_dialog")
        self.setWindowTitle("Export complete record")
        heading = QLabel(
            f"<b>{escape(patient.family_name)}, {escape(patient.given_name)}</b> "
            f"· chart no. {escape(patient.chart_number)}"
        )
        heading.setTextFormat(Qt.TextFormat.RichText)
        heading.setWordWrap(True)
        what = QLabel(
            "One zip file with a PDF to read (details, history, screenings, consents, every "
            "session with its points on the body chart, side effects, amendments, files), "
            "the same record as JSON with its schema and as CSV tables, the attached files, "
            "and the SHA-256 of every file. The export is recorded in the audit trail."
        )
        what.setWordWrap(True)
        what.setProperty("role", "hint")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.reason = LimitedLineEdit("export", "reason")
        self.reason.setAccessibleName("Reason for the export")
        self.reason.setPlaceholderText("e.g. patient's request of 2 December")
        self.path = QLineEdit(str(documents_folder() / suggested_name(patient)))
        self.path.setAccessibleName("Zip file to write")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the zip file")
        browse.clicked.connect(self.choose_path)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)
        path_box = QWidget()
        path_box.setLayout(path_row)
        path_row.setContentsMargins(0, 0, 0, 0)
        path_box.setFocusProxy(self.path)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Reason *", self.errors.add("reason", self.reason))
        hint = QLabel(REASONS_HINT)
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        form.addRow("", hint)
        form.addRow("&Save as *", path_box)
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        self.done_label.setProperty("role", "ok")
        self.done_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.done_label.setVisible(False)
        self.export_button = QPushButton("&Export")
        self.export_button.setProperty("primary", True)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        buttons = message_row(self.general, [self.close_button, self.export_button])
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.setMinimumWidth(620)
        self.reason.setFocus()

    def choose_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export complete record", self.path.text(), "Zip files (*.zip)"
        )
        if name:
            self.path.setText(name if name.lower().endswith(".zip") else name + ".zip")

    def export(self) -> ExportResult | None:
        """Write the zip; the dialog then says where and what."""
        text = self.path.text().strip()
        self.errors.clear()
        if not text:
            self.errors.show([Problem("path", "Choose where to save the zip file.")])
            return None
        output = Path(text if text.lower().endswith(".zip") else text + ".zip")
        patient_id = self.patient.id
        result = guarded_form(
            self,
            "Export complete record",
            lambda: export_complete_record(
                self.ctx.db, self.ctx.practitioner_id, patient_id, self.reason.text(), output
            ),
            self.errors.show,
        )
        if result is None:
            return None
        self.result = result
        self.done_label.setText(
            f"Written to {result.path}: {result.sessions} session(s), {result.files} "
            f"file(s). Manifest SHA-256 {result.manifest_sha256[:16]}…"
        )
        self.done_label.setVisible(True)
        self.export_button.setEnabled(False)
        self.close_button.setFocus()
        return result
