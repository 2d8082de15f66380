"""The body chart and the point table, kept in step through one model and one selection.

``PointsPane`` owns the point model and builds two panels the editor lays out: the chart
panel (figures, lung-zone toggle, what is under the mouse) and the table panel (points,
the problems line, add/remove buttons).
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import body_map
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.rules import RuleSettings
from dnt_desktop.ui.body_chart import BodyChartWidget
from dnt_desktop.ui.body_chart.geometry import anchor_point
from dnt_desktop.ui.widgets.column_fit import CELL_PADDING, Column, ColumnFit
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.editable_table import EditableTableView

from .point_defaults import new_point_at
from .point_delegate import PointDelegate
from .points_model import PointColumn, PointTableModel

LUNG_ZONES_SETTING = "session_editor/show_lung_zones"
CHART_HINT = "Click to add a point · drag to move · double-click to edit · Del removes"
_WIDEST_VALUES = {
    PointColumn.NUMBER: "↻00",
    PointColumn.SIDE: "Midline",
    PointColumn.DEPTH_CLASS: "Superficial",
    PointColumn.DEPTH_MM: "00.0",
    PointColumn.NEEDLE_GAUGE_MM: "0.25",
    PointColumn.NEEDLE_LENGTH_MM: "75",
    PointColumn.INSERTIONS: "00",
    PointColumn.TECHNIQUE: "Pistoning",
}
"""The longest value of each short column: it never changes width while points change."""
CHECK_WIDTH = 22
"""Room for a check box in front of the twitch column's Yes/No."""


def _titled_panel(name: str, title: QLabel, corner: QWidget) -> tuple[QWidget, QVBoxLayout]:
    """A panel with *title* over its content, *corner* at the right; returns its layout."""
    panel = QWidget()
    panel.setObjectName(name)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    title.setProperty("role", "section")
    top = QHBoxLayout()
    top.addWidget(title)
    top.addStretch(1)
    top.addWidget(corner)
    layout.addLayout(top)
    return panel, layout


class HintLabel(QLabel):
    """A hint of at most two lines, wrapped at words; a longer text is shortened at the
    end of a word with '…' (the whole text is the tooltip and the accessible description)."""

    LINES = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(True)
        self.setMinimumWidth(10)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * self.LINES + 2)

    def set_full_text(self, text: str) -> None:
        """Show *text*, shortened if it needs more than two lines."""
        self._full = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._fit()

    def full_text(self) -> str:
        """The text before shortening."""
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fits(self, text: str) -> bool:
        self.setText(text)
        return self.heightForWidth(max(self.width(), 10)) <= self.height()

    def _fit(self) -> None:
        if self._fits(self._full or " "):
            return
        words = self._full.split()
        low, high = 0, len(words)
        while low < high:  # the most words that still fit with the ellipsis
            middle = (low + high + 1) // 2
            if self._fits(" ".join(words[:middle]) + " …"):
                low = middle
            else:
                high = middle - 1
        self.setText(" ".join(words[:low]) + " …")


