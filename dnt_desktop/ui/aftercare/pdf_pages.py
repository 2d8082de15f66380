"""A scrollable view of every page of a PDF held in memory (QtPdf)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QGuiApplication
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget


class PdfPages(QPdfView):
    """All pages one below the other, fitted to the width; ``zoom`` scales them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Not children of the view: QPdfView crashes at exit when it owns its document.
        self.pdf = QPdfDocument(None)
        self._data = QByteArray()
        self._buffer: QBuffer | None = None
        self.setDocument(self.pdf)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.setPageSpacing(14)

    def show_pdf(self, data: bytes) -> None:
        """Display *data* (the bytes of a PDF), replacing what was shown."""
        self.pdf.close()
        if self._buffer is not None:
            self._buffer.close()
        self._data = QByteArray(data)
        self._buffer = QBuffer(self._data, None)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)

    def zoom(self, factor: float) -> None:
        """Scale the pages by *factor* (between 25 % and 400 %)."""
        self.setZoomMode(QPdfView.ZoomMode.Custom)
        self.setZoomFactor(max(0.25, min(4.0, self.zoomFactor() * factor)))

    def fit_width(self) -> None:
        """Fit the pages to the view's width again."""
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize *window* to *width* x *height*, shrunk to fit the screen it opens on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width, height = min(width, room.width() - 40), min(height, room.height() - 60)
    window.resize(width, height)
