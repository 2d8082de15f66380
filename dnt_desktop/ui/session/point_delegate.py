"""Cell editors of the point table: muscle list (suggested first), side, depth, needle."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItemModel
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QSpinBox,
    QStyleOptionViewItem,
    QWidget,
)

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import DepthClass, Side, Technique
from dnt_desktop.services.rules import SUPERFICIAL_MAX_MM
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

from .delegates import NumberChoiceBox, TableDelegate, choice_box
from .point_defaults import NEEDLE_GAUGES_MM, NEEDLE_LENGTHS_MM, suggested_muscle_codes
from .points_model import PointColumn, PointTableModel, muscle_label

Index = QModelIndex | QPersistentModelIndex


class MuscleComboBox(WideComboBox):
    """Muscles suggested for the point's region first, then every muscle of its view by
    region (headings are not selectable; typing the first letters jumps to a muscle)."""

    def __init__(self, view: str, suggested: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.setMaxVisibleItems(18)
        if suggested:
            self._heading("Suggested for this region")
            for code in suggested:
                self.addItem(muscle_label(code), code)
        for region in catalogue.regions():
            muscles = [m for m in catalogue.muscles_in_region(region.code) if view in m.views]
            if not muscles:
                continue
            self._heading(region.label)
            for muscle in muscles:
                self.addItem(muscle_label(muscle.code), muscle.code)

    def _heading(self, text: str) -> None:
        self.addItem(text, None)
        model = self.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(self.count() - 1)
        item.setEnabled(False)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(font)
        item.setData(text, Qt.ItemDataRole.AccessibleTextRole)

    def add_current(self, code: str) -> None:
        """Make sure *code* can be shown even if the view's list lacks it."""
        if code and self.findData(code) < 0:
            self.addItem(muscle_label(code), code)


class PointDelegate(TableDelegate):
    """Creates the editor of each point column."""

    one_line_columns = frozenset({PointColumn.NOTES})

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget | None:
        model = index.model()
        column = PointColumn(index.column())
        if column == PointColumn.MUSCLE_CODE and isinstance(model, PointTableModel):
            point = model.point(index.row())
            view = point.view.value
            box = MuscleComboBox(view, suggested_muscle_codes(view, point.x, point.y), parent)
            box.add_current(point.muscle_code)
            return self.prepare(box, "muscle_editor")
        if column == PointColumn.SIDE:
            items = [(side.value.capitalize(), side) for side in Side]
            return self.prepare(choice_box(parent, items), "side_editor")
        if column == PointColumn.DEPTH_CLASS:
            items = [
                (f"Superficial (≤ {SUPERFICIAL_MAX_MM:g} mm)", DepthClass.SUPERFICIAL),
                ("Deep", DepthClass.DEEP),
            ]
            return self.prepare(choice_box(parent, items), "depth_class_editor")
        if column == PointColumn.DEPTH_MM:
            spin = QDoubleSpinBox(parent)
            spin.setRange(0.5, max(NEEDLE_LENGTHS_MM))
            spin.setDecimals(1)
            spin.setSingleStep(1.0)
            spin.setSuffix(" mm")
            # Commit while typing, so a wrong depth is flagged at once.
            spin.valueChanged.connect(lambda _v, e=spin: e.hasFocus() and self.commitData.emit(e))
            return self.prepare(spin, "depth_editor")
        if column == PointColumn.NEEDLE_GAUGE_MM:
            gauge = NumberChoiceBox(NEEDLE_GAUGES_MM, 2, parent)
            return self.prepare(gauge, "gauge_editor")
        if column == PointColumn.NEEDLE_LENGTH_MM:
            length = NumberChoiceBox(NEEDLE_LENGTHS_MM, 0, parent)
            return self.prepare(length, "needle_length_editor")
        if column == PointColumn.INSERTIONS:
            spin_count = QSpinBox(parent)
            spin_count.setRange(1, catalogue.needle_sizes().max_insertions_per_point)
            return self.prepare(spin_count, "insertions_editor")
        if column == PointColumn.TECHNIQUE:
            items = [(t.value.capitalize(), t) for t in Technique]
            return self.prepare(choice_box(parent, items), "technique_editor")
        if column == PointColumn.NOTES:
            return self.prepare(LimitedLineEdit("point", "notes", parent), "point_notes_editor")
        return None
