"""Write a letter to the referrer: choose the template, edit it for this patient, see the
pages, then print or save it as a PDF. Every letter sent is kept with the patient."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, QSettings, QSize, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.pdf import write_atomically
from dnt_desktop.pdf.letter import render_letter
from dnt_desktop.pdf.printing import PrintError, can_print_pdf, send_pdf
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.progress.letters import (
    LETTER_KINDS,
    PRINTED,
    SAVED,
    LetterDocument,
    letter_pdf,
    prepare_letter,
    record_letter,
)
from dnt_desktop.ui.aftercare.pdf_pages import PdfPages, fit_to_screen
from dnt_desktop.ui.aftercare.preview import installed_printers, print_job
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.folders import documents_folder

TITLE = "Letter to the referrer"
_FOLDER_KEY = "letters/last_folder"


class LetterDialog(QDialog):
    """The letter's text on the left (editable), its pages on the right."""

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        template_key: str = "progress",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.setWindowTitle(TITLE)
        self.document: LetterDocument | None = None
        self.pdf_bytes = b""
        self.letter_id: int | None = None
        self._filled = ""
        """The text as last filled in from the template (differs once edited)."""
        self.template = WideComboBox()
        self.template.setAccessibleName("Letter")
        for kind in LETTER_KINDS:
            self.template.addItem(kind.title, kind.key)
        self.template.setCurrentIndex(max(0, self.template.findData(template_key)))
        self.plan = QPlainTextEdit()
        self.plan.setAccessibleName("Plan")
        self.plan.setPlaceholderText("The plan, as it should read in the letter")
        self.plan.setMaximumHeight(70)
        self.plan.setTabChangesFocus(True)
        self.to_label = QLabel()
        self.to_label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Letter text")
        self.text.setTabChangesFocus(True)
        self.pages = PdfPages()
        self.pages.setAccessibleName("Letter preview")
        self.refresh_button = QPushButton("&Update preview")
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("Save as P&DF…")
        self.close_button = QPushButton("&Close")
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Letter:", self.template)
        form.addRow("To:", self.to_label)
        form.addRow("P&lan:", self.plan)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        text_label = QLabel("&Text (edit it for this patient; **bold**):")
        text_label.setBuddy(self.text)
        left_layout.addWidget(text_label)
        left_layout.addWidget(self.text, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.pages)
        splitter.setSizes([460, 520])
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.template.currentIndexChanged.connect(self._template_chosen)
        self._plan_timer = QTimer(self, singleShot=True, interval=400)
        self._plan_timer.timeout.connect(self._plan_typed)
        self.plan.textChanged.connect(self._plan_timer.start)
        self.refresh_button.clicked.connect(self.update_preview)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        fit_to_screen(self, 1100, 720)
        self.prepare()

    def is_edited(self) -> bool:
        """True once the letter's text was changed by hand."""
        return self.text.toPlainText() != self._filled

    def _template_chosen(self) -> None:
        if self.is_edited():
            answer = QMessageBox.question(
                self,
                TITLE,
                "Start again from the chosen template? The changes made to the text are lost.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                if self.document is not None:  # the list shows the letter being written
                    self.template.blockSignals(True)
                    self.template.setCurrentIndex(
                        self.template.findData(self.document.template_key)
                    )
                    self.template.blockSignals(False)
                return
        self.prepare()

    def _plan_typed(self) -> None:
        if self.is_edited():  # never overwrite typing: say where the plan goes instead
            self.status.setText("The text was edited: type the plan in the text itself.")
            return
        self.prepare()

    def prepare(self) -> None:
        """Fill the chosen template for the patient (the text shown is replaced)."""
        document = guarded(
            self,
            TITLE,
            lambda: prepare_letter(
                self.ctx.db,
                self.ctx.practitioner_id,
                self.patient_id,
                self.template.currentData(),
                plan=self.plan.toPlainText(),
            ),
        )
        if document is None:
            return
        self.document = document
        self.to_label.setText(
            ", ".join(document.recipient)
            or "No referrer is chosen on the patient's details: the letter starts "
            "'Dear Doctor' and has no address."
        )
        self._filled = document.filled()
        self.text.setPlainText(self._filled)
        self.update_preview()

    def final_document(self) -> LetterDocument | None:
        """The letter as it will be sent: the template, or the text as edited."""
        if self.document is None:
            return None
        try:
            return self.document.edited(self.text.toPlainText())
        except ServiceError as exc:
            QMessageBox.warning(self, TITLE, str(exc))
            return None

    def update_preview(self) -> bool:
        """Render the letter and show its pages."""
        document = self.final_document()
        if document is None:
            return False
        self.pdf_bytes = render_letter(document)
        self.pages.show_pdf(self.pdf_bytes)
        self.status.setText("")
        return True

    def print_letter(self) -> bool:
        """Print the letter (the PDF itself through the print system) and keep it."""
        if not self.update_preview():
            return False
        if not installed_printers():
            box = QMessageBox.question(
                self,
                TITLE,
                "No printer is installed on this computer. Save the letter as a PDF instead "
                "(to print it on another computer or to e-mail it)? Nothing is recorded as "
                "printed.",
            )
            return box == QMessageBox.StandardButton.Yes and self.save_pdf()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            target = printer.outputFileName()
            return bool(target) and self.save_to(Path(target))
        job = print_job(printer, self.windowTitle())
        if not can_print_pdf():
            return self.print_images(printer)
        try:
            send_pdf(self.pdf_bytes, job)
        except PrintError as exc:
            QMessageBox.warning(
                self, TITLE, f"The letter could not be printed: {exc}. Nothing was kept as sent."
            )
            return False
        return self._keep(PRINTED)

    def print_images(self, printer: QPrinter) -> bool:
        """Print the pages as images (where the PDF cannot be handed to the print system)."""
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(self, TITLE, "The printer could not be started.")
            return False
        document = self.pages.pdf
        try:
            dpi = min(printer.resolution(), 300)
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
        return self._keep(PRINTED)

    def suggested_path(self) -> Path:
        """The folder used last, else Documents; named after the letter."""
        last = QSettings().value(_FOLDER_KEY, "", str)
        folder = Path(last) if last and Path(last).is_dir() else documents_folder()
        name = self.document.patient_name if self.document else "patient"
        kind = self.template.currentText().lower().replace(" ", "-")
        safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
        return folder / f"{kind}-{safe}.pdf"

    def save_pdf(self) -> bool:
        """Ask where to save, write the PDF and keep the letter."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, f"Save {TITLE.lower()}", str(self.suggested_path()), "PDF documents (*.pdf)"
        )
        return bool(chosen) and self.save_to(Path(chosen))

    def save_to(self, path: Path) -> bool:
        """Write the letter to *path* and keep it with the patient as saved."""
        if not self.update_preview():
            return False
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_atomically(path, self.pdf_bytes)
        except OSError as exc:
            QMessageBox.warning(
                self, TITLE, f"The letter could not be saved to {path}: {exc.strerror or exc}"
            )
            return False
        QSettings().setValue(_FOLDER_KEY, str(path.parent))
        return self._keep(SAVED)

    def _keep(self, kind: str) -> bool:
        document = self.final_document()
        if document is None:
            return False
        data = self.pdf_bytes
        result = guarded(
            self,
            TITLE,
            lambda: record_letter(self.ctx.db, self.ctx.practitioner_id, document, data, kind),
        )
        if result is None:
            return False
        self.letter_id, changes = result
        self.ctx.hub.publish(changes)
        self.status.setText(f"Letter {kind} and kept with the patient's chart.")
        return True


class SentLetterDialog(QDialog):
    """A kept letter, exactly as sent; Save a copy writes its very bytes."""

    def __init__(self, ctx: AppContext, letter_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Letter as sent")
        self.data = letter_pdf(ctx.db, letter_id)
        self.pages = PdfPages()
        self.pages.setAccessibleName("Letter as sent")
        self.pages.show_pdf(self.data)
        save = QPushButton("Save a &copy…")
        close = QPushButton("&Close")
        save.clicked.connect(self.save_copy)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(row)
        fit_to_screen(self, 760, 720)

    def save_copy(self) -> bool:
        """Write the kept PDF, byte for byte, where the user chooses."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save a copy of the letter", str(documents_folder()), "PDF documents (*.pdf)"
        )
        if not chosen:
            return False
        try:
            write_atomically(Path(chosen), self.data)
        except OSError as exc:
            QMessageBox.warning(self, "Letter", f"Could not save: {exc.strerror or exc}")
            return False
        return True
