"""Administration > Audit trail: who did what and when, filtered, and exported as CSV."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import audit_query
from dnt_desktop.services.audit_query import AuditFilters
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.patients import PatientRow, find_patients
from dnt_desktop.services.practitioners import practitioners
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.dates import DateField
from dnt_desktop.ui.widgets.folders import documents_folder
from dnt_desktop.ui.widgets.labels import name_clear_button
from dnt_desktop.ui.widgets.window_size import place_window

from .audit_model import AuditTableModel

ANY = "(any)"
PATIENT_MATCHES = 50


def _patient_label(row: PatientRow) -> str:
    born = format_date(row.date_of_birth)
    return f"{row.family_name}, {row.given_name} ({row.chart_number}, born {born})"


def _date_edit(name: str) -> QDateEdit:
    edit = DateField(QDate.currentDate())
    edit.setObjectName(name)
    edit.setAccessibleName(name.replace("_", " "))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setEnabled(False)
    return edit


class AuditViewer(QDialog):
    """Filters (user, action, patient, dates), the paged list, and Export CSV…."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self.setObjectName("audit_viewer")
        self.setWindowTitle("Audit trail")
        self.placement = place_window(self, "audit_viewer", 1180, 640)

        self.model = AuditTableModel(ctx.db, ctx.practitioner_id, self)
        self.model.failed.connect(self._failed)
        self.model.rowsInserted.connect(lambda *_: self._update_count())
        self.user_box = WideComboBox()
        self.user_box.setObjectName("user_filter")
        self.user_box.setAccessibleName("User")
        self.action_box = WideComboBox()
        self.action_box.setObjectName("action_filter")
        self.action_box.setAccessibleName("Action")
        self.patient_edit = QLineEdit()
        self.patient_edit.setObjectName("patient_filter")
        self.patient_edit.setAccessibleName("Patient")
        self.patient_edit.setPlaceholderText("chart no. or name, then Enter")
        name_clear_button(self.patient_edit, "Clear the patient")
        self.patient_choice = WideComboBox()
        self.patient_choice.setObjectName("patient_choice")
        self.patient_choice.setAccessibleName("Matching patients")
        self.patient_choice.setVisible(False)
        self.patient_note = QLabel()
        self.patient_note.setProperty("role", "hint")
        self.from_check = QCheckBox("&From")
        self.from_date = _date_edit("from_date")
        self.to_check = QCheckBox("&To")
        self.to_date = _date_edit("to_date")

        grid = QGridLayout()
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        grid.addWidget(QLabel("&User"), 0, 0)
        grid.addWidget(self.user_box, 0, 1)
        grid.addWidget(QLabel("&Action"), 0, 2)
        grid.addWidget(self.action_box, 0, 3)
        grid.addWidget(self.from_check, 0, 4)
        grid.addWidget(self.from_date, 0, 5)
        grid.addWidget(self.to_check, 0, 6)
        grid.addWidget(self.to_date, 0, 7)
        grid.addWidget(QLabel("&Patient"), 1, 0)
        patient_row = QHBoxLayout()
        patient_row.addWidget(self.patient_edit, 2)
        patient_row.addWidget(self.patient_choice, 3)
        patient_row.addWidget(self.patient_note, 3)
        grid.addLayout(patient_row, 1, 1, 1, 7)
        for label, buddy in ((0, self.user_box), (2, self.action_box)):
            item = grid.itemAtPosition(0, label).widget()
            assert isinstance(item, QLabel)
            item.setBuddy(buddy)
        patient_label = grid.itemAtPosition(1, 0).widget()
        assert isinstance(patient_label, QLabel)
        patient_label.setBuddy(self.patient_edit)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 2)

        self.table = QTableView()
        self.table.setObjectName("audit_table")
        self.table.setAccessibleName("Audit events")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        time_width = self.fontMetrics().horizontalAdvance("30 Sep 2026 23:59:59") + 24
        for column, width in enumerate((time_width, 160, 120, 120, 230)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        self.count_label = QLabel()
        self.count_label.setObjectName("audit_count")
        self.count_label.setProperty("role", "hint")
        self.status = QLabel()
        self.status.setObjectName("audit_status")
        self.status.setWordWrap(True)
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.clicked.connect(self.export)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        for button in (self.export_button, close):
            button.setAutoDefault(False)  # Enter in the patient field searches, nothing else
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._fill_choices()
        self.user_box.currentIndexChanged.connect(self.apply)
        self.action_box.currentIndexChanged.connect(self.apply)
        self.patient_edit.returnPressed.connect(self.find_patient)
        self.patient_edit.textChanged.connect(self._patient_text_changed)
        self.patient_choice.activated.connect(self._patient_chosen)
        for check, edit in ((self.from_check, self.from_date), (self.to_check, self.to_date)):
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(self.apply)
            edit.dateChanged.connect(self.apply)
        self.apply()

    # --- filters ---------------------------------------------------------------------

    def _fill_choices(self) -> None:
        self.user_box.addItem(ANY, None)
        people = guarded(self, "Audit trail", lambda: practitioners(self.ctx.db, active_only=False))
        for person in people or []:
            suffix = "" if person.active else " (deactivated)"
            self.user_box.addItem(f"{person.full_name} ({person.username}){suffix}", person.id)
        self.action_box.addItem(ANY, None)
        actions = guarded(
            self,
            "Audit trail",
            lambda: audit_query.known_actions(self.ctx.db, actor_id=self.ctx.practitioner_id),
        )
        for action in actions or []:
            self.action_box.addItem(action, action)

    def filters(self) -> AuditFilters:
        """The filters as set on screen."""
        return AuditFilters(
            actor_id=self.user_box.currentData(),
            patient_id=self.patient_id,
            action=self.action_box.currentData(),
            date_from=_day(self.from_date) if self.from_check.isChecked() else None,
            date_to=_day(self.to_date) if self.to_check.isChecked() else None,
        )

    def apply(self) -> None:
        """List the events matching the filters (newest first)."""
        filters = self.filters()
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self._say("The end date is before the start date.", error=True)
            return
        if self.model.set_filters(filters):
            self._say("")
            self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if total == 0:
            self.count_label.setText("No events match.")
        elif shown >= total:
            self.count_label.setText(f"{total:,} event{'s' if total != 1 else ''}")
        else:
            self.count_label.setText(f"Showing {shown:,} of {total:,} events (scroll for more)")

    def find_patient(self) -> None:
        """Narrow to the patient whose chart number or name was typed."""
        text = self.patient_edit.text().strip()
        self.patient_choice.clear()
        self.patient_choice.setVisible(False)
        if not text:
            self._set_patient(None, "")
            return

        found = guarded(
            self, "Audit trail", lambda: find_patients(self.ctx.db, text, limit=PATIENT_MATCHES)
        )
        if found is None:
            return
        if not found:
            self.patient_note.setText(f"No patient matches “{text}”.")
            return
        if len(found) == 1:
            self._set_patient(found[0].id, _patient_label(found[0]))
            return
        self.patient_choice.addItem(f"{len(found)} patients match: choose one", None)
        for row in found:
            self.patient_choice.addItem(_patient_label(row), row.id)
        self.patient_choice.setVisible(True)
        self.patient_note.setText("")
        self.patient_choice.setFocus(Qt.FocusReason.OtherFocusReason)
        self.patient_choice.showPopup()

    def _patient_chosen(self, index: int) -> None:
        patient_id = self.patient_choice.itemData(index)
        if patient_id is not None:
            self.patient_choice.setVisible(False)
            self._set_patient(patient_id, self.patient_choice.itemText(index))

    def _patient_text_changed(self, text: str) -> None:
        if not text.strip() and self.patient_id is not None:
            self._set_patient(None, "")

    def _set_patient(self, patient_id: int | None, label: str) -> None:
        self.patient_id = patient_id
        self.patient_note.setText(label)
        self.apply()

    # --- export ----------------------------------------------------------------------

    def export(self) -> int | None:
        """Write the listed events (all pages) to a CSV file; the export is audited."""
        default = str(documents_folder() / f"audit-trail-{date.today():%Y%m%d}.csv")
        path, _kind = QFileDialog.getSaveFileName(
            self, "Export audit trail", default, "CSV files (*.csv)"
        )
        if not path:
            return None
        if not path.lower().endswith(".csv"):
            path += ".csv"
        filters = self.model.filters
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            count = guarded(
                self,
                "Export audit trail",
                lambda: audit_query.export_csv(
                    self.ctx.db, filters, path, self.ctx.practitioner_id
                ),
            )
        finally:
            QApplication.restoreOverrideCursor()
        if count is None:
            return None
        self.model.reload()
        self._update_count()
        self._say(f"Exported {count:,} event{'s' if count != 1 else ''} to {path}.")
        return count

    # --- messages --------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setProperty("role", "error" if error else "hint")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def _failed(self, text: str) -> None:
        self._say(text, error=True)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())
