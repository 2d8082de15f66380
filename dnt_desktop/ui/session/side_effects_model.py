"""The side effects (adverse events) of the session as a table model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import Onset, Severity
from dnt_desktop.services.drafts import SideEffectDraft
from dnt_desktop.services.rules import Problem, side_effect_problems

from .draft_table_model import PROBLEM_TEXT, DraftRow, DraftTableModel

SERIOUS_BACKGROUND = QColor("#f9d6d5")


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

_FIELD_COLUMNS = {"code": (EffectColumn.TYPE,), "other_text": (EffectColumn.DESCRIPTION,)}

_FIELDS: dict[EffectColumn, tuple[str, Callable[[Any], Any]]] = {
    EffectColumn.TYPE: ("code", str),
    EffectColumn.DESCRIPTION: ("other_text", str),
    EffectColumn.SEVERITY: ("severity", Severity),
    EffectColumn.ONSET: ("onset", Onset),
    EffectColumn.RESOLVED: ("resolved", bool),
    EffectColumn.ACTION: ("action_taken", str),
    EffectColumn.NOTES: ("notes", str),
}
"""Each column's field of ``SideEffectDraft``, and how an editor's value becomes it."""


def effect_label(code: str) -> str:
    """The catalogue label of a side-effect type ('' when unknown)."""
    try:
        return catalogue.label_of("side_effect", code)
    except KeyError:
        return ""


def is_serious(code: str) -> bool:
    """Whether the catalogue marks the type as a serious adverse event."""
    return any(item.code == code and item.serious for item in catalogue.side_effect_types())


class SideEffectsModel(DraftTableModel[DraftRow[SideEffectDraft]]):
    """Editable list of ``SideEffectDraft``."""

    serious_event_recorded = Signal(str)
    """The type of a row was set to a serious adverse event (its code)."""

    COLUMNS = EffectColumn
    HEADERS = HEADERS
    CHECK_COLUMN = EffectColumn.RESOLVED
    FIELD_COLUMNS = _FIELD_COLUMNS
    OTHER_PROBLEMS_COLUMN = EffectColumn.TYPE
    PROBLEM_PREFIX = "side_effects"

    def set_effects(self, effects: list[SideEffectDraft]) -> None:
        """Show stored side effects."""
        self._set_rows([DraftRow(replace(e)) for e in effects])

    def effects(self) -> list[SideEffectDraft]:
        """Copies of the side effects."""
        return [replace(row.draft) for row in self._rows]

    def add_effect(self, effect: SideEffectDraft | None = None) -> int:
        """Append a side effect (type not chosen yet by default); returns its row."""
        effect = effect or SideEffectDraft(code="")
        row = self._append_row(DraftRow(effect))
        if is_serious(effect.code):
            self.serious_event_recorded.emit(effect.code)
        return row

    def remove_effect(self, row: int) -> None:
        """Remove the side effect of *row*."""
        self._remove_row(row)

    def _check(self, draft: SideEffectDraft) -> list[Problem]:
        return side_effect_problems(draft)

    def _row_edited(self, row: int, column: EffectColumn) -> None:
        code = self._rows[row].draft.code
        if column == EffectColumn.TYPE and is_serious(code):
            self.serious_event_recorded.emit(code)

    # --- cells -----------------------------------------------------------------------

    def _other_data(
        self, row: int, entry: DraftRow[SideEffectDraft], column: EffectColumn, role: int
    ) -> Any:
        if column != EffectColumn.TYPE or not is_serious(entry.draft.code):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return SERIOUS_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            return PROBLEM_TEXT
        return None

    def _display(self, row: int, effect: SideEffectDraft, column: EffectColumn) -> str | None:
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

    def _tooltip(self, effect: SideEffectDraft, column: EffectColumn) -> Any:
        """Free text in full (its column may be too narrow), else the column's meaning."""
        if column in (EffectColumn.DESCRIPTION, EffectColumn.ACTION, EffectColumn.NOTES):
            text = getattr(effect, _FIELDS[column][0])
            if text:
                return text
        return HEADERS[column][1]

    def _edit_value(self, effect: SideEffectDraft, column: EffectColumn) -> Any:
        return getattr(effect, _FIELDS[column][0])

    def _edited(
        self, entry: DraftRow[SideEffectDraft], column: EffectColumn, value: Any
    ) -> SideEffectDraft:
        name, convert = _FIELDS[column]
        return replace(entry.draft, **{name: convert(value)})
