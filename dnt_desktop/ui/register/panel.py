"""The register panel: a search box over the patient table, with count and archive option."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.changes import Changes
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.column_fit import CELL_PADDING, Column, ColumnFit
from dnt_desktop.ui.widgets.labels import InfoLabel, name_clear_button

from .model import LIMIT, PatientTableModel

SEARCH_DELAY_MS = 150
"""Typing pauses this long before the search runs, so typing stays fluid."""
SELECT_DELAY_MS = 80
"""Moving through the list opens the chart once the selection rests this long."""


class RegisterPanel(QWidget):
    """Search as you type by name, chart number or date of birth.

    ``patient_selected`` fires when the highlighted patient changes (the chart follows);
    ``patient_activated`` on Enter or double-click (open and move to the chart).
    """

    patient_selected = Signal(int)
    patient_activated = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._quiet = False

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText("Find patient: name, chart no. or date of birth")
        self.search_box.setAccessibleName("Find patient")
        name_clear_button(self.search_box, "Clear the search")
        self.search_box.setToolTip(
            "Type the start of a family or given name (or both), a chart number, or a date "
            "of birth such as 30.04.1975. Down arrow moves into the list, Enter opens."
        )
        self.search_box.installEventFilter(self)

        self.show_archived = QCheckBox("Show &archived")
        self.show_archived.setAccessibleName("Show archived patients")
        self.count_label = InfoLabel(name="Number of patients found")
        self.count_label.setProperty("role", "hint")
        self.count_label.setWordWrap(True)  # a long message wraps, never widens the register

        self.model = PatientTableModel(ctx.db, self)
        self.table = QTableView()
        self.table.setAccessibleName("Patients")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        row_height = self.fontMetrics().height() + 10
        self.table.verticalHeader().setDefaultSectionSize(row_height)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        metrics = self.fontMetrics()
        italic = self.font()
        italic.setItalic(True)
        self._chart_width = metrics.horizontalAdvance("P0000000") + CELL_PADDING
        self._archived_chart_width = (
            QFontMetrics(italic).horizontalAdvance("P0000000 (archived)") + CELL_PADDING
        )
        names = metrics.horizontalAdvance("Fitzgerald-Smith")
        self.columns = ColumnFit(
            self.table,
            {
                0: Column(natural=self._chart_width, hide_rank=2),
                1: Column(natural=names, minimum=90),
                2: Column(natural=names, minimum=80),
                3: Column(
                    natural=metrics.horizontalAdvance("00 Mmm 0000 (00)") + CELL_PADDING,
                    hide_rank=1,
                ),
                4: Column(
                    natural=metrics.horizontalAdvance("+00 0000 000000") + CELL_PADDING, hide_rank=3
                ),
            },
            stretch=1,
        )
        self.table.installEventFilter(self)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)
        self._select_timer = QTimer(self)
        self._select_timer.setSingleShot(True)
        self._select_timer.setInterval(SELECT_DELAY_MS)
        self._select_timer.timeout.connect(self._emit_selected)

        self.search_box.textChanged.connect(lambda _text: self._search_timer.start())
        self.search_box.returnPressed.connect(self._open_from_search)
        self.show_archived.toggled.connect(self._archived_toggled)
        self.model.page_failed.connect(self._page_failed)
        self.table.activated.connect(lambda index: self._activate_row(index.row()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._current_changed(current.row())
        )
        ctx.hub.changed.connect(self._on_changed)

        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.show_archived)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 4, 8)
        layout.setSpacing(6)
        layout.addWidget(self.search_box)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.search_box, self.table)
        self.setTabOrder(self.table, self.show_archived)
        self.run_search()

    # --- searching -------------------------------------------------------------------

    def _archived_toggled(self, shown: bool) -> None:
        """Widen the chart-number column for "P0000000 (archived)" while archived rows show."""
        width = self._archived_chart_width if shown else self._chart_width
        self.columns.columns[0] = Column(natural=width, hide_rank=2)
        self.run_search()
        self.columns.fit()

    def run_search(self) -> None:
        """Search now (the timer calls this after typing pauses)."""
        self._search_timer.stop()
        previous = self.current_patient_id()
        text = self.search_box.text()

        def search() -> bool:
            self.model.search(text, include_archived=self.show_archived.isChecked())
            return True

        if guarded(self, "Find patient", search) is None:
            return
        self._update_count()
        if previous is not None:
            self.select_patient(previous, quiet=True)

    def _page_failed(self, message: str) -> None:
        self.count_label.setText(f"Some rows could not be read: {message} Search again to retry.")
        self.count_label.setStyleSheet(f"color: {style.ERROR_TEXT};")

    def search_pending(self) -> bool:
        """True while typing has not yet been searched."""
        return self._search_timer.isActive()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        noun = "patient" if total == 1 else "patients"
        if not self.model.text.strip():
            text = f"{total:,} {noun}" if shown == total else f"First {shown:,} of {total:,}"
        elif total == 0:
            text = "No patient found"
        elif self.model.more:
            text = f"First {shown:,} of {total:,}+ {noun}: type more to narrow"
        elif shown < total:
            text = f"First {shown:,} of {total:,} {noun}: type more to narrow"
        else:
            text = f"{total:,} {noun} found"
        self.count_label.setStyleSheet("")
        self.count_label.setText(text)

    # --- selection -------------------------------------------------------------------

    def current_patient_id(self) -> int | None:
        """The highlighted patient."""
        index = self.table.currentIndex()
        return self.model.patient_id(index.row()) if index.isValid() else None

    def select_patient(self, patient_id: int, *, quiet: bool = False) -> bool:
        """Highlight *patient_id* if listed; *quiet* does not open its chart."""
        row = self.model.row_of(patient_id)
        if row is None:
            return False
        self._quiet = quiet
        try:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.scrollTo(self.model.index(row, 0))
        finally:
            self._quiet = False
        return True

    def reveal_patient(self, patient_id: int, family_name: str) -> None:
        """Show *patient_id* in the list, searching for *family_name* if it is not listed."""
        if self.model.row_of(patient_id) is None:
            self.search_box.blockSignals(True)
            self.search_box.setText(family_name)
            self.search_box.blockSignals(False)
            self.run_search()
        self.select_patient(patient_id, quiet=True)

    def _current_changed(self, row: int) -> None:
        if self._quiet or row < 0:
            return
        self._select_timer.start()

    def _emit_selected(self) -> None:
        patient_id = self.current_patient_id()
        if patient_id is not None:
            self.patient_selected.emit(patient_id)

    def _activate_row(self, row: int) -> None:
        patient_id = self.model.patient_id(row)
        if patient_id is not None:
            self._select_timer.stop()
            self.patient_activated.emit(patient_id)

    def _open_from_search(self) -> None:
        if self.search_pending():
            self.run_search()
        if self.model.rowCount() == 0:
            return
        current = self.table.currentIndex()
        if current.isValid():
            self._activate_row(current.row())
            return
        first = self.model.patient_id(0)
        if first is not None:
            self.select_patient(first, quiet=True)
            self._activate_row(0)

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected (Ctrl+F)."""
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_box and key == Qt.Key.Key_Down:
                if self.search_pending():
                    self.run_search()
                if self.model.rowCount():
                    if not self.table.currentIndex().isValid():
                        self.table.setCurrentIndex(self.model.index(0, 0))
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if (
                watched is self.table
                and key == Qt.Key.Key_Up
                and self.table.currentIndex().row() <= 0
            ):
                self.focus_search()
                return True
        return super().eventFilter(watched, event)

    # --- changes and settings --------------------------------------------------------

    def _on_changed(self, changes: Changes) -> None:
        if changes.patients:  # the register shows the patients' own records only
            self.run_search()

    def save_state(self, settings: QSettings) -> None:
        """Remember the archive option (the columns fit the width by themselves)."""
        settings.setValue("register/show_archived", self.show_archived.isChecked())

    def restore_state(self, settings: QSettings) -> None:
        """Restore what ``save_state`` remembered."""
        archived = settings.value("register/show_archived", False, type=bool)
        self.show_archived.setChecked(bool(archived))


__all__ = ["LIMIT", "RegisterPanel"]
