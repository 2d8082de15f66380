"""The needling points of the session as a table model (also read by the body chart).

Each row is one ``PointDraft``; its number is its row + 1, so deleting a point
renumbers the others. The columns are the number, then the point's declared fields except
its place on the body chart (``field_columns``). Validation is the rules'
``point_problems``: a cell with a problem gets a red background and the message as
tooltip, and ``problem_text()`` lists them all.

Depth class: while the user has not chosen the class, changing the depth sets it from
``depth_class_for``; once chosen, it stays and a wrong combination is shown as a problem.
Depth and needle follow the muscle while they are the defaults (see ``point_defaults``):
the practitioner's last point on it, in this session or their history (``set_history``),
held within the patient's lung-risk limit (``set_clinical_state``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont

from dnt_desktop.models import catalogue
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.rules import (
    ClinicalState,
    Problem,
    RuleSettings,
    depth_class_for,
    point_problems,
)
from dnt_desktop.ui.body_chart import MarkerRole

from .draft_table_model import DraftRow, DraftTableModel, field_columns, number_text
from .point_defaults import Dimensions, Previous, default_dimensions, moved_point, with_dimensions

LUNG_MARK = "⚠"


PointColumn = field_columns("PointColumn", PointDraft, first=("number",))
"""NUMBER, then MUSCLE_CODE, SIDE, DEPTH_CLASS, DEPTH_MM, NEEDLE_GAUGE_MM... as declared."""

HEADERS: dict[Any, tuple[str, str]] = {
    PointColumn.NUMBER: ("#", "Point number, as on the body chart"),
    PointColumn.MUSCLE_CODE: ("Muscle", f"Muscle needled ({LUNG_MARK} = pneumothorax risk)"),
    PointColumn.SIDE: ("Side", "The patient's side"),
    PointColumn.DEPTH_CLASS: ("Class", "Depth class: superficial (10 mm or less) or deep"),
    PointColumn.DEPTH_MM: ("Depth\nmm", "Needling depth in mm"),
    PointColumn.NEEDLE_GAUGE_MM: ("Gauge\nmm", "Needle diameter in mm"),
    PointColumn.NEEDLE_LENGTH_MM: ("Needle\nmm", "Needle length in mm"),
    PointColumn.INSERTIONS: ("Ins.", "Number of insertions"),
    PointColumn.TWITCH_RESPONSE: ("Twitch", "Local twitch response elicited"),
    PointColumn.TECHNIQUE: ("Technique", "Static or pistoning (fast-in fast-out)"),
    PointColumn.NOTES: ("Notes", "Notes on this point"),
}
"""Titles and tooltips (a declared field without one is titled after its name)."""


def muscle_label(code: str) -> str:
    """The muscle's name, marked when it carries a pneumothorax risk."""
    try:
        muscle = catalogue.muscle(code)
    except KeyError:
        return ""
    return f"{LUNG_MARK} {muscle.name}" if muscle.lung_risk else muscle.name


@dataclass
class _Row(DraftRow[PointDraft]):
    """A point, and whether the user chose its depth class and its depth or needle."""

    class_chosen: bool = False
    dimensions_chosen: bool = False
    copied: bool = False
    """Copied from an earlier session and not confirmed or edited since."""


COPIED_BACKGROUND = QColor("#fff3cd")
COPIED_MARK = "↻"


