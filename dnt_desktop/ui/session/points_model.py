"""The needling points of the session as a table model (also read by the body chart).

Each row is one ``PointDraft``; its number is its row + 1, so deleting a point
renumbers the others. Validation is the rules' ``point_problems``: a cell with a problem
gets a red background and the message as tooltip, and ``problem_text()`` lists them all.

Depth class: while the user has not chosen the class, changing the depth sets it from
``depth_class_for``; once chosen, it stays and a wrong combination is shown as a problem.
Depth and needle follow the muscle while they are the defaults (see ``point_defaults``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import DepthClass, Side, Technique
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.rules import (
    Problem,
    RuleSettings,
    depth_class_for,
    describe_problems,
    point_problems,
)
from dnt_desktop.ui.body_chart import MarkerRole

from .point_defaults import default_dimensions, moved_point, with_dimensions

Index = QModelIndex | QPersistentModelIndex
LUNG_MARK = "⚠"
PROBLEM_BACKGROUND = QColor("#fde0dc")
PROBLEM_TEXT = QColor("#8e1b12")


class PointColumn(IntEnum):
    """The columns of the point table."""

    NUMBER = 0
    MUSCLE = 1
    SIDE = 2
    DEPTH_CLASS = 3
    DEPTH = 4
    GAUGE = 5
    LENGTH = 6
    INSERTIONS = 7
    TWITCH = 8
    TECHNIQUE = 9
    NOTES = 10


HEADERS: dict[PointColumn, tuple[str, str]] = {
    PointColumn.NUMBER: ("#", "Point number, as on the body chart"),
    PointColumn.MUSCLE: ("Muscle", f"Muscle needled ({LUNG_MARK} = pneumothorax risk)"),
    PointColumn.SIDE: ("Side", "The patient's side"),
    PointColumn.DEPTH_CLASS: ("Class", "Depth class: superficial (10 mm or less) or deep"),
    PointColumn.DEPTH: ("Depth\nmm", "Needling depth in mm"),
    PointColumn.GAUGE: ("Gauge\nmm", "Needle diameter in mm"),
    PointColumn.LENGTH: ("Needle\nmm", "Needle length in mm"),
    PointColumn.INSERTIONS: ("Ins.", "Number of insertions"),
    PointColumn.TWITCH: ("Twitch", "Local twitch response elicited"),
    PointColumn.TECHNIQUE: ("Technique", "Static or pistoning (fast-in fast-out)"),
    PointColumn.NOTES: ("Notes", "Notes on this point"),
}

_FIELD_COLUMNS: dict[str, tuple[PointColumn, ...]] = {
    "muscle_code": (PointColumn.MUSCLE,),
    "side": (PointColumn.SIDE,),
    "view": (PointColumn.NUMBER,),
    "position": (PointColumn.NUMBER,),
    "depth_mm": (PointColumn.DEPTH,),
    "depth_class": (PointColumn.DEPTH_CLASS,),
    "needle_length_mm": (PointColumn.LENGTH,),
    "needle_gauge_mm": (PointColumn.GAUGE,),
    "insertions": (PointColumn.INSERTIONS,),
    "technique": (PointColumn.TECHNIQUE,),
}


def muscle_label(code: str) -> str:
    """The muscle's name, marked when it carries a pneumothorax risk."""
    try:
        muscle = catalogue.muscle(code)
    except KeyError:
        return ""
    return f"{LUNG_MARK} {muscle.name}" if muscle.lung_risk else muscle.name


def number_text(value: float) -> str:
    """A measurement without trailing zeros (20, 0.25, 12.5)."""
    return f"{value:g}"


@dataclass
class _Row:
    point: PointDraft
    class_chosen: bool = False
    dimensions_chosen: bool = False
    problems: list[Problem] = field(default_factory=list)

    def check(self) -> None:
        self.problems = point_problems(self.point)

    def columns_with_problems(self) -> dict[PointColumn, list[str]]:
        found: dict[PointColumn, list[str]] = {}
        for problem in self.problems:
            for column in _FIELD_COLUMNS.get(problem.field, (PointColumn.NUMBER,)):
                found.setdefault(column, []).append(problem.message)
        return found


