"""The side effects (adverse events) of the session as a table model.

The columns are the type and its description, then the other declared fields of a side
effect (``field_columns``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import Onset
from dnt_desktop.services.drafts import SideEffectDraft
from dnt_desktop.services.rules import Problem, side_effect_problems

from .draft_table_model import PROBLEM_TEXT, DraftRow, DraftTableModel, field_columns

SERIOUS_BACKGROUND = QColor("#f9d6d5")


EffectColumn = field_columns("EffectColumn", SideEffectDraft, first=("code", "other_text"))
"""CODE (the type), OTHER_TEXT (its description), then SEVERITY, ONSET... as declared."""

HEADERS: dict[Any, tuple[str, str]] = {
    EffectColumn.CODE: ("Type", "Kind of side effect"),
    EffectColumn.OTHER_TEXT: ("Description", "What it was (needed when the type is 'Other')"),
    EffectColumn.SEVERITY: ("Severity", "Mild, moderate or severe"),
    EffectColumn.ONSET: ("Onset", "During or after the treatment"),
    EffectColumn.RESOLVED: ("Resolved", "Resolved by the end of the session"),
    EffectColumn.ACTION_TAKEN: ("Action taken", "What was done about it"),
    EffectColumn.NOTES: ("Notes", "Further notes"),
}
"""Titles and tooltips (a declared field without one is titled after its name)."""


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

    DRAFT = SideEffectDraft
    COLUMNS = EffectColumn
    HEADERS = HEADERS
    OTHER_PROBLEMS_COLUMN = EffectColumn.CODE
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

    def _row_edited(self, row: int, column: Any) -> None:
        code = self._rows[row].draft.code
        if column == EffectColumn.CODE and is_serious(code):
            self.serious_event_recorded.emit(code)

    # --- cells -----------------------------------------------------------------------

    def _other_data(
        self, row: int, entry: DraftRow[SideEffectDraft], column: Any, role: int
    ) -> Any:
        if column != EffectColumn.CODE or not is_serious(entry.draft.code):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return SERIOUS_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            return PROBLEM_TEXT
        return None

    def _display(self, row: int, effect: SideEffectDraft, column: Any) -> str | None:
        if column == EffectColumn.CODE:
            return effect_label(effect.code) or "Choose the type…"
        if column == EffectColumn.ONSET:
            return "During treatment" if effect.onset == Onset.DURING else "After treatment"
        return super()._display(row, effect, column)
