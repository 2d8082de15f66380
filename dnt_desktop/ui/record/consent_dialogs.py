"""Consent the patient signs: the form to print for a paper signature, and the form
signed on screen (the signed copy kept with the consent)."""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.pdf.consent_form import ConsentFormData, build_consent_form
from dnt_desktop.pdf.files import write_atomically
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinic_details import get_clinic
from dnt_desktop.services.consent_text import ConsentTextVersion, current_text
from dnt_desktop.services.signed_consent import record_signed_consent
from dnt_desktop.ui.aftercare.pdf_pages import PdfPages
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.field_errors import error_label
from dnt_desktop.ui.widgets.folders import documents_folder
from dnt_desktop.ui.widgets.window_size import place_window

from .signature_box import SignatureBox

MAX_PRINT_DPI = 300


def form_data(
    ctx: AppContext,
    patient: Patient,
    text: ConsentTextVersion,
    signature_png: bytes | None = None,
    signed_on: date | None = None,
) -> ConsentFormData:
    clinic = guarded(None, "Consent form", lambda: get_clinic(ctx.db))
    return ConsentFormData(
        clinic_name=clinic.name if clinic else "",
        patient_name=f"{patient.given_name} {patient.family_name}",
        date_of_birth=patient.date_of_birth,
        chart_number=patient.chart_number,
        version=text.version,
        body=text.body,
        signature_png=signature_png,
        signed_on=signed_on,
        practitioner_name=ctx.practitioner_name,
    )


def _heading(patient: Patient, text: ConsentTextVersion) -> QLabel:
    label = QLabel(
        f"<b>{escape(patient.family_name)}, {escape(patient.given_name)}</b> · chart no. "
        f"{escape(patient.chart_number)} · consent text {escape(text.version)}"
    )
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class ConsentFormPreview(QDialog):
    """The consent form with the patient's details, to print and sign on paper."""

    def __init__(self, ctx: AppContext, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consent_form_preview")
        self.text = current_text(ctx.db)
        self.patient = patient
        self.data = form_data(ctx, patient, self.text)
        self.pdf_bytes = build_consent_form(self.data)
        self.setWindowTitle("Consent form to sign")
        self.view = PdfPages(self)
        self.view.setAccessibleName("Pages of the consent form")
        self.view.show_pdf(self.pdf_bytes)
        hint = QLabel(
            "Print the form, have the patient sign it, record the consent and attach the "
            "scan of the signed form to it (Consent tab, Attach signed form…)."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.print_button = QPushButton("&Print…")
        self.print_button.setProperty("primary", True)
        self.print_button.clicked.connect(self.print_form)
        self.save_button = QPushButton("&Save as PDF…")
        self.save_button.clicked.connect(self.save_form)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(patient, self.text))
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        place_window(self, "consent_form_preview", 820, 940)

    def print_form(self) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """Every page as an image fitted to the paper (as the aftercare preview prints)."""
        document = self.view.pdf
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, "Print", "The printer could not be started.")
            return False
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for index in range(document.pageCount()):
                if index:
                    printer.newPage()
                points = document.pagePointSize(index)
                pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = document.render(index, pixels)
                scale = min(paper.width() / pixels.width(), paper.height() / pixels.height())
                target = QRectF(0, 0, pixels.width() * scale, pixels.height() * scale)
                target.moveCenter(paper.center())
                painter.drawImage(target, image)
        finally:
            painter.end()
        return True

    def save_form(self) -> Path | None:
        suggested = documents_folder() / f"consent-form-{self.patient.chart_number}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save consent form", str(suggested), "PDF (*.pdf)"
        )
        if not name:
            return None
        path = Path(name)
        try:
            write_atomically(path, self.pdf_bytes)
        except OSError as exc:
            QMessageBox.warning(self, "Save", f"Cannot write {path}: {exc.strerror or exc}.")
            return None
        return path


class SignOnScreenDialog(QDialog):
    """The consent text, read with the patient, and the box they sign in."""

    def __init__(self, ctx: AppContext, patient: Patient, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient = patient
        self.consent_id: int | None = None
        self.setObjectName("sign_consent_dialog")
        self.setWindowTitle("Consent signed on screen")
        self.text = current_text(ctx.db)
        body = QPlainTextEdit(self.text.body)
        body.setReadOnly(True)
        body.setAccessibleName("Consent text")
        self.body = body
        self.signature = SignatureBox()
        self.signature.changed.connect(self._update)
        label = QLabel("Patient's &signature (mouse, pen or finger):")
        label.setBuddy(self.signature)
        self.message = error_label()
        self.clear_button = QPushButton("C&lear")
        self.clear_button.clicked.connect(self.signature.clear)
        self.save_button = QPushButton("Record &signed consent")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.message, 1)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(patient, self.text))
        layout.addWidget(body, 1)
        layout.addWidget(label)
        layout.addWidget(self.signature)
        layout.addLayout(buttons)
        place_window(self, "sign_consent_dialog", 760, 700)
        self._update()

    def _update(self) -> None:
        self.save_button.setEnabled(not self.signature.is_empty())

    def save(self) -> int | None:
        """Record the written consent with the signed form as its signed copy."""
        if self.signature.is_empty():
            self.message.setText("The patient has not signed yet.")
            self.message.setVisible(True)
            return None
        today = date.today()
        data = form_data(self.ctx, self.patient, self.text, self.signature.png(), today)
        pdf = build_consent_form(data)
        patient_id = self.patient.id
        found = guarded(
            self,
            "Signed consent",
            lambda: record_signed_consent(
                self.ctx.db,
                self.ctx.practitioner_id,
                patient_id,
                text_version=self.text.version,
                signed_form_pdf=pdf,
                signed_on=today,
            ),
        )
        if found is None:
            return None
        self.consent_id, changes = found
        self.ctx.hub.publish(changes)
        self.accept()
        return self.consent_id


def publish(ctx: AppContext, changes: Changes | None) -> None:
    if changes:
        ctx.hub.publish(changes)
