"""The patient's clinical alerts as a banner nobody can miss and no stylesheet can hide.

The banner paints its own background, symbols and text (the app stylesheet and palette
do not reach it): one strong red or amber bar per alert, bold title, the detail wrapped
over as many lines as it needs. Its minimum height always follows its width (layouts do
not ask a widget's height-for-width when they run short of room), so the layout around it
shrinks something else: the text of an alert is never cut off.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.ui import style

_PAD_X = 10
_PAD_Y = 6
_SYMBOL = 22
_GAP = 3


@dataclass(frozen=True)
class _Line:
    kind: str  # a Level value, or "ok"
    title: str
    detail: str

    @property
    def text(self) -> str:
        return f"{self.title}: {self.detail}" if self.detail else self.title


_COLOURS: dict[str, tuple[str, str]] = {
    Level.DANGER.value: (style.DANGER_BACKGROUND, style.DANGER_TEXT),
    Level.WARNING.value: (style.WARNING_BACKGROUND, style.WARNING_TEXT),
    Level.CAUTION.value: (style.CAUTION_BACKGROUND, style.CAUTION_TEXT),
    "ok": (style.OK_BACKGROUND, style.OK_TEXT),
}
_ORDER = {Level.DANGER.value: 0, Level.WARNING.value: 1, Level.CAUTION.value: 2, "ok": 3}
_PREFIX = {
    Level.DANGER.value: "DANGER",
    Level.WARNING.value: "WARNING",
    Level.CAUTION.value: "CAUTION",
    "ok": "",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class AlertBanner(QWidget):
    """Shows a list of alerts, most serious first; hidden when there is nothing to show."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lines: list[_Line] = []
        self._laid_out = False
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, False)
        self.setAutoFillBackground(True)
        own = QPalette()
        own.setColor(QPalette.ColorRole.Window, QColor(style.SURFACE))
        self.setPalette(own)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName("Clinical alerts")
        self.setVisible(False)

    # --- content ---------------------------------------------------------------------

    def set_alerts(self, alerts: Sequence[Alert], ok_text: str = "") -> None:
        """Show *alerts* (danger first); with none, show *ok_text* in green if given."""
        lines = [_Line(a.level.value, a.title, a.detail) for a in alerts]
        lines.sort(key=lambda line: _ORDER[line.kind])
        if not lines and ok_text:
            lines = [_Line("ok", ok_text, "")]
        self._lines = lines
        self.setAccessibleDescription(self.visible_text())
        self.setToolTip(self.visible_text())
        self.setVisible(bool(lines))
        self._fit_height()
        self.updateGeometry()
        self.update()

    def visible_text(self) -> str:
        """The text on screen, one line per alert."""
        return "\n".join(
            (f"{_PREFIX[line.kind]}: " if _PREFIX[line.kind] else "") + line.text
            for line in self._lines
        )

    def alert_count(self) -> int:
        """How many alerts (not counting the green all-clear line)."""
        return sum(1 for line in self._lines if line.kind != "ok")

    # --- geometry --------------------------------------------------------------------

    def _font(self) -> QFont:
        font = QFont(QApplication.font())
        font.setPointSizeF(max(font.pointSizeF(), style.BASE_POINT_SIZE) + 0.5)
        return font

    def _document(self, line: _Line, width: float) -> QTextDocument:
        _background, foreground = _COLOURS[line.kind]
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self)  # measured as it will be painted
        doc.setDocumentMargin(0)
        doc.setDefaultFont(self._font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        doc.setDefaultTextOption(option)
        prefix = _PREFIX[line.kind]
        title = f"{prefix}: {line.title}" if prefix else line.title
        detail = f" &mdash; {_escape(line.detail)}" if line.detail else ""
        doc.setHtml(f'<span style="color:{foreground}"><b>{_escape(title)}</b>{detail}</span>')
        doc.setTextWidth(max(width, 50.0))
        return doc

    def _text_width(self, width: int) -> float:
        return float(width - 2 * _PAD_X - _SYMBOL - 8)

    def _row_heights(self, width: int) -> list[int]:
        heights = []
        for line in self._lines:
            doc = self._document(line, self._text_width(width))
            heights.append(max(int(doc.size().height() + 0.99), _SYMBOL) + 2 * _PAD_Y)
        return heights

    def hasHeightForWidth(self) -> bool:
        return True

    def _fit_height(self) -> None:
        """Reserve the height the text needs at the current width (see the module doc).

        Not before the first layout: at the default width of an unplaced widget the
        text would ask for far more height than it will need, and the window would grow.
        """
        if not self._laid_out:
            return
        needed = self.heightForWidth(max(self.width(), 200)) if self._lines else 0
        if self.minimumHeight() != needed:
            self.setMinimumHeight(needed)

    def fully_shown(self) -> bool:
        """True when every line of every alert fits in the banner as laid out now."""
        return not self._lines or self.height() >= self.heightForWidth(self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._laid_out = True
        self._fit_height()

    def heightForWidth(self, width: int) -> int:
        heights = self._row_heights(width)
        return sum(heights) + _GAP * max(len(heights) - 1, 0)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        if not self._lines:
            return QSize(200, 0)
        # Before the first layout the width is a placeholder: estimate from the window's.
        width = self.width() if self._laid_out else self.window().width() - 40
        return QSize(200, self.heightForWidth(max(width, 200)))

    # --- painting --------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        top = 0
        width = self.width()
        for line, height in zip(self._lines, self._row_heights(width), strict=True):
            background, foreground = _COLOURS[line.kind]
            rect = QRectF(0, top, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(background))
            painter.drawRoundedRect(rect, 4, 4)
            symbol = QRectF(_PAD_X, top + (height - _SYMBOL) / 2, _SYMBOL, _SYMBOL)
            self._paint_symbol(painter, line.kind, symbol, QColor(foreground), QColor(background))
            doc = self._document(line, self._text_width(width))
            text_top = top + (height - doc.size().height()) / 2
            painter.save()
            painter.translate(_PAD_X + _SYMBOL + 8, text_top)
            doc.drawContents(painter)
            painter.restore()
            top += height + _GAP
        painter.end()

    def _paint_symbol(
        self, painter: QPainter, kind: str, rect: QRectF, fg: QColor, bg: QColor
    ) -> None:
        painter.save()
        if kind == "ok":
            pen = QPen(fg, 3)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            painter.setPen(pen)
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(rect.left() + 4, rect.center().y()),
                        QPointF(rect.left() + 9, rect.bottom() - 5),
                        QPointF(rect.right() - 3, rect.top() + 5),
                    ]
                )
            )
            painter.restore()
            return
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fg)
        if kind == Level.DANGER.value:
            painter.drawEllipse(rect)
        else:
            painter.drawPolygon(
                QPolygonF(
                    [
                        QPointF(rect.center().x(), rect.top()),
                        QPointF(rect.right(), rect.bottom()),
                        QPointF(rect.left(), rect.bottom()),
                    ]
                )
            )
        pen = QPen(bg, 3)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        cx = rect.center().x()
        top = rect.top() + (5 if kind == Level.DANGER.value else 8)
        painter.drawLine(QPointF(cx, top), QPointF(cx, rect.bottom() - 8))
        painter.drawPoint(QPointF(cx, rect.bottom() - 4))
        painter.restore()
