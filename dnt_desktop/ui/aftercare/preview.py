"""Preview of a session's aftercare sheet, with Print and Save as PDF.

Printing or saving is recorded against the session (who and when) so the history shows
that the patient got their sheet.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QRectF,
    QSettings,
    QSize,
    Qt,
)
from PySide6.QtGui import QKeySequence, QPageLayout, QPageSize, QPainter, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
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
from dnt_desktop.pdf import render_aftercare, write_atomically
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import AftercareSheet, Delivery
from dnt_desktop.services.dates import local, long_date

from ..context import AppContext
from ..feedback import guarded
from ..style import MUTED_TEXT, OK_TEXT
from ..widgets.folders import documents_folder
from ..widgets.window_size import place_window
from .pdf_pages import PdfPages

TITLE = "Aftercare sheet"
MAX_PRINT_DPI = 300
"""Pages are printed as images; beyond 300 dpi they only get slower, not sharper."""
_FOLDER_KEY = "aftercare/save_folder"
_open_dialogs: set[AftercarePreviewDialog] = set()


def _delivery_text(rows: list[Delivery]) -> str:
    if not rows:
        return "Not yet printed or saved for the patient."
    last = rows[-1]
    when = local(last.delivered_at)
    verb = "Printed" if last.kind == DeliveryKind.PRINTED else "Saved"
    by = f" by {last.practitioner}" if last.practitioner else ""
    more = f" (given {len(rows)} times)" if len(rows) > 1 else ""
    return f"{verb} {long_date(when.date())} at {when:%H:%M}{by}{more}."


class AftercarePreviewDialog(QDialog):
    """The rendered pages of one session's sheet, with Print and Save as PDF.

    Raises NotFoundError (a ServiceError) when the session does not exist.
    """

    def __init__(self, ctx: AppContext, session_id: int, parent: QWidget | None = None) -> None:
        sheet = aftercare.load_sheet(ctx.db, session_id)  # before any widget exists
        super().__init__(parent)
        self.setObjectName("aftercare_preview")
        self.ctx = ctx
        self.session_id = session_id
        self.sheet: AftercareSheet = sheet
        self.pdf_bytes = render_aftercare(sheet)
        self.view = PdfPages(self)
        self.view.setAccessibleName("Pages of the aftercare sheet")
        self.view.show_pdf(self.pdf_bytes)
        self.document = self.view.pdf

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

        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.status)

        bottom = QHBoxLayout()
        for widget in (zoom_out, zoom_in, fit):
            bottom.addWidget(widget)
        pages = self.document.pageCount()
        bottom.addWidget(QLabel(f"{pages} page{'s' if pages != 1 else ''}"))
        bottom.addStretch(1)
        for widget in (self.save_button, self.print_button, close):
            bottom.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

    def _refresh_status(self) -> None:
        rows = guarded(self, TITLE, lambda: aftercare.deliveries(self.ctx.db, self.session_id))
        given = bool(rows)
        self.status.setText(_delivery_text(rows or []))
        colour = OK_TEXT if given else MUTED_TEXT
        self.status.setStyleSheet(f"color: {colour};")

    # --- print and save ------------------------------------------------------------------

    def print_sheet(self) -> bool:
        """Ask for a printer (system dialog), print, and record the delivery."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self.prepare_printer(printer)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print {TITLE.lower()}")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.print_to(printer)

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
        """Print every page on *printer*, then record the delivery.

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
        where = printer.printerName() or printer.outputFileName() or "printer"
        return self._record(DeliveryKind.PRINTED, f"printed on {where}")

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

    def save_to(self, path: Path) -> bool:
        """Write the PDF to *path* (temp file and rename) and record the delivery."""
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
        return self._record(DeliveryKind.SAVED, f"saved as {path}")

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
        self.ctx.hub.notify("session", self.session_id, delivery.patient_id)
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