class PointsPane(QObject):
    """Chart panel and table panel over one ``PointTableModel``."""

    changed = Signal()
    """Points were added, removed or edited."""
    table_wanted = Signal()
    """The point table should be in view (a point was added, its muscle is to be chosen)."""
    status_message = Signal(str)
    """A short note for the status bar (what a move changed, why a drop was refused)."""

    def __init__(self, settings: RuleSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read_only = False
        self.model = PointTableModel(settings, self)
        self.table = self._build_table()
        self.selection: QItemSelectionModel = self.table.selectionModel()
        self.chart = BodyChartWidget()
        self.chart.set_model(self.model, self.selection)
        self.chart_panel = self._build_chart_panel()
        self.table_panel = self._build_table_panel()
        self._connect()
        self._update_problems()

    # --- building --------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = EditableTableView()
        table.setObjectName("point_table")
        table.setAccessibleName("Needling points")
        table.setAccessibleDescription(
            "One row per point. Arrow keys move between cells, F2 or typing edits a cell, "
            "Tab moves on to the next control."
        )
        table.setModel(self.model)
        table.setItemDelegate(PointDelegate(table))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        table.setAlternatingRowColors(True)
        table.setWordWrap(True)  # a long muscle name wraps at a word, never cut in the middle
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(26)
        rows.setDefaultSectionSize(26)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setHighlightSections(False)
        metrics = table.fontMetrics()
        columns = {
            column: Column(natural=metrics.horizontalAdvance(text) + CELL_PADDING)
            for column, text in _WIDEST_VALUES.items()
        }
        columns[PointColumn.TWITCH_RESPONSE] = Column(
            natural=metrics.horizontalAdvance("Yes") + CELL_PADDING + CHECK_WIDTH
        )
        columns[PointColumn.MUSCLE_CODE] = Column(minimum=140)  # wraps when narrowed
        columns[PointColumn.NOTES] = Column(natural=120, minimum=70)
        self.columns = ColumnFit(table, columns, stretch=PointColumn.NOTES)
        return table

    def _build_chart_panel(self) -> QWidget:
        self.lung_toggle = QCheckBox("Show lung risk zones")
        self.lung_toggle.setAccessibleName("Show lung risk zones")
        self.lung_toggle.setToolTip(
            "Shade the areas over the lungs, where deep needling risks a pneumothorax"
        )
        self.lung_toggle.setChecked(bool(QSettings().value(LUNG_ZONES_SETTING, True, bool)))
        self.chart.set_lung_zones_visible(self.lung_toggle.isChecked())
        panel, layout = _titled_panel("chart_panel", QLabel("Body chart"), self.lung_toggle)
        layout.addWidget(self.chart, 1)
        self.hover_label = HintLabel()
        self.hover_label.setProperty("role", "hint")
        self.hover_label.setAccessibleName("Region under the mouse")
        layout.addWidget(self.hover_label)
        self._show_hover("")
        return panel

    def _build_table_panel(self) -> QWidget:
        self.title_label = QLabel()
        self.edit_hint = QLabel("Double-click or F2 to edit · ⚠ pneumothorax-risk muscle")
        self.edit_hint.setProperty("role", "hint")
        panel, layout = _titled_panel("points_panel", self.title_label, self.edit_hint)
        layout.addWidget(self._build_copied_bar())
        layout.addWidget(self.table, 1)
        self.message_label = QLabel()
        self.message_label.setObjectName("point_problems")
        self.message_label.setProperty("role", "error")
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Problems with the points")
        self.message_label.setVisible(False)
        layout.addWidget(self.message_label)
        self.buttons_row = QWidget()
        buttons = QHBoxLayout(self.buttons_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        add_label = QLabel("Add a point at:")
        self.region_box = WideComboBox()
        self.region_box.setAccessibleName("Region for a new point")
        self.region_box.setMinimumContentsLength(22)
        self.region_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for view in ("front", "back"):
            for region in body_map.figure(view).regions:
                self.region_box.addItem(f"{view.capitalize()}: {region.label}", (view, region.code))
        add_label.setBuddy(self.region_box)
        self.add_button = QPushButton("&Add point")
        self.add_button.setAccessibleName("Add a point at the chosen region")
        self.remove_button = QPushButton("&Remove point")
        self.remove_button.setAccessibleName("Remove the selected point")
        self.remove_button.setToolTip("Remove the selected point (Delete)")
        buttons.addWidget(add_label)
        buttons.addWidget(self.region_box, 1)
        buttons.addWidget(self.add_button)
        buttons.addStretch(0)
        buttons.addWidget(self.remove_button)
        layout.addWidget(self.buttons_row)
        return panel

    def _build_copied_bar(self) -> QWidget:
        """The amber bar over the table while copied points wait to be confirmed."""
        self.copied_bar = QWidget()
        self.copied_bar.setObjectName("copied_bar")
        self.copied_bar.setStyleSheet(
            "#copied_bar { background: #fff3cd; border: 1px solid #e0b84c; border-radius: 4px; }"
        )
        row = QHBoxLayout(self.copied_bar)
        row.setContentsMargins(8, 4, 4, 4)
        self.copied_label = QLabel()
        self.copied_label.setObjectName("copied_label")
        self.copied_label.setWordWrap(True)
        self.confirm_copied_button = QPushButton("Confirm copied points")
        self.confirm_copied_button.setObjectName("confirm_copied")
        self.confirm_copied_button.setToolTip(
            "Confirm every point still marked ↻ as checked for today (Ctrl+K)"
        )
        self.confirm_copied_button.setAccessibleName("Confirm copied points")
        row.addWidget(self.copied_label, 1)
        row.addWidget(self.confirm_copied_button)
        self.copied_bar.setVisible(False)
        return self.copied_bar

    def confirm_copied(self) -> int:
        """Confirm every point still marked as copied; returns how many."""
        if self._read_only:
            return 0
        count = self.model.confirm_copied()
        if count:
            self.status_message.emit(f"{count} copied point{'s' if count != 1 else ''} confirmed.")
        return count

    def _update_copied(self) -> None:
        rows = self.model.copied_rows()
        if not rows or self._read_only:
            self.copied_bar.setVisible(False)
            return
        count = len(rows)
        points = "1 point" if count == 1 else f"{count} points"
        self.copied_label.setText(
            f"↻ {points} copied from {self.model.copied_from or 'an earlier session'}: "
            "check them, change what differs today, then confirm."
        )
        self.copied_bar.setAccessibleDescription(self.copied_label.text())
        self.copied_bar.setVisible(True)

    def _connect(self) -> None:
        self.confirm_copied_button.clicked.connect(self.confirm_copied)
        self.model.copied_changed.connect(self._update_copied)
        self.model.rowsRemoved.connect(lambda *_: self._update_copied())
        self.chart.add_requested.connect(self.add_at)
        self.chart.move_requested.connect(self.move)
        self.chart.delete_requested.connect(self.remove)
        self.chart.marker_activated.connect(self.edit_muscle)
        self.chart.hover_text_changed.connect(self._show_hover)
        self.lung_toggle.toggled.connect(self._lung_toggled)
        self.add_button.clicked.connect(self._add_at_region)
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.selection.selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.problems_changed.connect(self._update_problems)
        self.model.point_moved.connect(lambda _row, note: note and self.status_message.emit(note))
        for signal in (
            self.model.dataChanged,
            self.model.rowsInserted,
            self.model.rowsRemoved,
        ):
            signal.connect(lambda *_: self.changed.emit())

    # --- actions ---------------------------------------------------------------------

    def add_at(self, view: str, x: float, y: float) -> int | None:
        """Add a point at the normalised position; selects it and returns its row."""
        if self._read_only or not body_map.inside_figure(view, x, y):
            return None
        point = new_point_at(
            view,
            x,
            y,
            self.model.settings,
            self.model.previous_dimensions,
            self.model.clinical_state,
        )
        row = self.model.add_point(point)
        self.table_wanted.emit()
        self.select_row(row)
        if not point.muscle_code:
            self.status_message.emit(f"Point {row + 1}: choose the muscle in the table.")
        return row

    def _add_at_region(self) -> None:
        data = self.region_box.currentData()
        if data is None:
            return
        view, code = data
        row = self.add_at(view, *anchor_point(view, code))
        if row is not None:
            self.table.setFocus()

    def move(self, row: int, x: float, y: float) -> None:
        """Move the point of *row* (from a drag or the arrow keys)."""
        if self._read_only:
            return
        self.model.move_point(row, x, y)
        self.select_row(row)

    def edit_muscle(self, row: int) -> None:
        """Open the muscle list of the point of *row* in the table."""
        if self._read_only:
            return
        index = self.model.index(row, PointColumn.MUSCLE_CODE)
        self.table_wanted.emit()
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)

    def remove(self, row: int) -> None:
        """Remove the point of *row*; the others are renumbered."""
        if self._read_only or not 0 <= row < self.model.rowCount():
            return
        self.model.remove_point(row)
        self.selection.clearSelection()
        self.status_message.emit(f"Point {row + 1} removed; the points were renumbered.")

    def remove_selected(self) -> None:
        """Remove the selected point, if any."""
        row = self.selected_row()
        if row is not None:
            self.remove(row)

    def selected_row(self) -> int | None:
        """The selected point's row, or None."""
        rows = {index.row() for index in self.selection.selectedIndexes()}
        return min(rows) if rows else None

    def select_row(self, row: int) -> None:
        """Select the point of *row* in the table and on the chart."""
        index = self.model.index(row, PointColumn.MUSCLE_CODE)
        self.selection.setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    # --- state -----------------------------------------------------------------------

    def set_points(self, points: list[PointDraft]) -> None:
        """Show the stored points of a session."""
        self.model.set_points(points)
        self._update_buttons()
        self._update_copied()

    def points(self) -> list[PointDraft]:
        """The points as charted."""
        return self.model.points()

    def set_read_only(self, read_only: bool) -> None:
        """Lock the chart and the table (a signed session)."""
        self._read_only = read_only
        self.model.set_read_only(read_only)
        self.chart.set_read_only(read_only)
        self.region_box.setEnabled(not read_only)
        self.add_button.setEnabled(not read_only)
        self.buttons_row.setVisible(not read_only)
        self._update_copied()
        self._show_hover("")
        self.edit_hint.setText(
            "Read-only · ⚠ pneumothorax-risk muscle"
            if read_only
            else "Double-click or F2 to edit · ⚠ pneumothorax-risk muscle"
        )
        self._update_buttons()

    def focus_first_problem(self) -> None:
        """Select and scroll to the first cell that needs fixing."""
        index = self.model.first_problem_index()
        if index.isValid():
            self.table_wanted.emit()
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus()

    def _show_hover(self, text: str) -> None:
        if text:
            self.hover_label.set_full_text(text)
        elif self._read_only:
            self.hover_label.set_full_text("Signed session: the chart is read-only.")
        else:
            self.hover_label.set_full_text(CHART_HINT)

    def _lung_toggled(self, checked: bool) -> None:
        self.chart.set_lung_zones_visible(checked)
        QSettings().setValue(LUNG_ZONES_SETTING, checked)

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(not self._read_only and self.selected_row() is not None)
        count = self.model.rowCount()
        self.title_label.setText(f"Needling points ({count})" if count else "Needling points")

    def _update_problems(self) -> None:
        text = self.model.problem_text()
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
        self._update_buttons()
