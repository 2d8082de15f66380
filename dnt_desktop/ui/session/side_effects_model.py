"""The side effects (adverse events) of the session as a table model."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import Onset, Severity
from dnt_desktop.services.drafts import SideEffectDraft
from dnt_desktop.services.rules import Problem, describe_problems, side_effect_problems

from .points_model import PROBLEM_BACKGROUND, PROBLEM_TEXT

Index = QModelIndex | QPersistentModelIndex


class EffectColumn(IntEnum):
    """The columns of the side-effect table."""

    TYPE = 0
    DESCRIPTION = 1
    SEVERITY = 2
    ONSET = 3
    RESOLVED = 4
    ACTION = 5
    NOTES = 6


HEADERS: dict[EffectColumn, tuple[str, str]] = {
    EffectColumn.TYPE: ("Type", "Kind of side effect"),
    EffectColumn.DESCRIPTION: ("Description", "What it was (needed when the type is 'Other')"),
    EffectColumn.SEVERITY: ("Severity", "Mild, moderate or severe"),
    EffectColumn.ONSET: ("Onset", "During or after the treatment"),
    EffectColumn.RESOLVED: ("Resolved", "Resolved by the end of the session"),
    EffectColumn.ACTION: ("Action taken", "What was done about it"),
    EffectColumn.NOTES: ("Notes", "Further notes"),
}

_FIELD_COLUMNS = {"code": EffectColumn.TYPE, "other_text": EffectColumn.DESCRIPTION}


def effect_label(code: str) -> str:
    """The catalogue label of a side-effect type ('' when unknown)."""
    try:
        return catalogue.label_of("side_effect", code)
    except KeyError:
        return ""


def is_serious(code: str) -> bool:
    """Whether the catalogue marks the type as a serious adverse event."""
    return any(item.code == code and item.serious for item in catalogue.side_effect_types())


class SideEffectsModel(QAbstractTableModel):
    """Editable list of ``SideEffectDraft``."""

    problems_changed = Signal()
    serious_event_recorded = Signal(str)
    """The type of a row was set to a serious adverse event (its code)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SideEffectDraft] = []
        self._problems: list[list[Problem]] = []
        self._read_only = False

    def set_effects(self, effects: list[SideEffectDraft]) -> None:
        """Show stored side effects."""
        self.beginResetModel()
        self._rows = [replace(e) for e in effects]
        self._problems = [side_effect_problems(e) for e in self._rows]
        self.endResetModel()
        self.problems_changed.emit()

    def effects(self) -> list[SideEffectDraft]:
        """Copies of the side effects."""
        return [replace(e) for e in self._rows]

    def set_read_only(self, read_only: bool) -> None:
        """Make every cell read-only (a signed session)."""
        self._read_only = read_only

    def add_effect(self, effect: SideEffectDraft | None = None) -> int:
        """Append a side effect (type not chosen yet by default); returns its row."""
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        effect = effect or SideEffectDraft(code="")
        self._rows.append(effect)
        self._problems.append(side_effect_problems(effect))
        self.endInsertRows()
        self.problems_changed.emit()
        if is_serious(effect.code):
            self.serious_event_recorded.emit(effect.code)
        return row

    def remove_effect(self, row: int) -> None:
        """Remove the side effect of *row*."""
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        del self._problems[row]
        self.endRemoveRows()
        self.problems_changed.emit()

    def problems(self) -> list[Problem]:
        """Every problem, fields prefixed 'side_effects[i].'."""
        return [
            replace(problem, field=f"side_effects[{i}].{problem.field}")
            for i, found in enumerate(self._problems)
            for problem in found
        ]

    def problem_text(self) -> str:
        """The problems as one message."""
        return describe_problems(self.problems())

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EffectColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(EffectColumn):
            return None
        title, tip = HEADERS[EffectColumn(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        if index.column() == EffectColumn.RESOLVED:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        effect = self._rows[index.row()]
        column = EffectColumn(index.column())
        messages = [
            p.message
            for p in self._problems[index.row()]
            if _FIELD_COLUMNS.get(p.field, EffectColumn.TYPE) == column
        ]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(effect, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(effect, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == EffectColumn.RESOLVED:
            return Qt.CheckState.Checked if effect.resolved else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.BackgroundRole:
            if messages:
                return PROBLEM_BACKGROUND
            if column == EffectColumn.TYPE and is_serious(effect.code):
                return QColor("#f9d6d5")
        if role == Qt.ItemDataRole.ForegroundRole and (
            messages or (column == EffectColumn.TYPE and is_serious(effect.code))
        ):
            return PROBLEM_TEXT
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n".join(messages) if messages else HEADERS[column][1]
        return None

    def _display(self, effect: SideEffectDraft, column: EffectColumn) -> str | None:
        match column:
            case EffectColumn.TYPE:
                return effect_label(effect.code) or "Choose the type…"
            case EffectColumn.DESCRIPTION:
                return effect.other_text
            case EffectColumn.SEVERITY:
                return effect.severity.value.capitalize()
            case EffectColumn.ONSET:
                return "During treatment" if effect.onset == Onset.DURING else "After treatment"
            case EffectColumn.RESOLVED:
                return "Yes" if effect.resolved else "No"
            case EffectColumn.ACTION:
                return effect.action_taken
            case EffectColumn.NOTES:
                return effect.notes
        return None

    def _edit_value(self, effect: SideEffectDraft, column: EffectColumn) -> Any:
        return {
            EffectColumn.TYPE: effect.code,
            EffectColumn.DESCRIPTION: effect.other_text,
            EffectColumn.SEVERITY: effect.severity,
            EffectColumn.ONSET: effect.onset,
            EffectColumn.RESOLVED: effect.resolved,
            EffectColumn.ACTION: effect.action_taken,
            EffectColumn.NOTES: effect.notes,
        }[column]

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        row = index.row()
        effect = self._rows[row]
        column = EffectColumn(index.column())
        if column == EffectColumn.RESOLVED and role == Qt.ItemDataRole.CheckStateRole:
            checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
            self._rows[row] = replace(effect, resolved=bool(checked))
        elif role == Qt.ItemDataRole.EditRole:
            if self._edit_value(effect, column) == value:
                return True
            try:
                self._rows[row] = self._edited(effect, column, value)
            except ValueError:
                return False
        else:
            return False
        self._problems[row] = side_effect_problems(self._rows[row])
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(EffectColumn) - 1))
        self.problems_changed.emit()
        if column == EffectColumn.TYPE and is_serious(self._rows[row].code):
            self.serious_event_recorded.emit(self._rows[row].code)
        return True

    def _edited(self, effect: SideEffectDraft, column: EffectColumn, value: Any) -> SideEffectDraft:
        match column:
            case EffectColumn.TYPE:
                return replace(effect, code=str(value))
            case EffectColumn.DESCRIPTION:
                return replace(effect, other_text=str(value))
            case EffectColumn.SEVERITY:
                return replace(effect, severity=Severity(value))
            case EffectColumn.ONSET:
                return replace(effect, onset=Onset(value))
            case EffectColumn.RESOLVED:
                return replace(effect, resolved=bool(value))
            case EffectColumn.ACTION:
                return replace(effect, action_taken=str(value))
            case EffectColumn.NOTES:
                return replace(effect, notes=str(value))
        raise ValueError(f"Column {column} is not editable")
