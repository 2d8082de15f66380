"""The register's table model: one short read per search, later rows a page at a time.

Like Anki's browser, the model lists ids (at most ``LIMIT``). The search brings the lines
of the first page with it; the lines of a later page are read when the view first paints
a row of it. A row's cells are formatted once, when first shown, and kept until the next
search.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont

from dnt_desktop.services.dates import age_years, format_date
from dnt_desktop.services.patients import PatientRow
from dnt_desktop.services.register_query import Line, register_lines, search_register
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style

LIMIT = 500
"""At most this many matches are listed; the label asks to type more to narrow."""
PAGE_SIZE = 100

COLUMNS = ("Chart no.", "Family name", "Given name", "Born (age)", "Phone")

_Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_FONT = Qt.ItemDataRole.FontRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_USER = Qt.ItemDataRole.UserRole.value
_STYLE_ROLES = frozenset((_FOREGROUND, _FONT, _TOOLTIP))
_ARCHIVED = len(COLUMNS)
"""Where a row's cells keep whether the patient is archived."""

Cells = tuple[str, str, str, str, str, bool]
"""A row's five display texts, then whether the patient is archived."""


class PatientTableModel(QAbstractTableModel):
    """Matching patients in register order; ``total`` is how many match in all."""

    page_failed = Signal(str)
    """A later page of rows could not be read (the message); its rows stay blank."""

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.text = ""
        self.include_archived = False
        self.total = 0
        self.more = False
        """True when more than ``total`` match (the search reached its limit: not counted)."""
        self._ids: list[int] = []
        self._lines: dict[int, Line] = {}
        self._pages: set[int] = set()
        self._cells: dict[int, Cells] = {}
        self._today = date.today()
        self._archived_color = QColor(style.MUTED_TEXT)
        self._archived_font = QFont()
        self._archived_font.setItalic(True)

    # --- searching -------------------------------------------------------------------

    def search(self, text: str, include_archived: bool = False) -> None:
        """Run the search and forget the rows read before."""
        found = search_register(
            self.db, text, include_archived=include_archived, limit=LIMIT, first=PAGE_SIZE
        )
        self.beginResetModel()
        self.text, self.include_archived = text, include_archived
        self._ids, self.total, self.more = found.ids, found.total, found.more
        self._lines = {line[0]: line for line in found.first_lines}
        self._pages = {0} if found.ids else set()
        self._cells = {}
        self._today = date.today()
        self.endResetModel()

    def refresh(self) -> None:
        """Search again with the same text (after a patient changed)."""
        self.search(self.text, self.include_archived)

    def patient_id(self, row: int) -> int | None:
        """The id of the patient on *row*."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, patient_id: int) -> int | None:
        """The row showing *patient_id*, if listed."""
        try:
            return self._ids.index(patient_id)
        except ValueError:
            return None

    def patient(self, row: int) -> PatientRow | None:
        """The register line of *row* (reading its page if needed)."""
        line = self._line(row)
        return None if line is None else PatientRow(*line)

    @property
    def pages_fetched(self) -> int:
        """How many pages of lines were read since the search (with it: the first)."""
        return len(self._pages)

    @property
    def loaded_rows(self) -> int:
        """How many rows' lines are cached (for tests and diagnostics)."""
        return len(self._lines)

    def _line(self, row: int) -> Line | None:
        if not 0 <= row < len(self._ids):
            return None
        patient_id = self._ids[row]
        line = self._lines.get(patient_id)
        page = row // PAGE_SIZE
        if line is None and page not in self._pages:
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            self._pages.add(page)  # tried once per search, not at every paint
            try:
                self._lines.update(register_lines(self.db, ids))
            except StorageError as exc:  # reported after the paint, never from inside it
                QTimer.singleShot(0, self, lambda message=str(exc): self.page_failed.emit(message))
                return None
            line = self._lines.get(patient_id)
        return line

    def _format(self, row: int) -> Cells | None:
        """The cells of *row*, formatted once (None if it has gone from the database)."""
        line = self._line(row)
        if line is None:
            return None
        _id, chart, family, given, born, phone, archived = line
        cells = (
            f"{chart} (archived)" if archived else chart,
            family,
            given,
            f"{format_date(born)} ({age_years(born, self._today)})",
            phone,
            bool(archived),
        )
        self._cells[row] = cells
        return cells

    # --- Qt model --------------------------------------------------------------------

    def index(
        self,
        row: int,
        column: int,
        parent: _Index = QModelIndex(),  # noqa: B008
    ) -> QModelIndex:
        # Qt's own index() asks rowCount() and columnCount() through Python every time.
        if 0 <= row < len(self._ids) and 0 <= column < len(COLUMNS) and not parent.isValid():
            return self.createIndex(row, column)
        return QModelIndex()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = _DISPLAY) -> object:
        if role == _DISPLAY:
            row = index.row()  # -1 for an invalid index
            cells = self._cells.get(row) or self._format(row)
            return None if cells is None else cells[index.column()]
        if role == _USER:
            return self.patient_id(index.row()) if index.isValid() else None
        if role not in _STYLE_ROLES or not index.isValid():
            return None
        row = index.row()
        cells = self._cells.get(row) or self._format(row)
        if cells is None:
            return None
        if role == _TOOLTIP:  # the whole name when the column is too narrow for it
            text = str(cells[index.column()])
            return f"Archived patient: {text}" if cells[_ARCHIVED] else text or None
        if not cells[_ARCHIVED]:
            return None
        if role == _FOREGROUND:
            return self._archived_color
        return self._archived_font