class PointTableModel(DraftTableModel[_Row]):
    """The session's needling points, editable in a table and drawn on the body chart."""

    point_moved = Signal(int, str)
    """A point was moved: row and a note of what changed besides the position ('' if none)."""
    copied_changed = Signal()
    """Points were marked as copied, or confirmed (all, or one by editing it)."""

    DRAFT = PointDraft
    COLUMNS = PointColumn
    HEADERS = HEADERS
    OTHER_PROBLEMS_COLUMN = PointColumn.NUMBER  # the view and position, placed on the chart
    PROBLEM_PREFIX = "points"

    def __init__(self, settings: RuleSettings | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._settings = settings or RuleSettings()
        self._history: Previous = lambda _code: None
        self._state: ClinicalState | None = None
        self._copied_from = ""

    # --- whole-model API -------------------------------------------------------------

    @property
    def settings(self) -> RuleSettings:
        """The clinic's rule thresholds (used for the defaults of new points)."""
        return self._settings

    @property
    def clinical_state(self) -> ClinicalState | None:
        """The patient's screening facts (BMI band) the defaults of new points respect."""
        return self._state

    def set_clinical_state(self, state: ClinicalState | None) -> None:
        """The patient's latest clinical state: new points over a lung-risk muscle start
        within this patient's limit."""
        self._state = state

    def set_history(self, history: Previous) -> None:
        """Where the practitioner's last point on a muscle in earlier sessions is read."""
        self._history = history

    def previous_dimensions(self, muscle_code: str) -> Dimensions | None:
        """The practitioner's last point on the muscle: this session's latest one without
        a problem, else the history's (None when they have not needled it recently)."""
        for row in reversed(self._rows):
            point = row.draft
            if muscle_code and point.muscle_code == muscle_code and not row.problems:
                return Dimensions(
                    point.depth_mm, point.depth_class, point.needle_length_mm, point.needle_gauge_mm
                )
        return self._history(muscle_code) if muscle_code else None

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

    # --- copied points -----------------------------------------------------------------

    def mark_copied(self, rows: range | list[int], source: str) -> None:
        """Mark *rows* as copied from *source* ("the session of 12 Nov 2026") until they
        are confirmed or edited."""
        self._copied_from = source
        for row in rows:
            self._rows[row].copied = True
        self._all_changed()
        self.copied_changed.emit()

    def copied_rows(self) -> list[int]:
        """The rows still marked as copied (not confirmed, not edited)."""
        return [row for row, entry in enumerate(self._rows) if entry.copied]

    def is_copied(self, row: int) -> bool:
        """Whether the point of *row* is still marked as copied."""
        return self._rows[row].copied

    @property
    def copied_from(self) -> str:
        """Where the copied points came from ("the session of 12 Nov 2026")."""
        return self._copied_from

    def confirm_copied(self, rows: list[int] | None = None) -> int:
        """Confirm the copied points of *rows* (all when None); returns how many."""
        confirmed = 0
        for row, entry in enumerate(self._rows):
            if entry.copied and (rows is None or row in rows):
                entry.copied = False
                confirmed += 1
        if confirmed:
            self._all_changed()
            self.copied_changed.emit()
        return confirmed

    def _all_changed(self) -> None:
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(PointColumn) - 1)
            )

    def _copied_text(self) -> str:
        return f"Copied from {self._copied_from or 'an earlier session'}, not confirmed yet"

    def add_points(self, points: list[PointDraft]) -> list[int]:
        """Append points whose class, depth and needle were chosen (a protocol's)."""
        return [
            self._append_row(_Row(replace(p), class_chosen=True, dimensions_chosen=True))
            for p in points
        ]

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
        if entry.copied:
            entry.copied = False
            self.copied_changed.emit()
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
        code = point.muscle_code
        last = self.previous_dimensions(code)
        return with_dimensions(point, default_dimensions(code, self._settings, last, self._state))

    def _check(self, draft: PointDraft) -> list[Problem]:
        return point_problems(draft)

    # --- cells -----------------------------------------------------------------------

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and index.column() == PointColumn.NUMBER
            and 0 <= index.row() < len(self._rows)
            and self._rows[index.row()].copied
        ):
            return self._copied_text() + ": check it, change what differs or confirm it."
        return super().data(index, role)

    def _other_data(self, row: int, entry: _Row, column: PointColumn, role: int) -> Any:
        if role >= MarkerRole.VIEW:
            return self._marker_data(row, entry, role)
        if entry.copied:
            if role == Qt.ItemDataRole.BackgroundRole:
                return COPIED_BACKGROUND
            if role == Qt.ItemDataRole.AccessibleDescriptionRole:
                return self._copied_text()
            if role == Qt.ItemDataRole.FontRole:
                font = QFont()
                font.setItalic(True)
                font.setBold(column == PointColumn.NUMBER)
                return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == PointColumn.MUSCLE_CODE
            and not entry.draft.muscle_code
        ):
            return QColor("#8a94a0")
        if role == Qt.ItemDataRole.FontRole and column == PointColumn.NUMBER:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (
            PointColumn.NUMBER,
            PointColumn.DEPTH_MM,
            PointColumn.NEEDLE_GAUGE_MM,
            PointColumn.NEEDLE_LENGTH_MM,
            PointColumn.INSERTIONS,
        ):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, row: int, point: PointDraft, column: Any) -> str | None:
        if column == PointColumn.NUMBER:
            return f"{COPIED_MARK}{row + 1}" if self._rows[row].copied else str(row + 1)
        if column == PointColumn.MUSCLE_CODE:
            return muscle_label(point.muscle_code) or "Choose the muscle…"
        if column == PointColumn.NEEDLE_GAUGE_MM:
            return f"{point.needle_gauge_mm:.2f}"
        return super()._display(row, point, column)

    def _tooltip(self, point: PointDraft, column: Any) -> Any:
        if column == PointColumn.MUSCLE_CODE and point.muscle_code:
            muscle = catalogue.muscle(point.muscle_code)
            lines = [muscle.name]
            if muscle.lung_risk:
                lines.append(f"{LUNG_MARK} Pneumothorax risk on deep needling.")
            if muscle.max_depth_note:
                lines.append(muscle.max_depth_note)
            return "\n".join(lines)
        return super()._tooltip(point, column)

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
            case MarkerRole.COPIED:
                return entry.copied
            case MarkerRole.SUMMARY:
                muscle = muscle_label(point.muscle_code) or "muscle not chosen"
                return (
                    f"{row + 1}: {muscle}, {point.side.value}, {point.depth_class.value} "
                    f"{number_text(point.depth_mm)} mm"
                ) + (" (copied, not confirmed yet)" if entry.copied else "")
        return None

    def _edited(self, entry: _Row, column: Any, value: Any) -> PointDraft:
        """As the base, and the depth class and needle follow the muscle and depth while
        the user has not chosen them."""
        point = super()._edited(entry, column, value)
        if entry.copied:  # an edited point is the practitioner's own
            entry.copied = False
            self.copied_changed.emit()
        if column == PointColumn.MUSCLE_CODE and not entry.dimensions_chosen:
            point = self._with_defaults(point)
        elif column == PointColumn.DEPTH_CLASS:
            entry.class_chosen = True
        elif column == PointColumn.DEPTH_MM:
            entry.dimensions_chosen = True
            if not entry.class_chosen:
                point = replace(point, depth_class=depth_class_for(point.depth_mm))
        elif column in (PointColumn.NEEDLE_GAUGE_MM, PointColumn.NEEDLE_LENGTH_MM):
            entry.dimensions_chosen = True
        return point
