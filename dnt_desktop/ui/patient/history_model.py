"""The patient's sessions as a table model, newest first."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor

from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.sessions import HistoryRow
from dnt_desktop.ui import style
from dnt_desktop.ui.widgets.list_table_model import Index, ListTableModel

COLUMNS = (
    "Date",
    "Conditions",
    "Points",
    "Pain",
    "Side effects",
    "Status",
    "Aftercare",
    "Practitioner",
)
_CENTRED = {2, 3, 6}
_ROLES = frozenset(
    (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.UserRole,
    )
)
"""The roles ``data`` answers (add one here when it answers more). The view asks every
cell for a dozen roles, often; the others are turned away before any other work."""


def _pain(before: int | None, after: int | None) -> str:
    """'6 → 3' (pain before and after, 0-10); '–' for a score not recorded."""
    shown = ["–" if value is None else str(value) for value in (before, after)]
    return f"{shown[0]} → {shown[1]}"


def _status(row: HistoryRow) -> str:
    """'Draft', 'Signed', or 'Amended (2)' for a signed session with two amendments."""
    if row.status != SessionStatus.SIGNED:
        return "Draft"
    text = f"Amended ({row.amendment_count})" if row.amendment_count else "Signed"
    if row.late_event_count:
        text += f", {row.late_event_count} late event{'s' if row.late_event_count != 1 else ''}"
    return text


def _status_tip(row: HistoryRow) -> str:
    if row.status != SessionStatus.SIGNED:
        return "Draft: not signed yet (open it and choose Sign…)"
    count = row.amendment_count
    if row.late_event_count:
        return (
            "Signed, with events the patient reported afterwards: highlight the session to "
            "read them under the table"
        )
    if count:
        what = "1 amendment" if count == 1 else f"{count} amendments"
        return f"Signed, with {what}: highlight the session to read them under the table"
    return "Signed: it can no longer be changed, only amended"


class HistoryModel(ListTableModel[HistoryRow]):
    """Rows of ``services.sessions.session_history``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def set_rows(self, rows: list[HistoryRow]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def session_id(self, row: int) -> int | None:
        """The id of the session on *row*."""
        return self.rows[row].session_id if 0 <= row < len(self.rows) else None

    def row_of(self, session_id: int) -> int | None:
        """The row of *session_id*, if listed."""
        for number, row in enumerate(self.rows):
            if row.session_id == session_id:
                return number
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (1, 4, 7):
            return self._text(row, column) or None
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return "Pain before → after the session (0-10)"
        if role == Qt.ItemDataRole.ToolTipRole and column == 5:
            return _status_tip(row)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _CENTRED:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 5 and row.status == SessionStatus.DRAFT:
                return QColor("#8a5a00")
            if column == 4 and (row.side_effects or row.late_events):
                return QColor(style.ERROR_TEXT)
        if role == Qt.ItemDataRole.UserRole:
            return row.session_id
        return None

    @staticmethod
    def _text(row: HistoryRow, column: int) -> str:
        if column == 0:
            return format_datetime(row.started_at)
        if column == 1:
            return row.conditions
        if column == 2:
            return str(row.point_count)
        if column == 3:
            return _pain(row.pain_before, row.pain_after)
        if column == 4:
            return ", ".join(x for x in (row.side_effects, row.late_events) if x) or "None"
        if column == 5:
            return _status(row)
        if column == 6:
            return "Given" if row.aftercare_given else "–"
        return row.practitioner
