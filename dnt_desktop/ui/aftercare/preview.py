"""Preview of a session's aftercare sheet, with Print and Save as PDF.

Printing or saving is recorded against the session (who and when) so the history shows
that the patient got their sheet, and only what happened is recorded: a sheet saved as a
PDF (also through the print dialog's "Print to file") is recorded as saved, never printed.

Print hands the PDF itself to CUPS where there is one (Linux, macOS), so the printout
keeps its real text; elsewhere (Windows) the pages are drawn as 300-dpi images. With no
printer installed, Print says so and offers Save as PDF instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QRectF,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import QGuiApplication, QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import DeliveryKind, PageSize
from dnt_desktop.pdf import build_aftercare, write_atomically
from dnt_desktop.pdf.printing import PrintError, PrintJob, can_print_pdf, send_pdf
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import AftercareSheet
from dnt_desktop.services.dates import local, long_date

from ..context import AppContext
from ..feedback import guarded
from ..script_fonts import ensure_script_fonts
from ..style import CAUTION_BACKGROUND, CAUTION_TEXT, MUTED_TEXT, OK_TEXT
from ..widgets.combo_box import WideComboBox
from ..widgets.folders import documents_folder
from ..widgets.window_size import place_window
from .pdf_pages import PdfPages

TITLE = "Aftercare sheet"
MAX_PRINT_DPI = 300
"""Where pages are printed as images; beyond 300 dpi they only get slower, not sharper."""
NO_PRINTER = "No printer is installed on this computer."
_FOLDER_KEY = "aftercare/save_folder"
_SIDES = {
    QPrinter.DuplexMode.DuplexNone: "none",
    QPrinter.DuplexMode.DuplexLongSide: "long",
    QPrinter.DuplexMode.DuplexShortSide: "short",
}
_open_dialogs: set[AftercarePreviewDialog] = set()


def installed_printers() -> list[str]:
    """The names of the printers installed on this computer (none: an empty list)."""
    return QPrinterInfo.availablePrinterNames()


def print_job(printer: QPrinter, title: str) -> PrintJob:
    """What the print dialog chose on *printer*, as a job for the print system."""
    size = printer.pageLayout().pageSize().id()
    ranged = printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0
    return PrintJob(
        printer=printer.printerName(),
        title=title,
        copies=printer.copyCount(),
        media="Letter" if size == QPageSize.PageSizeId.Letter else "A4",
        sides=_SIDES.get(printer.duplex()),
        first_page=printer.fromPage() if ranged else 0,
        last_page=printer.toPage() if ranged else 0,
    )


class AftercarePreviewDialog(QDialog):
    """The rendered pages of one session's sheet, with Print and Save as PDF.

    Raises NotFoundError (a ServiceError) when the session does not exist.
    """

    def __init__(
        self,
        ctx: AppContext,
        session_id: int,
        parent: QWidget | None = None,
        language: str | None = None,
    ) -> None:
        sheet = aftercare.load_sheet(ctx.db, session_id, language)  # before any widget exists
        sets = aftercare.text_sets(ctx.db)
        super().__init__(parent)
        ensure_script_fonts()
        self.setObjectName("aftercare_preview")
        self.ctx = ctx
        self.session_id = session_id
        self.sheet: AftercareSheet = sheet
        self.rendered = build_aftercare(sheet)
        self.pdf_bytes = self.rendered.data
        self.view = PdfPages(self)
        self.view.setAccessibleName("Pages of the aftercare sheet")
        self.view.show_pdf(self.pdf_bytes)
        self.document = self.view.pdf
        self.language = WideComboBox()
        self.language.setAccessibleName("Language of the sheet")
        self.language.setToolTip(
            "Print this sheet in another language (the patient's handout language is set "
            "in their details)"
        )
        for text_set in sets:
            note = "  (not reviewed)" if text_set.unreviewed else ""
            self.language.addItem(text_set.label + note, text_set.code)
        self.language.setCurrentIndex(max(0, self.language.findData(sheet.text_set.code)))
        self.language.currentIndexChanged.connect(self._language_chosen)
        self.warning = QLabel()
        self.warning.setObjectName("sheetWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            f"background: {CAUTION_BACKGROUND}; color: {CAUTION_TEXT}; padding: 6px 8px;"
            "border-radius: 4px;"
        )

        name = " ".join(self.sheet.patient_name.split())
        date = long_date(local(self.sheet.started_at).date())
        self.setWindowTitle(f"{TITLE} – {name} – {date}")
        place_window(self, "aftercare_preview", 860, 960)
        self._build(name, date)
        self._refresh_status()

    # --- layout ------------------------------------------------------------------------

    def _build(self, name: str, date: str) -> None:
        heading = QLabel(f"<b>{_html(name)}</b> · session of {date}")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.status = QLabel()
        self.status.setObjectName("deliveryStatus")

        zoom_out = QPushButton("−")
        zoom_out.setAccessibleName("Zoom out")
        zoom_out.setToolTip("Zoom out (Ctrl+-)")
        zoom_out.clicked.connect(lambda: self.view.zoom(1 / 1.2))
        zoom_in = QPushButton("+")
        zoom_in.setAccessibleName("Zoom in")
        zoom_in.setToolTip("Zoom in (Ctrl++)")
        zoom_in.clicked.connect(lambda: self.view.zoom(1.2))
        fit = QPushButton("Fit width")
        fit.clicked.connect(self.view.fit_width)
        language_label = QLabel("&Language:")
        language_label.setBuddy(self.language)
        for button in (zoom_out, zoom_in):
            button.setFixedWidth(36)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.view.zoom(1.2))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.view.zoom(1 / 1.2))

        self.print_button = QPushButton("Print…")
        self.print_button.setToolTip("Print the sheet for the patient (Ctrl+P)")
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.print_sheet)
        self.save_button = QPushButton("Save as PDF…")
        self.save_button.setToolTip("Save the sheet as a PDF file, e.g. to e-mail it (Ctrl+S)")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.save_button.clicked.connect(self.save_pdf)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)

        heading.setWordWrap(True)  # a long name wraps rather than widening the window
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addSpacing(12)
        top.addWidget(self.status)

        bottom = QHBoxLayout()
        for widget in (zoom_out, zoom_in, fit):
            bottom.addWidget(widget)
        self.pages_label = QLabel()
        bottom.addWidget(self.pages_label)
        bottom.addSpacing(12)
        bottom.addWidget(language_label)
        bottom.addWidget(self.language)
        bottom.addStretch(1)
        for widget in (self.save_button, self.print_button, close):
            bottom.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self._show_sheet_notes()

    # --- language ------------------------------------------------------------------------

    def _show_sheet_notes(self) -> None:
        """The page count, and what the user must know before giving this sheet."""
        pages = self.document.pageCount()
        self.pages_label.setText(f"{pages} page{'s' if pages != 1 else ''}")
        notes = [n for n in (self.sheet.text_set.warning(), self.rendered.missing_warning()) if n]
        self.warning.setText("\n".join(f"⚠ {note}" for note in notes))
        self.warning.setVisible(bool(notes))

    def set_language(self, code: str) -> bool:
        """Show the sheet in the text set *code* (nothing is recorded until printed/saved)."""
        sheet = guarded(
            self, TITLE, lambda: aftercare.load_sheet(self.ctx.db, self.session_id, code)
        )
        if sheet is None:
            return False
        self.sheet = sheet
        self.rendered = build_aftercare(sheet)
        self.pdf_bytes = self.rendered.data
        self.view.show_pdf(self.pdf_bytes)
        self._show_sheet_notes()
        index = self.language.findData(code)
        if index >= 0 and index != self.language.currentIndex():
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)
        return True

    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if code and code != self.sheet.text_set.code:
            self.set_language(code)

    def _refresh_status(self) -> None:
        rows = guarded(self, TITLE, lambda: aftercare.deliveries(self.ctx.db, self.session_id))
        given = bool(rows)
        self.status.setText(aftercare.delivery_summary(rows or []))
        colour = OK_TEXT if given else MUTED_TEXT
        self.status.setStyleSheet(f"color: {colour};")

    # --- print and save ------------------------------------------------------------------

    def print_sheet(self) -> bool:
        """Ask for a printer (system dialog), print, and record the delivery.

        With no printer installed the dialog would only offer "Print to file": say so
        instead, and offer Save as PDF.
        """
        if not installed_printers():
            return self.offer_save_instead()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare_printer(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {TITLE.lower()}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

    def offer_save_instead(self) -> bool:
        """Tell that no printer is installed; save as PDF if the user wants to."""
        box = QMessageBox(self)
        box.setObjectName("no_printer")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(f"Print {TITLE.lower()}")
        box.setText(NO_PRINTER)
        box.setInformativeText(
            "Save the sheet as a PDF instead, to print it on another computer or to send it "
            "to the patient. Nothing is recorded as printed."
        )
        save = box.addButton("Save as PDF…", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(save)
        box.exec()
        if box.clickedButton() is not save:
            return False
        return self.save_pdf()

    def prepare_printer(self, printer: QPrinter) -> None:
        """Offer the clinic's paper size (A4 or Letter), portrait, the whole sheet."""
        size = (
            QPageSize.PageSizeId.Letter
            if self.sheet.clinic.page_size == PageSize.LETTER
            else QPageSize.PageSizeId.A4
        )
        printer.setDocName(self.windowTitle())
        printer.setPageSize(QPageSize(size))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)

    def print_to(self, printer: QPrinter) -> bool:
        """Print on the printer chosen in the print dialog, and record what happened.

        "Print to file" writes the sheet itself to the chosen file (recorded as saved);
        a printer gets the PDF through CUPS where it can, else the pages as images.
        """
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            target = printer.outputFileName()
            if not target:
                return False
            return self.save_to(Path(target), how=" (Print to file)")
        job = print_job(printer, self.windowTitle())
        if can_print_pdf():
            return self.send_to_printer(job)
        return self.print_images(printer, job)

    def send_to_printer(self, job: PrintJob) -> bool:
        """Hand the PDF itself to the print system (text stays text); record it as printed."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            answer = send_pdf(self.pdf_bytes, job)
        except PrintError as exc:
            QGuiApplication.restoreOverrideCursor()
            QMessageBox.warning(
                self,
                TITLE,
                f"The sheet could not be sent to {job.printer}: {exc}.\n\n"
                "Nothing was recorded as printed. Check the printer and try again, or "
                "save the sheet as a PDF.",
            )
            return False
        QGuiApplication.restoreOverrideCursor()
        copies = f", {job.copies} copies" if job.copies > 1 else ""
        sent = f"; {answer}" if answer else ""
        return self._record(
            DeliveryKind.PRINTED, f"printed on {job.printer}{copies}{sent}{self._in_language()}"
        )

    def print_images(self, printer: QPrinter, job: PrintJob) -> bool:
        """Print every page as an image (where the PDF cannot be sent), and record it.

        Pages are rendered at the printer's resolution (at most MAX_PRINT_DPI) and fitted
        to the paper chosen in the print dialog, keeping their proportions.
        """
        painter = QPainter()
        if not painter.begin(printer):
            QMessageBox.warning(
                self, TITLE, "The printer could not be started. Check that it is ready."
            )
            return False
        try:
            dpi = min(printer.resolution(), MAX_PRINT_DPI)
            paper = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            for index in range(self.document.pageCount()):
                if index:
                    printer.newPage()
                points = self.document.pagePointSize(index)
                pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
                image = self.document.render(index, pixels)
                scale = min(paper.width() / pixels.width(), paper.height() / pixels.height())
                target = QRectF(0, 0, pixels.width() * scale, pixels.height() * scale)
                target.moveCenter(paper.center())
                painter.drawImage(target, image)
        finally:
            painter.end()
        where = job.printer or "the printer"
        return self._record(
            DeliveryKind.PRINTED, f"printed on {where} (pages as images){self._in_language()}"
        )

    def suggested_path(self) -> Path:
        """The folder used last (while it still exists), else the user's Documents."""
        last = QSettings().value(_FOLDER_KEY, "", str)
        folder = Path(last) if last and Path(last).is_dir() else documents_folder()
        return folder / aftercare.default_file_name(self.sheet)

    def save_pdf(self) -> bool:
        """Ask where to save, write the PDF safely, and record the delivery."""
        chosen, _ = QFileDialog.getSaveFileName(
            self, f"Save {TITLE.lower()}", str(self.suggested_path()), "PDF documents (*.pdf)"
        )
        if not chosen:
            return False
        return self.save_to(Path(chosen))

    def save_to(self, path: Path, how: str = "") -> bool:
        """Write the PDF to *path* (temp file and rename) and record it as saved."""
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        try:
            write_atomically(path, self.pdf_bytes)
        except OSError as exc:
            QMessageBox.warning(
                self,
                TITLE,
                f"The sheet could not be saved to {path}:\n{exc.strerror or exc}\n\n"
                "Choose another folder and try again.",
            )
            return False
        QSettings().setValue(_FOLDER_KEY, str(path.parent))
        return self._record(DeliveryKind.SAVED, f"saved as {path}{how}{self._in_language()}")

    def _in_language(self) -> str:
        """' in Bengali (texts not reviewed)' for the delivery record; '' for English."""
        text_set = self.sheet.text_set
        if text_set.code == aftercare.ENGLISH_CODE:
            return ""
        return f" in {text_set.name}" + (" (texts not reviewed)" if text_set.unreviewed else "")

    def _record(self, kind: DeliveryKind, detail: str) -> bool:
        delivery = guarded(
            self,
            TITLE,
            lambda: aftercare.record_delivery(
                self.ctx.db, self.ctx.practitioner_id, self.session_id, kind, detail
            ),
        )
        if delivery is None:
            return False
        self.ctx.hub.publish(delivery.changes)
        self._refresh_status()
        return True


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def open_aftercare_preview(ctx: AppContext, session_id: int, parent: QWidget | None = None) -> None:
    """Show the preview of *session_id*'s sheet (non-modal); errors become a message box."""
    dialog = guarded(parent, TITLE, lambda: AftercarePreviewDialog(ctx, session_id, parent))
    if dialog is None:
        return
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_dialogs.add(dialog)
    dialog.finished.connect(lambda _result: _open_dialogs.discard(dialog))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
