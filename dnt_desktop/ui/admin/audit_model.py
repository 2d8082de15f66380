"""The audit trail as a table model, fetched a page at a time as the view scrolls."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal

from dnt_desktop.services import audit_query
from dnt_desktop.services.audit_query import AuditFilters, AuditRow
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.widgets.list_table_model import Index, ListTableModel

COLUMNS = ("Time", "User", "Action", "Record", "Patient", "Summary")
PAGE_SIZE = 200


def time_text(row: AuditRow) -> str:
    """'25 Nov 2026 14:05:09' in local time."""
    local = row.occurred_at.astimezone()
    return f"{format_date(local.date())} {local:%H:%M:%S}"


def record_text(row: AuditRow) -> str:
    """'session 12', 'database', '' for none."""
    if not row.entity_type:
        return ""
    return f"{row.entity_type} {row.entity_id}" if row.entity_id is not None else row.entity_type


def patient_text(row: AuditRow) -> str:
    """'Doe, Jane (P000123)'."""
    if not row.patient_name:
        return ""
    return f"{row.patient_name} ({row.patient_chart_number})"


class AuditTableModel(ListTableModel[AuditRow]):
    """Newest events first; ``fetchMore`` reads the next page (``audit_query.list_events``).

    Events written while the list is open shift the pages; rows already shown are
    skipped, so none is listed twice. ``failed`` carries a message when a read fails.
    """

    failed = Signal(str)

    def __init__(self, db: Database, actor_id: int, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)
        self.db = db
        self.actor_id = actor_id
        self.filters = AuditFilters()
        self.total = 0
        self._offset = 0
        self._seen: set[int] = set()

    def set_filters(self, filters: AuditFilters) -> bool:
        """Show the first page for *filters*; False (and ``failed``) when it cannot be read."""
        try:
            total = audit_query.count_events(self.db, filters, actor_id=self.actor_id)
            page = audit_query.list_events(self.db, filters, PAGE_SIZE, 0, actor_id=self.actor_id)
        except (ServiceError, StorageError) as exc:
            self.failed.emit(str(exc))
            return False
        self.beginResetModel()
        self.filters = filters
        self.total = total
        self.rows = page
        self._offset = len(page)
        self._seen = {row.id for row in page}
        self.endResetModel()
        return True

    def reload(self) -> bool:
        """Read the first page of the current filters again."""
        return self.set_filters(self.filters)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._offset < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        try:
            page = audit_query.list_events(
                self.db, self.filters, PAGE_SIZE, self._offset, actor_id=self.actor_id
            )
        except (ServiceError, StorageError) as exc:
            self.total = self._offset  # stop asking until the list is reloaded
            self.failed.emit(str(exc))
            return
        self._offset += len(page)
        if not page:
            self.total = self._offset
            return
        new = [row for row in page if row.id not in self._seen]
        if not new:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(new) - 1)
        self.rows.extend(new)
        self._seen.update(row.id for row in new)
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 1 and row.actor_username:
                return f"{row.actor_name} ({row.actor_username}) at {row.workstation}"
            if column in (4, 5):  # shortened when the column is narrow
                return self._text(row, column) or None
        return None

    @staticmethod
    def _text(row: AuditRow, column: int) -> str:
        if column == 0:
            return time_text(row)
        if column == 1:
            return row.actor_name or row.actor_username or "(no account)"
        if column == 2:
            return row.action
        if column == 3:
            return record_text(row)
        if column == 4:
            return patient_text(row)
        return row.summary
