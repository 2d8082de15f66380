"""An attachment shown inside the app: an image in a zoomable view, a PDF's pages (QtPdf).

Nothing is written to disk and no other program is started: the bytes go from the
database to Qt's image reader or QtPdf's renderer, which only draw them.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.attachments import AttachmentInfo
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.file_types import PDF, size_text
from dnt_desktop.ui.aftercare.pdf_pages import PdfPages
from dnt_desktop.ui.widgets.window_size import place_window


class ImageView(QScrollArea):
    """An image fitted to the width, zoomed with + and -."""

    def __init__(self, image: QImage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = image
        self.scale = 0.0  # 0: fit to width
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWidget(self.label)
        self.setWidgetResizable(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def zoom(self, factor: float) -> None:
        current = self.scale or self._fit_scale()
        self.scale = max(0.1, min(8.0, current * factor))
        self._render()

    def fit_width(self) -> None:
        self.scale = 0.0
        self._render()

    def _fit_scale(self) -> float:
        width = max(50, self.viewport().width() - 8)
        return min(1.0, width / max(1, self.image.width()))

    def _render(self) -> None:
        scale = self.scale or self._fit_scale()
        size = self.image.size() * scale
        pixmap = QPixmap.fromImage(self.image).scaled(
            size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.label.setPixmap(pixmap)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if not self.scale:
            self._render()


class AttachmentViewer(QDialog):
    """One attachment, read-only, with zoom; Esc closes."""

    def __init__(self, info: AttachmentInfo, data: bytes, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_viewer")
        self.info = info
        self.setWindowTitle(f"{info.kind_label} – {info.filename}")
        heading = QLabel(
            f"<b>{escape(info.filename)}</b> · {info.type_label}, {size_text(info.size)} · "
            f"added {format_date(info.added_at.astimezone().date())}"
            + (f" by {escape(info.added_by)}" if info.added_by else "")
        )
        heading.setWordWrap(True)
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading = heading
        self.problem = QLabel()
        self.problem.setProperty("role", "error")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        if info.mime == PDF.mime:
            pages = PdfPages(self)
            pages.setAccessibleName(f"Pages of {info.filename}")
            pages.show_pdf(data)
            self.view: QWidget = pages
            self.page_count = pages.pdf.pageCount()
            if self.page_count < 1:
                self._show_problem("This PDF has no page that can be shown (it may be damaged).")
        else:
            image = QImage.fromData(data)
            self.page_count = 1 if not image.isNull() else 0
            if image.isNull():
                self._show_problem("This image cannot be shown (it may be damaged).")
            view = ImageView(image, self)
            view.setAccessibleName(f"Image {info.filename}")
            self.view = view
        zoom_in = QPushButton("Zoom &in")
        zoom_in.setAccessibleName("Zoom in")
        zoom_in.clicked.connect(lambda: self.view.zoom(1.25))  # type: ignore[attr-defined]
        zoom_out = QPushButton("Zoom &out")
        zoom_out.setAccessibleName("Zoom out")
        zoom_out.clicked.connect(lambda: self.view.zoom(0.8))  # type: ignore[attr-defined]
        fit = QPushButton("&Fit width")
        fit.setAccessibleName("Fit to width")
        fit.clicked.connect(lambda: self.view.fit_width())  # type: ignore[attr-defined]
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        for button in (zoom_in, zoom_out, fit):
            button.setAutoDefault(False)
        close.setDefault(True)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.view.zoom(1.25))  # type: ignore[attr-defined]
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.view.zoom(0.8))  # type: ignore[attr-defined]
        buttons = QHBoxLayout()
        buttons.addWidget(zoom_out)
        buttons.addWidget(zoom_in)
        buttons.addWidget(fit)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.problem)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        place_window(self, "attachment_viewer", 860, 960)

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(True)