class PointTableModel(QAbstractTableModel):
    """The session's needling points, editable in a table and drawn on the body chart."""

    problems_changed = Signal()
    """The set of validation problems may have changed."""
    point_moved = Signal(int, str)
    """A point was moved: row and a note of what changed besides the position ('' if none)."""

    def __init__(self, settings: RuleSettings | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._settings = settings or RuleSettings()
        self._read_only = False

    # --- whole-model API -------------------------------------------------------------

    @property
    def settings(self) -> RuleSettings:
        """The clinic's rule thresholds (used for the defaults of new points)."""
        return self._settings

    def set_points(self, points: list[PointDraft]) -> None:
        """Show stored points (their class and needle count as chosen by the user)."""
        self.beginResetModel()
        self._rows = [_Row(replace(p), class_chosen=False, dimensions_chosen=True) for p in points]
        for row in self._rows:
            row.check()
        self.endResetModel()
        self.problems_changed.emit()

    def points(self) -> list[PointDraft]:
        """Copies of the points, in number order."""
        return [replace(row.point) for row in self._rows]

    def point(self, row: int) -> PointDraft:
        """A copy of the point of *row*."""
        return replace(self._rows[row].point)

    def set_read_only(self, read_only: bool) -> None:
        """Make every cell read-only (a signed session)."""
        self._read_only = read_only
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(PointColumn) - 1)
            )

    def add_point(self, point: PointDraft) -> int:
        """Append a new point (defaults still adjustable); returns its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        entry = _Row(replace(point))
        entry.check()
        self._rows.append(entry)
        self.endInsertRows()
        self.problems_changed.emit()
        return row

    def remove_point(self, row: int) -> None:
        """Remove the point of *row*; the following points are renumbered."""
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        if row < len(self._rows):
            self.dataChanged.emit(
                self.index(row, PointColumn.NUMBER),
                self.index(len(self._rows) - 1, PointColumn.NUMBER),
            )
        self.problems_changed.emit()

    def move_point(self, row: int, x: float, y: float) -> str:
        """Move the point of *row* on its view; returns a note of what else changed."""
        entry = self._rows[row]
        moved = moved_point(entry.point, x, y)
        point = moved.point
        notes = []
        if moved.muscle_changed:
            notes.append(f"muscle now {muscle_label(point.muscle_code) or 'not chosen'}")
            if not entry.dimensions_chosen:
                point = self._with_defaults(point)
        if moved.side_changed:
            notes.append(f"side now {point.side.value}")
        entry.point = point
        self._row_changed(row)
        note = f"Point {row + 1} moved: " + "; ".join(notes) if notes else ""
        self.point_moved.emit(row, note)
        return note

    def problems(self) -> list[Problem]:
        """Every point problem, fields prefixed 'points[i].' as the services name them."""
        return [
            replace(problem, field=f"points[{i}].{problem.field}")
            for i, row in enumerate(self._rows)
            for problem in row.problems
        ]

    def problem_text(self) -> str:
        """The problems as the message line under the table shows them."""
        return describe_problems(self.problems())

    def first_problem_index(self) -> QModelIndex:
        """The first cell with a problem (invalid index when there is none)."""
        for i, row in enumerate(self._rows):
            columns = row.columns_with_problems()
            if columns:
                return self.index(i, min(columns))
        return QModelIndex()

    def _with_defaults(self, point: PointDraft) -> PointDraft:
        return with_dimensions(point, default_dimensions(point.muscle_code, self._settings))

    def _row_changed(self, row: int) -> None:
        self._rows[row].check()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(PointColumn) - 1))
        self.problems_changed.emit()

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PointColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(PointColumn):
            return None
        title, tip = HEADERS[PointColumn(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = PointColumn(index.column())
        if self._read_only:
            return flags
        if column == PointColumn.TWITCH:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        elif column != PointColumn.NUMBER:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        point = entry.point
        column = PointColumn(index.column())
        if role >= MarkerRole.VIEW:
            return self._marker_data(index.row(), entry, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(index.row(), point, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(point, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == PointColumn.TWITCH:
            return Qt.CheckState.Checked if point.twitch_response else Qt.CheckState.Unchecked
        problems = entry.columns_with_problems().get(column)
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            if problems:
                return PROBLEM_TEXT
            if column == PointColumn.MUSCLE and not point.muscle_code:
                return QColor("#8a94a0")
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(point, column, problems)
        if role == Qt.ItemDataRole.FontRole and column == PointColumn.NUMBER:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            PointColumn.NUMBER,
            PointColumn.DEPTH,
            PointColumn.GAUGE,
            PointColumn.LENGTH,
            PointColumn.INSERTIONS,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: int, point: PointDraft, column: PointColumn) -> str | None:
        match column:
            case PointColumn.NUMBER:
                return str(row + 1)
            case PointColumn.MUSCLE:
                return muscle_label(point.muscle_code) or "Choose the muscle…"
            case PointColumn.SIDE:
                return point.side.value.capitalize()
            case PointColumn.DEPTH_CLASS:
                return point.depth_class.value.capitalize()
            case PointColumn.DEPTH:
                return number_text(point.depth_mm)
            case PointColumn.GAUGE:
                return f"{point.needle_gauge_mm:.2f}"
            case PointColumn.LENGTH:
                return number_text(point.needle_length_mm)
            case PointColumn.INSERTIONS:
                return str(point.insertions)
            case PointColumn.TWITCH:
                return "Yes" if point.twitch_response else "No"
            case PointColumn.TECHNIQUE:
                return point.technique.value.capitalize()
            case PointColumn.NOTES:
                return point.notes
        return None

    def _edit_value(self, point: PointDraft, column: PointColumn) -> Any:
        return {
            PointColumn.NUMBER: None,
            PointColumn.MUSCLE: point.muscle_code,
            PointColumn.SIDE: point.side,
            PointColumn.DEPTH_CLASS: point.depth_class,
            PointColumn.DEPTH: point.depth_mm,
            PointColumn.GAUGE: point.needle_gauge_mm,
            PointColumn.LENGTH: point.needle_length_mm,
            PointColumn.INSERTIONS: point.insertions,
            PointColumn.TWITCH: point.twitch_response,
            PointColumn.TECHNIQUE: point.technique,
            PointColumn.NOTES: point.notes,
        }[column]

    def _tooltip(self, point: PointDraft, column: PointColumn, problems: list[str] | None) -> Any:
        if problems:
            return "\n".join(problems)
        if column == PointColumn.MUSCLE and point.muscle_code:
            muscle = catalogue.muscle(point.muscle_code)
            lines = [muscle.name]
            if muscle.lung_risk:
                lines.append(f"{LUNG_MARK} Pneumothorax risk on deep needling.")
            if muscle.max_depth_note:
                lines.append(muscle.max_depth_note)
            return "\n".join(lines)
        return HEADERS[column][1]

    def _marker_data(self, row: int, entry: _Row, role: int) -> Any:
        point = entry.point
        match role:
            case MarkerRole.VIEW:
                return point.view.value
            case MarkerRole.X:
                return point.x
            case MarkerRole.Y:
                return point.y
            case MarkerRole.DEPTH_CLASS:
                return point.depth_class.value
            case MarkerRole.HAS_PROBLEM:
                return bool(entry.problems)
            case MarkerRole.SUMMARY:
                muscle = muscle_label(point.muscle_code) or "muscle not chosen"
                return (
                    f"{row + 1}: {muscle}, {point.side.value}, {point.depth_class.value} "
                    f"{number_text(point.depth_mm)} mm"
                )
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        row = index.row()
        entry = self._rows[row]
        point = entry.point
        column = PointColumn(index.column())
        if column == PointColumn.TWITCH and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            entry.point = replace(point, twitch_response=bool(checked))
            self._row_changed(row)
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        if self._edit_value(point, column) == value:
            return True  # an editor opened and closed without a change
        try:
            entry.point = self._edited(entry, column, value)
        except (TypeError, ValueError):
            return False
        self._row_changed(row)
        return True

    def _edited(self, entry: _Row, column: PointColumn, value: Any) -> PointDraft:
        point = entry.point
        match column:
            case PointColumn.MUSCLE:
                point = replace(point, muscle_code=str(value))
                if not entry.dimensions_chosen:
                    point = self._with_defaults(point)
                return point
            case PointColumn.SIDE:
                return replace(point, side=Side(value))
            case PointColumn.DEPTH_CLASS:
                entry.class_chosen = True
                return replace(point, depth_class=DepthClass(value))
            case PointColumn.DEPTH:
                depth = float(value)
                entry.dimensions_chosen = True
                if entry.class_chosen:
                    return replace(point, depth_mm=depth)
                return replace(point, depth_mm=depth, depth_class=depth_class_for(depth))
            case PointColumn.GAUGE:
                entry.dimensions_chosen = True
                return replace(point, needle_gauge_mm=float(value))
            case PointColumn.LENGTH:
                entry.dimensions_chosen = True
                return replace(point, needle_length_mm=float(value))
            case PointColumn.INSERTIONS:
                return replace(point, insertions=int(value))
            case PointColumn.TWITCH:
                return replace(point, twitch_response=bool(value))
            case PointColumn.TECHNIQUE:
                return replace(point, technique=Technique(value))
            case PointColumn.NOTES:
                return replace(point, notes=str(value))
        raise ValueError(f"Column {column} is not editable")
