"""The "unsigned sessions" banner: the practitioner's old drafts, listed after sign-in.

It sits at the top of the main window in amber, so it cannot be missed, but it blocks
nothing: the register and chart work as usual, a double-click (or Enter) on a line opens
that session, and "Dismiss" hides the banner until the next start. It follows changes,
so a draft that gets signed leaves the list.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import records
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext

VISIBLE_ROWS = 3
TABLE_MAX_WIDTH = 820
_STYLE = (
    f"#stale_drafts {{ background: {style.CAUTION_BACKGROUND}; border: 1px solid #e0b100;"
    " border-radius: 6px; margin: 6px 8px 2px 8px; }"
    f" #stale_drafts QLabel {{ color: {style.CAUTION_TEXT}; }}"
)


def headline(items: list[records.StaleDraft]) -> str:
    """'3 of your sessions are still unsigned drafts (the oldest is 12 days old).'"""
    count = len(items)
    oldest = max((item.days_old for item in items), default=0)
    what = "1 of your sessions is" if count == 1 else f"{count} of your sessions are"
    days = "1 day" if oldest == 1 else f"{oldest} days"
    return f"{what} still unsigned (the oldest is {days} old)."


class StaleDraftsBanner(QFrame):
    """Lists ``records.stale_drafts`` of the signed-in practitioner; hidden when none.

    ``open_requested(patient_id, session_id)`` asks the window to open a session.
    """

    open_requested = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[records.StaleDraft] = []
        self.dismissed = False
        self.setObjectName("stale_drafts")
        self.setAccessibleName("Unsigned sessions")
        self.setStyleSheet(_STYLE)

        self.title = QLabel()
        self.title.setObjectName("stale_drafts_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.title.setWordWrap(True)
        hint = QLabel("Double-click a session to open it, check it and sign it.")
        self.toggle_button = QPushButton("Hide list")
        self.toggle_button.clicked.connect(self.toggle_list)
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Hide this reminder until dnt-desktop starts again")
        self.dismiss_button.clicked.connect(self.dismiss)

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("stale_drafts_table")
        self.table.setAccessibleName("Unsigned sessions")
        self.table.setHorizontalHeaderLabels(["Session", "Patient", "Chart no.", "Age"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.setMaximumWidth(TABLE_MAX_WIDTH)
        self.table.activated.connect(lambda index: self.open_row(index.row()))

        top = QHBoxLayout()
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.title)
        words.addWidget(hint)
        top.addLayout(words, 1)
        top.addWidget(self.toggle_button)
        top.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        table_row = QHBoxLayout()
        table_row.addWidget(self.table, 1)  # grows up to TABLE_MAX_WIDTH, then the stretch
        table_row.addStretch(0)
        layout.addLayout(table_row)
        self.setVisible(False)
        ctx.hub.changed.connect(self._changed)

    def refresh(self) -> None:
        """Read the practitioner's stale drafts again and show or hide the banner."""
        try:
            items = records.stale_drafts(self.ctx.db, self.ctx.practitioner_id)
        except (ServiceError, StorageError):
            return  # a reminder only: the next change or start tries again
        self.items = items
        self.title.setText(headline(items))
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            age = "1 day" if item.days_old == 1 else f"{item.days_old} days"
            for column, text in enumerate(
                (format_datetime(item.started_at), item.patient_name, item.chart_number, age)
            ):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.session_id)
                self.table.setItem(row, column, cell)
        shown = min(len(items), VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height()
        height += shown * self.table.verticalHeader().defaultSectionSize() + 4
        self.table.setFixedHeight(height)
        self.setVisible(bool(items) and not self.dismissed)

    def _changed(self, changes: Changes) -> None:
        if changes.sessions and (self.items or not self.dismissed):
            self.refresh()

    def open_row(self, row: int) -> None:
        """Ask for the session on *row* to be opened."""
        if 0 <= row < len(self.items):
            item = self.items[row]
            self.open_requested.emit(item.patient_id, item.session_id)

    def toggle_list(self) -> None:
        """Show or hide the list (the headline stays)."""
        visible = not self.table.isVisible()
        self.table.setVisible(visible)
        self.toggle_button.setText("Hide list" if visible else "Show list")

    def dismiss(self) -> None:
        """Hide the banner until the next start."""
        self.dismissed = True
        self.setVisible(False)
