"""A box the patient signs in with a mouse, a pen or a finger; the strokes become a PNG."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QTabletEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#10243a")
PEN_WIDTH = 2.4
EXPORT_SCALE = 2
"""The PNG is drawn at twice the box's size, so that the printed signature stays sharp."""


class SignatureBox(QWidget):
    """Strokes drawn with the left button (or a pen) held down; ``changed`` on each one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.strokes: list[list[QPointF]] = []
        self._drawing = False
        self.setAccessibleName("Signature box")
        self.setAccessibleDescription("The patient signs here with the mouse, a pen or a finger")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(360, 140))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)

    def sizeHint(self) -> QSize:
        return QSize(520, 170)

    # --- input -------------------------------------------------------------------------

    def _start(self, point: QPointF) -> None:
        self._drawing = True
        self.strokes.append([point])
        self.update()

    def _extend(self, point: QPointF) -> None:
        if self._drawing and self.strokes:
            self.strokes[-1].append(point)
            self.update()

    def _finish(self) -> None:
        if self._drawing:
            self._drawing = False
            self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._start(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._extend(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._extend(event.position())
            self._finish()

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._start(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._extend(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._finish()
        event.accept()

    # --- state -------------------------------------------------------------------------

    def is_empty(self) -> bool:
        """True until a stroke longer than a dot was drawn."""
        return not any(len(stroke) > 1 for stroke in self.strokes)

    def clear(self) -> None:
        self.strokes.clear()
        self.update()
        self.changed.emit()

    # --- drawing -----------------------------------------------------------------------

    def _paint_strokes(self, painter: QPainter, scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(INK, PEN_WIDTH * scale)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        for stroke in self.strokes:
            if len(stroke) == 1:
                painter.drawPoint(stroke[0] * scale)
                continue
            path = QPainterPath(stroke[0] * scale)
            for point in stroke[1:]:
                path.lineTo(point * scale)
            painter.drawPath(path)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        guide = QPen(QColor("#9aa7b3"), 1, Qt.PenStyle.DashLine)
        painter.setPen(guide)
        base = self.height() - 28
        painter.drawLine(16, base, self.width() - 16, base)
        painter.drawText(QRectF(16, base + 4, self.width() - 32, 20), "Sign above the line")
        if self.hasFocus():
            painter.setPen(QPen(QColor("#17506e"), 2))
        else:
            painter.setPen(QPen(QColor("#9aa7b3"), 1))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        self._paint_strokes(painter)
        painter.end()

    def image(self) -> QImage:
        """The signature on white, cropped to the strokes with a small margin."""
        size = self.size() * EXPORT_SCALE
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        self._paint_strokes(painter, EXPORT_SCALE)
        painter.end()
        points = [p for stroke in self.strokes for p in stroke]
        if not points:
            return image
        margin = 12 * EXPORT_SCALE
        left = max(0, int(min(p.x() for p in points) * EXPORT_SCALE) - margin)
        top = max(0, int(min(p.y() for p in points) * EXPORT_SCALE) - margin)
        right = min(size.width(), int(max(p.x() for p in points) * EXPORT_SCALE) + margin)
        bottom = min(size.height(), int(max(p.y() for p in points) * EXPORT_SCALE) + margin)
        return image.copy(left, top, max(1, right - left), max(1, bottom - top))

    def png(self) -> bytes:
        """The signature as PNG bytes."""
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image().save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())
