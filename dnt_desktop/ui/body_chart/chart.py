"""The body chart widget: front and back figures side by side, with numbered point markers.

The chart shows the rows of a table model as markers (read through ``MarkerRole`` from
column 0) and shares the table's selection model, so selecting a row highlights its
marker and clicking a marker selects its row. It never changes the model itself: it asks
for changes through signals (``add_requested``, ``move_requested``, ``delete_requested``)
and the owner decides.

Mouse: click on the figure to ask for a new point; press on a marker and drag to move
it (dropping off the figure puts it back); double-click a marker to edit it; hover to
see the region and its muscles (the one under the pointer first, its area shaded).
Keyboard: arrows move the selected marker (Shift for bigger steps), Enter edits it,
Delete removes it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from dnt_desktop.models.catalogue import Muscle
from dnt_desktop.services import body_map
from dnt_desktop.services.rules import SUPERFICIAL_MAX_MM

from . import palette
from .geometry import figure_paths, unit_transform
from .roles import MarkerRole

VIEWS: tuple[str, ...] = ("front", "back")
_TITLES = {"front": "Front", "back": "Back"}
_MARGIN = 10.0
_TITLE_HEIGHT = 24.0
_LEGEND_ROW = 20.0
_LEGEND_SPACING = 16.0
_SWATCH = 12.0
_GAP = 18.0
_NUDGE = 0.004
MINIMUM_SIZE = QSize(260, 180)
"""Small enough for the session editor on 1366x768 at 125%; both figures stay usable."""
_BIG_NUDGE = 0.02


@dataclass(frozen=True)
class Marker:
    """One point as the chart draws it."""

    row: int
    view: str
    x: float
    y: float
    depth_class: str
    summary: str
    has_problem: bool
    copied: bool = False


@dataclass
class _Press:
    """A left-button press: on a marker (``row``) or on the figure (``row`` is None)."""

    row: int | None
    view: str
    pos: QPointF
    dragging: bool = False


class BodyChartWidget(QWidget):
    """Front and back views of the body on which needling points are placed."""

    add_requested = Signal(str, float, float)
    """A click on the figure: view, normalised x, normalised y."""
    move_requested = Signal(int, float, float)
    """A marker was dragged (or nudged) to a new place on its view: row, x, y."""
    delete_requested = Signal(int)
    """Delete was pressed with a marker selected: row."""
    marker_activated = Signal(int)
    """A marker was double-clicked (or Enter pressed on it): row."""
    hover_text_changed = Signal(str)
    """What is under the mouse ('' when nothing): region and its muscles, or a point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model: QAbstractItemModel | None = None
        self._selection: QItemSelectionModel | None = None
        self._read_only = False
        self._lung_zones_visible = False
        self._hover: tuple[str, str, str] | None = None
        """View, region code and the muscle whose area is under the mouse ('' if none)."""
        self._hover_text = ""
        self._press: _Press | None = None
        self._drag_xy: tuple[float, float] | None = None
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(MINIMUM_SIZE)
        self.setAccessibleName("Body chart")
        self.setAccessibleDescription(
            "Front and back views of the body. Click the figure to add a needling point, "
            "drag a point to move it, arrow keys move the selected point, Enter edits it, "
            "Delete removes it."
        )
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    # --- wiring ----------------------------------------------------------------------

    def set_model(self, model: QAbstractItemModel, selection: QItemSelectionModel) -> None:
        """Show the rows of *model* as markers, highlighting those *selection* selects."""
        self._model = model
        self._selection = selection
        for signal in (
            model.dataChanged,
            model.rowsInserted,
            model.rowsRemoved,
            model.modelReset,
            model.layoutChanged,
        ):
            signal.connect(self._model_changed)
        # Bound slots, not lambdas: Qt drops the connection when this widget is destroyed,
        # whereas a lambda would keep a dead widget reachable from the selection model.
        selection.selectionChanged.connect(self._selection_changed)
        selection.currentChanged.connect(self._selection_changed)
        self.update()

    def _selection_changed(self, *_args: object) -> None:
        self.update()

    def set_read_only(self, read_only: bool) -> None:
        """Refuse to add, move or delete points (markers can still be selected)."""
        self._read_only = read_only
        self._press = None
        self._drag_xy = None
        self.update()

    def selection_model(self) -> QItemSelectionModel | None:
        """The selection shared with the table."""
        return self._selection

    def is_read_only(self) -> bool:
        """Whether points can be added, moved or deleted."""
        return self._read_only

    def set_lung_zones_visible(self, visible: bool) -> None:
        """Shade the areas over the lungs (pneumothorax risk) on both views."""
        self._lung_zones_visible = visible
        self.update()

    def lung_zones_visible(self) -> bool:
        """Whether the lung risk zones are shaded."""
        return self._lung_zones_visible

    def _model_changed(self, *_args: object) -> None:
        self._press = None if self._press and self._press.row is not None else self._press
        self._drag_xy = None
        self.update()

    # --- geometry (also the testing API) ---------------------------------------------

    def view_rect(self, view: str) -> QRectF:
        """The widget rectangle onto which *view*'s normalised unit box is drawn."""
        return self._layout()[view]

    def to_widget(self, view: str, x: float, y: float) -> QPointF:
        """Widget coordinates of the normalised point (*x*, *y*) of *view*."""
        box = self.view_rect(view)
        return QPointF(box.left() + x * box.width(), box.top() + y * box.height())

    def to_normalised(self, pos: QPointF) -> tuple[str, float, float] | None:
        """The view and normalised position under *pos*, or None outside both boxes."""
        for view, box in self._layout().items():
            if box.contains(pos) and box.width() > 0:
                x = (pos.x() - box.left()) / box.width()
                y = (pos.y() - box.top()) / box.height()
                return view, x, y
        return None

    def marker_position(self, row: int) -> QPointF:
        """Where the marker of *row* is drawn (widget coordinates)."""
        for marker in self.markers():
            if marker.row == row:
                return self.to_widget(marker.view, marker.x, marker.y)
        raise IndexError(f"No marker for row {row}")

    def marker_at(self, pos: QPointF) -> int | None:
        """The row of the topmost marker under *pos*, or None."""
        radius = self.marker_radius() + 3
        for marker in reversed(self._draw_order()):
            if _distance(self._marker_centre(marker), pos) <= radius:
                return marker.row
        return None

    def markers(self) -> list[Marker]:
        """The model's points as markers, in row order."""
        model = self._model
        if model is None:
            return []
        result = []
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            view = index.data(MarkerRole.VIEW)
            x = index.data(MarkerRole.X)
            y = index.data(MarkerRole.Y)
            if view not in VIEWS or x is None or y is None:
                continue
            result.append(
                Marker(
                    row=row,
                    view=view,
                    x=float(x),
                    y=float(y),
                    depth_class=str(index.data(MarkerRole.DEPTH_CLASS) or ""),
                    summary=str(index.data(MarkerRole.SUMMARY) or ""),
                    has_problem=bool(index.data(MarkerRole.HAS_PROBLEM)),
                    copied=bool(index.data(MarkerRole.COPIED)),
                )
            )
        return result

    def _layout(self) -> dict[str, QRectF]:
        area = QRectF(self.rect()).adjusted(
            _MARGIN, _MARGIN + _TITLE_HEIGHT, -_MARGIN, -(_MARGIN + self._legend_height())
        )
        column_width = max((area.width() - _GAP) / 2, 1.0)
        # One scale for both views, so front and back line up.
        height = max(
            min([area.height()] + [column_width / figure_paths(v).aspect for v in VIEWS]), 1.0
        )
        top = area.top() + (area.height() - height) / 2
        boxes = {}
        for i, view in enumerate(VIEWS):
            width = height * figure_paths(view).aspect
            left = area.left() + i * (column_width + _GAP) + (column_width - width) / 2
            boxes[view] = QRectF(left, top, width, height)
        return boxes

    def marker_radius(self) -> float:
        """The markers' radius in pixels (it follows the figure's size)."""
        height = min(box.height() for box in self._layout().values())
        return max(7.0, min(12.0, height * 0.019))

    def _marker_centre(self, marker: Marker) -> QPointF:
        if self._drag_xy is not None and self._press is not None and self._press.row == marker.row:
            return self.to_widget(marker.view, *self._drag_xy)
        return self.to_widget(marker.view, marker.x, marker.y)

    def selected_rows(self) -> set[int]:
        """Rows whose markers are drawn as selected."""
        if self._selection is None:
            return set()
        rows = {index.row() for index in self._selection.selectedRows()}
        if not rows:
            rows = {index.row() for index in self._selection.selectedIndexes()}
        return rows

    def _current_row(self) -> int | None:
        rows = self.selected_rows()
        if self._selection is not None:
            current = self._selection.currentIndex()
            if current.isValid() and current.row() in rows:
                return current.row()
        return min(rows) if rows else None

    def _draw_order(self) -> list[Marker]:
        selected = self.selected_rows()
        markers = self.markers()
        return [m for m in markers if m.row not in selected] + [
            m for m in markers if m.row in selected
        ]

    # --- size ------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(560, 620)

    def minimumSizeHint(self) -> QSize:
        return MINIMUM_SIZE

    # --- painting --------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        layout = self._layout()
        for view, box in layout.items():
            self._paint_view(painter, view, box)
        radius = self.marker_radius()
        selected = self.selected_rows()
        for marker in self._draw_order():
            self._paint_marker(painter, marker, radius, marker.row in selected)
        self._paint_legend(painter)
        if self.hasFocus():
            pen = QPen(QColor("#1f5f99"), 1, Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -2, -2))
        painter.end()

    def _paint_view(self, painter: QPainter, view: str, box: QRectF) -> None:
        paths = figure_paths(view)
        transform = unit_transform(box)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_font.setPointSizeF(self.font().pointSizeF() + 1.5)
        painter.setFont(title_font)
        painter.setPen(palette.TEXT)
        title_rect = QRectF(box.left(), box.top() - _TITLE_HEIGHT, box.width(), _TITLE_HEIGHT)
        painter.drawText(title_rect, Qt.AlignmentFlag.AlignCenter, _TITLES[view])

        painter.save()
        painter.setTransform(transform, combine=True)
        outline_pen = QPen(palette.FIGURE_STROKE, palette.OUTLINE_WIDTH)
        outline_pen.setCosmetic(True)
        outline_pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(outline_pen)
        painter.setBrush(palette.FIGURE_FILL)
        painter.drawPath(paths.outline)
        if self._hover is not None and self._hover[0] == view:
            region_path = paths.regions.get(self._hover[1])
            if region_path is not None:
                pen = QPen(palette.REGION_HOVER_STROKE, 1.0)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.setBrush(palette.REGION_HOVER)
                painter.drawPath(region_path)
            area_path = paths.areas.get(self._hover[1:])
            if area_path is not None:  # the muscle a click would suggest first
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(palette.AREA_HOVER)
                painter.drawPath(area_path)
        detail_pen = QPen(palette.DETAIL_STROKE, palette.DETAIL_WIDTH)
        detail_pen.setCosmetic(True)
        detail_pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(detail_pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(paths.details)
        if self._lung_zones_visible:
            lung_pen = QPen(palette.LUNG_STROKE, 1.2, Qt.PenStyle.DashLine)
            lung_pen.setCosmetic(True)
            painter.setPen(lung_pen)
            painter.setBrush(palette.LUNG_FILL)
            painter.drawPath(paths.lung_zones)
        painter.restore()
        self._paint_side_marks(painter, view, box)

    def _paint_side_marks(self, painter: QPainter, view: str, box: QRectF) -> None:
        """'R' and 'L' beside the head: the patient's sides as the viewer sees them."""
        left, right = ("R", "L") if view == "front" else ("L", "R")
        size = max(16.0, min(24.0, box.height() * 0.035))
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(int(size * 0.62))
        painter.setFont(font)
        for letter, fx in ((left, 0.14), (right, 0.86)):
            centre = QPointF(box.left() + fx * box.width(), box.top() + 0.07 * box.height())
            rect = QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size)
            painter.setPen(QPen(palette.SIDE_MARK, 1.4))
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(rect)
            painter.setPen(palette.SIDE_MARK)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)

    def _paint_marker(
        self, painter: QPainter, marker: Marker, radius: float, selected: bool
    ) -> None:
        centre = self._marker_centre(marker)
        if selected:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.SELECTED_HALO)
            painter.drawEllipse(centre, radius + 5, radius + 5)
        painter.setPen(QPen(QColor("#ffffff"), 1.5))
        painter.setBrush(QBrush(palette.depth_colour(marker.depth_class)))
        painter.drawEllipse(centre, radius, radius)
        if selected:
            painter.setPen(QPen(palette.SELECTED_RING, 2.2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 1.6, radius + 1.6)
        if marker.has_problem:
            painter.setPen(QPen(palette.PROBLEM_RING, 2.0, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 3.5, radius + 3.5)
        elif marker.copied:
            painter.setPen(QPen(palette.COPIED_RING, 2.0, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(centre, radius + 3.5, radius + 3.5)
        font = QFont(self.font())
        font.setBold(True)
        number = str(marker.row + 1)
        font.setPixelSize(max(8, int(radius * (1.15 if len(number) < 2 else 0.95))))
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        rect = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, number)

    def _legend_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(7.5, self.font().pointSizeF() - 0.5))
        return font

    def legend_items(self) -> list[tuple[str, QColor, str]]:
        """What the legend explains: (kind, colour, text) for each swatch."""
        items: list[tuple[str, QColor, str]] = [
            ("dot", palette.SUPERFICIAL, f"Superficial (≤ {SUPERFICIAL_MAX_MM:g} mm)"),
            ("dot", palette.DEEP, "Deep"),
        ]
        if self._lung_zones_visible:
            items.append(("zone", palette.LUNG_STROKE, "Lung risk zone"))
        markers = self.markers()
        if any(marker.has_problem for marker in markers):
            items.append(("problem", palette.PROBLEM_RING, "Needs fixing"))
        if any(marker.copied and not marker.has_problem for marker in markers):
            items.append(("copied", palette.COPIED_RING, "Copied, to confirm"))
        return items

    def legend_rows(self) -> list[list[tuple[tuple[str, QColor, str], float]]]:
        """The legend's items (with their widths) in rows that fit the chart's width."""
        metrics = QFontMetricsF(self._legend_font())
        room = self.width() - 2 * _MARGIN
        rows: list[list[tuple[tuple[str, QColor, str], float]]] = [[]]
        used = 0.0
        for item in self.legend_items():
            width = _SWATCH + 5 + metrics.horizontalAdvance(item[2]) + 2
            if rows[-1] and used + _LEGEND_SPACING + width > room:
                rows.append([])
                used = 0.0
            used += (_LEGEND_SPACING if rows[-1] else 0) + width
            rows[-1].append((item, width))
        return rows

    def _legend_height(self) -> float:
        return _LEGEND_ROW * len(self.legend_rows()) + 6

    def _paint_legend(self, painter: QPainter) -> None:
        painter.setFont(self._legend_font())
        rows = self.legend_rows()
        y = self.height() - _MARGIN - _LEGEND_ROW * len(rows) + _LEGEND_ROW / 2
        for row in rows:
            total = sum(width for _item, width in row) + _LEGEND_SPACING * (len(row) - 1)
            x = max(_MARGIN, (self.width() - total) / 2)
            for (kind, colour, text), width in row:
                self._paint_legend_item(painter, kind, colour, text, QRectF(x, y - 10, width, 20))
                x += width + _LEGEND_SPACING
            y += _LEGEND_ROW

    @staticmethod
    def _paint_legend_item(
        painter: QPainter, kind: str, colour: QColor, text: str, rect: QRectF
    ) -> None:
        x, y = rect.left(), rect.center().y()
        swatch = QRectF(x, y - _SWATCH / 2, _SWATCH, _SWATCH)
        if kind == "dot":
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(colour)
            painter.drawEllipse(swatch)
        elif kind in ("problem", "copied"):
            style = Qt.PenStyle.DashLine if kind == "problem" else Qt.PenStyle.DotLine
            painter.setPen(QPen(colour, 1.6, style))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(swatch)
        else:
            painter.setPen(QPen(colour, 1, Qt.PenStyle.DashLine))
            painter.setBrush(palette.LUNG_FILL)
            painter.drawRect(swatch)
        painter.setPen(palette.TEXT)
        painter.drawText(
            QRectF(x + _SWATCH + 5, rect.top(), rect.width() - _SWATCH - 5, rect.height()),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            text,
        )

    # --- mouse -----------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = QPointF(event.position())
        row = self.marker_at(pos)
        if row is not None:
            self._select_row(row)
            marker = next(m for m in self.markers() if m.row == row)
            self._press = None if self._read_only else _Press(row, marker.view, pos)
            return
        located = self.to_normalised(pos)
        if located is None or self._read_only:
            self._press = None
            return
        view, x, y = located
        self._press = _Press(None, view, pos) if body_map.inside_figure(view, x, y) else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = QPointF(event.position())
        press = self._press
        if press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = (pos - press.pos).manhattanLength()
            if moved >= QApplication.startDragDistance():
                press.dragging = True
            if press.row is not None and press.dragging:
                box = self.view_rect(press.view)
                x = min(max((pos.x() - box.left()) / box.width(), 0.0), 1.0)
                y = min(max((pos.y() - box.top()) / box.height(), 0.0), 1.0)
                self._drag_xy = (x, y)
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self.update()
                return
        self._update_hover(pos)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mouseReleaseEvent(event)
            return
        press, drag = self._press, self._drag_xy
        self._press = None
        self._drag_xy = None
        self.update()
        if press is None or self._read_only:
            return
        if press.row is not None:
            if press.dragging and drag is not None:
                if body_map.inside_figure(press.view, *drag):
                    self.move_requested.emit(press.row, drag[0], drag[1])
                else:
                    self._set_hover_text("A point must lie on the figure: it was put back.")
            self._update_hover(QPointF(event.position()))
            return
        if not press.dragging:
            located = self.to_normalised(press.pos)
            if located is not None:
                self.add_requested.emit(*located)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        # The first click already did its work; a double-click never adds a second point.
        if event.button() == Qt.MouseButton.LeftButton:
            row = self.marker_at(QPointF(event.position()))
            if row is not None:
                self.marker_activated.emit(row)
            return
        super().mouseDoubleClickEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        self._set_hover_text("")
        super().leaveEvent(event)

    def _update_hover(self, pos: QPointF) -> None:
        row = self.marker_at(pos)
        hover: tuple[str, str, str] | None = None
        text = ""
        if row is not None:
            marker = next(m for m in self.markers() if m.row == row)
            text = marker.summary
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if self._read_only
                else Qt.CursorShape.OpenHandCursor
            )
        else:
            located = self.to_normalised(pos)
            region = body_map.region_at(*located) if located else None
            if located is not None and region is not None:
                area = region.area_at(*located[1:])
                hover = (located[0], region.code, area.muscle if area else "")
                text = _hover_text(region.label, body_map.suggest_muscles(*located))
            on_figure = located is not None and body_map.inside_figure(*located)
            self.setCursor(
                Qt.CursorShape.CrossCursor
                if on_figure and not self._read_only
                else Qt.CursorShape.ArrowCursor
            )
        if hover != self._hover:
            self._hover = hover
            self.update()
        self._set_hover_text(text)

    def _set_hover_text(self, text: str) -> None:
        if text != self._hover_text:
            self._hover_text = text
            self.hover_text_changed.emit(text)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.marker_at(QPointF(event.pos()))
            if row is not None:
                marker = next(m for m in self.markers() if m.row == row)
                QToolTip.showText(event.globalPos(), marker.summary, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # --- keyboard --------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self._current_row()
        key = event.key()
        if row is not None and not self._read_only:
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.delete_requested.emit(row)
                return
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.marker_activated.emit(row)
                return
            step = _BIG_NUDGE if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else _NUDGE
            deltas = {
                Qt.Key.Key_Left: (-step, 0.0),
                Qt.Key.Key_Right: (step, 0.0),
                Qt.Key.Key_Up: (0.0, -step),
                Qt.Key.Key_Down: (0.0, step),
            }
            if key in deltas:
                marker = next(m for m in self.markers() if m.row == row)
                dx, dy = deltas[key]
                x = min(max(marker.x + dx, 0.0), 1.0)
                y = min(max(marker.y + dy, 0.0), 1.0)
                if body_map.inside_figure(marker.view, x, y):
                    self.move_requested.emit(row, x, y)
                return
        super().keyPressEvent(event)

    def _select_row(self, row: int) -> None:
        if self._selection is None or self._model is None:
            return
        index: QModelIndex = self._model.index(row, 0)
        self._selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )


def _hover_text(label: str, muscles: tuple[Muscle, ...]) -> str:
    """'Left calf: Soleus (also Gastrocnemius (medial head), ...)': the first is clicked."""
    if not muscles:
        return label
    first, *others = (m.name for m in muscles)
    also = f" (also {', '.join(others)})" if others else ""
    return f"{label}: {first}{also}"


def _distance(a: QPointF, b: QPointF) -> float:
    delta = a - b
    return float((delta.x() ** 2 + delta.y() ** 2) ** 0.5)
