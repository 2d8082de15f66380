"""The register's table model: one indexed search for ids, rows fetched a page at a time.

Like Anki's browser, the search returns only ids (at most ``LIMIT``); a row's cells are
read from the database when the view first paints a row of its page, and kept until the
next search.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from dnt_desktop.services.patients import (
    PatientRow,
    count_patients,
    patient_rows,
    search_patient_ids,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui import style
from dnt_desktop.ui.widgets.dates import age_years, format_date

LIMIT = 500
"""At most this many matches are listed; the label asks to type more to narrow."""
PAGE_SIZE = 100

COLUMNS = ("Chart no.", "Family name", "Given name", "Born (age)", "Phone")

_Index = QModelIndex | QPersistentModelIndex


class PatientTableModel(QAbstractTableModel):
    """Matching patients in register order; ``total`` is how many match in all."""

    def __init__(self, db: Database, parent=None) -> None:
        super().__init__(parent)
        self.db = db
        self.text = ""
        self.include_archived = False
        self.total = 0
        self._ids: list[int] = []
        self._pages: dict[int, dict[int, PatientRow]] = {}
        self.pages_fetched = 0
        self._today = date.today()

    # --- searching -------------------------------------------------------------------

    def search(self, text: str, include_archived: bool = False) -> None:
        """Run the search (ids only) and forget cached rows."""
        with self.db.reading() as session:
            ids = search_patient_ids(session, text, include_archived=include_archived, limit=LIMIT)
            total = (
                count_patients(session, text, include_archived=include_archived)
                if len(ids) >= LIMIT
                else len(ids)
            )
        self.beginResetModel()
        self.text, self.include_archived = text, include_archived
        self._ids, self.total = ids, total
        self._pages.clear()
        self.pages_fetched = 0
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
        """The register line of *row* (fetching its page if needed)."""
        if not 0 <= row < len(self._ids):
            return None
        page = row // PAGE_SIZE
        rows = self._pages.get(page)
        if rows is None:
            ids = self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
            with self.db.reading() as session:
                rows = patient_rows(session, ids)
            self._pages[page] = rows
            self.pages_fetched += 1
        return rows.get(self._ids[row])

    @property
    def loaded_rows(self) -> int:
        """How many rows' cells are cached (for tests and diagnostics)."""
        return sum(len(rows) for rows in self._pages.values())

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ForegroundRole,
            Qt.ItemDataRole.FontRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.UserRole,
        ):
            return None
        if role == Qt.ItemDataRole.UserRole:
            return self.patient_id(index.row())
        row = self.patient(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(style.MUTED_TEXT) if row.archived else None
        if role == Qt.ItemDataRole.FontRole:
            if row.archived:
                font = QFont()
                font.setItalic(True)
                return font
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "Archived patient" if row.archived else None
        column = index.column()
        if column == 0:
            return row.chart_number + (" (archived)" if row.archived else "")
        if column == 1:
            return row.family_name
        if column == 2:
            return row.given_name
        if column == 3:
            born = row.date_of_birth
            return f"{format_date(born)} ({age_years(born, self._today)})"
        return row.phone
