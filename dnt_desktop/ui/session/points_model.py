"""The needling points of the session as a table model (also read by the body chart).

Each row is one ``PointDraft``; its number is its row + 1, so deleting a point
renumbers the others. Validation is the rules' ``point_problems``: a cell with a problem
gets a red background and the message as tooltip, and ``problem_text()`` lists them all.

Depth class: while the user has not chosen the class, changing the depth sets it from
``depth_class_for``; once chosen, it stays and a wrong combination is shown as a problem.
Depth and needle follow the muscle while they are the defaults (see ``point_defaults``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import DepthClass, Side, Technique
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.rules import Problem, RuleSettings, depth_class_for, point_problems
from dnt_desktop.ui.body_chart import MarkerRole

from .draft_table_model import DraftRow, DraftTableModel
from .point_defaults import default_dimensions, moved_point, with_dimensions

LUNG_MARK = "⚠"


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
class _Row(DraftRow[PointDraft]):
    """A point, and whether the user chose its depth class and its depth or needle."""

    class_chosen: bool = False
    dimensions_chosen: bool = False


class PointTableModel(DraftTableModel[_Row]):
    """The session's needling points, editable in a table and drawn on the body chart."""

    point_moved = Signal(int, str)
    """A point was moved: row and a note of what changed besides the position ('' if none)."""

    COLUMNS = PointColumn
    HEADERS = HEADERS
    CHECK_COLUMN = PointColumn.TWITCH
    FIXED_COLUMNS = frozenset({PointColumn.NUMBER})
    FIELD_COLUMNS = _FIELD_COLUMNS
    OTHER_PROBLEMS_COLUMN = PointColumn.NUMBER
    PROBLEM_PREFIX = "points"

    def __init__(self, settings: RuleSettings | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._settings = settings or RuleSettings()

    # --- whole-model API -------------------------------------------------------------

    @property
    def settings(self) -> RuleSettings:
        """The clinic's rule thresholds (used for the defaults of new points)."""
        return self._settings

    def set_points(self, points: list[PointDraft]) -> None:
        """Show stored points (their class and needle count as chosen by the user)."""
        self._set_rows(
            [_Row(replace(p), class_chosen=False, dimensions_chosen=True) for p in points]
        )

    def points(self) -> list[PointDraft]:
        """Copies of the points, in number order."""
        return [replace(row.draft) for row in self._rows]

    def point(self, row: int) -> PointDraft:
        """A copy of the point of *row*."""
        return replace(self._rows[row].draft)

    def set_read_only(self, read_only: bool) -> None:
        """Make every cell read-only (a signed session), and show it."""
        super().set_read_only(read_only)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(PointColumn) - 1)
            )

    def add_point(self, point: PointDraft) -> int:
        """Append a new point (defaults still adjustable); returns its row."""
        return self._append_row(_Row(replace(point)))

    def remove_point(self, row: int) -> None:
        """Remove the point of *row*; the following points are renumbered."""
        self._remove_row(row)

    def _row_removed(self, row: int) -> None:
        if row < len(self._rows):
            self.dataChanged.emit(
                self.index(row, PointColumn.NUMBER),
                self.index(len(self._rows) - 1, PointColumn.NUMBER),
            )

    def move_point(self, row: int, x: float, y: float) -> str:
        """Move the point of *row* on its view; returns a note of what else changed."""
        entry = self._rows[row]
        moved = moved_point(entry.draft, x, y)
        point = moved.point
        notes = []
        if moved.muscle_changed:
            notes.append(f"muscle now {muscle_label(point.muscle_code) or 'not chosen'}")
            if not entry.dimensions_chosen:
                point = self._with_defaults(point)
        if moved.side_changed:
            notes.append(f"side now {point.side.value}")
        entry.draft = point
        self._row_changed(row)
        note = f"Point {row + 1} moved: " + "; ".join(notes) if notes else ""
        self.point_moved.emit(row, note)
        return note

    def _with_defaults(self, point: PointDraft) -> PointDraft:
        return with_dimensions(point, default_dimensions(point.muscle_code, self._settings))

    def _check(self, draft: PointDraft) -> list[Problem]:
        return point_problems(draft)

    # --- cells -----------------------------------------------------------------------

    def _other_data(self, row: int, entry: _Row, column: PointColumn, role: int) -> Any:
        if role >= MarkerRole.VIEW:
            return self._marker_data(row, entry, role)
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == PointColumn.MUSCLE
            and not entry.draft.muscle_code
        ):
            return QColor("#8a94a0")
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

    def _tooltip(self, point: PointDraft, column: PointColumn) -> Any:
        if column == PointColumn.MUSCLE and point.muscle_code:
            muscle = catalogue.muscle(point.muscle_code)
            lines = [muscle.name]
            if muscle.lung_risk:
                lines.append(f"{LUNG_MARK} Pneumothorax risk on deep needling.")
            if muscle.max_depth_note:
                lines.append(muscle.max_depth_note)
            return "\n".join(lines)
        if column == PointColumn.NOTES and point.notes:
            return point.notes
        return HEADERS[column][1]

    def _marker_data(self, row: int, entry: _Row, role: int) -> Any:
        point = entry.draft
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

    def _edited(self, entry: _Row, column: PointColumn, value: Any) -> PointDraft:
        point = entry.draft
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
