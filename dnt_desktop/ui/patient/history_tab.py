"""The Session history tab: every session of the patient, newest first."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.records import amendments
from dnt_desktop.services.safety.late_events import late_events
from dnt_desktop.services.sessions import session_history
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.session.amendments import AmendmentsList
from dnt_desktop.ui.session.late_events import LateEventsList
from dnt_desktop.ui.widgets.column_fit import Column, ColumnFit
from dnt_desktop.ui.widgets.list_table import configure_list_table

from .history_model import HistoryModel

WIDEST_TEXT = {
    0: ("30 Sep 2026 23:59",),
    1: ("Myofascial pain syndrome, lateral epicondylalgia",),
    2: ("Points", "50"),
    3: ("10 → 10",),
    4: ("Bruising, post-needling soreness",),
    5: ("Amended (99)",),
    6: ("Aftercare", "Given"),
    7: ("Dr Alexandra Montgomery",),
}
"""The columns' widths come from these texts, not from the rows: a chart opens without
measuring every cell (shorter texts are shortened with "…", and whole in the tooltip)."""


class HistoryTab(QWidget):
    """Double-click or Enter opens a session; ``New session`` starts one."""

    open_requested = Signal(int)
    new_requested = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        configure_list_table(self.table, "Session history", row_padding=10)
        self.table.setWordWrap(False)
        self.columns = ColumnFit(
            self.table,
            {
                1: Column(minimum=85),  # conditions and side effects: shortened, in tooltips
                4: Column(minimum=80),
                5: Column(minimum=70),  # "Amended (2)" shortens before anything scrolls
                7: Column(minimum=90, hide_rank=1),
            },
            stretch=1,
            samples=lambda column: WIDEST_TEXT.get(column, ()),
        )
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.activated.connect(lambda index: self._open_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_amendments())

        self.amendments_title = QLabel()
        self.amendments_title.setProperty("role", "section")
        self.amendments = AmendmentsList()
        self.amendments.setMaximumHeight(150)
        self.amendments_box = QWidget()
        box_layout = QVBoxLayout(self.amendments_box)
        box_layout.setContentsMargins(0, 4, 0, 0)
        box_layout.setSpacing(4)
        box_layout.addWidget(self.amendments_title)
        box_layout.addWidget(self.amendments)
        self.amendments_box.setVisible(False)
        self.late_events = LateEventsList()  # issue 16: events reported after signing
        self.late_events.setMaximumHeight(120)
        self.late_events.setVisible(False)

        self.summary = QLabel()
        self.summary.setProperty("role", "hint")
        self.new_button = QPushButton("&New session")
        self.new_button.setProperty("primary", True)
        self.new_button.setToolTip("Chart a new session for this patient (Ctrl+N)")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton("&Open session")
        self.open_button.setToolTip("Open the selected session (Enter or double-click)")
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentIndex().row()))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.amendments_box)
        layout.addWidget(self.late_events)
        self._update_buttons()

    def preferred_focus(self) -> QWidget:
        """Where the keyboard goes when the chart opens: the sessions (Enter opens the
        highlighted one), or New session when there is none."""
        return self.table if self.model.rows else self.new_button

    def selected_session_id(self) -> int | None:
        """The session highlighted in the table."""
        index = self.table.currentIndex()
        return self.model.session_id(index.row()) if index.isValid() else None

    def _open_row(self, row: int) -> None:
        session_id = self.model.session_id(row)
        if session_id is not None:
            self.open_requested.emit(session_id)

    def _show_amendments(self) -> None:
        """List the amendments of the highlighted session under the table (if it has any)."""
        index = self.table.currentIndex()
        row = self.model.rows[index.row()] if index.isValid() else None
        self._show_late_events(row.session_id if row and row.late_event_count else None)
        if row is None or not row.amendment_count:
            self.amendments_box.setVisible(False)
            return
        items = guarded(self, "Amendments", lambda: amendments(self.ctx.db, row.session_id))
        if items is None:
            self.amendments_box.setVisible(False)
            return
        self.amendments_title.setText(
            f"Amendments to the signed session of {format_datetime(row.started_at)}"
        )
        self.amendments.set_amendments(items)
        self.amendments_box.setVisible(True)

    def _show_late_events(self, session_id: int | None) -> None:
        """The events reported after signing of the highlighted session (if any)."""
        items = None
        if session_id is not None:
            items = guarded(self, "Late events", lambda: late_events(self.ctx.db, session_id))
        self.late_events.set_events(items or [])
        self.late_events.setVisible(bool(items))

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.selected_session_id() is not None)

    def show_patient(self, patient_id: int) -> None:
        """Load the patient's sessions, keeping the highlighted one."""
        keep = self.selected_session_id() if patient_id == self.patient_id else None
        self.patient_id = patient_id
        rows = guarded(self, "Session history", lambda: session_history(self.ctx.db, patient_id))
        self.model.set_rows(rows or [])
        count = len(self.model.rows)
        drafts = sum(1 for r in self.model.rows if r.status.value == "draft")
        text = f"{count} session{'s' if count != 1 else ''}"
        if drafts:
            text += f", {drafts} draft{'s' if drafts != 1 else ''} not yet signed"
        self.summary.setText(text if count else "No sessions yet.")
        row = self.model.row_of(keep) if keep is not None else None
        if row is None and count:
            row = 0
        if row is not None:
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()
        self._show_amendments()
