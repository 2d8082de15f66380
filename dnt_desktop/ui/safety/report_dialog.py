"""Clinic > Safety report…: the clinic's adverse-event rates beside the published ones.

Administrators see the whole clinic or one practitioner; a practitioner sees their own
sessions. For the chosen period: per category the events, treatments, rate with its
Wilson 95% interval and Brady's and Boyce's rates, marked when above; the breakdowns;
the chart; Export PDF… and Export CSV… (audited). The report follows every change notice,
so a late event recorded in an editor shows at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QDate, QEventLoop, QObject, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.practitioners import practitioners
from dnt_desktop.services.rules import describe_problems
from dnt_desktop.services.safety import published
from dnt_desktop.services.safety.export import compared_text, report_csv
from dnt_desktop.services.safety.report import (
    Breakdown,
    CategoryRow,
    GroupRow,
    SafetyReport,
    default_period,
    record_export,
    safety_report,
)
from dnt_desktop.services.safety.stats import describe
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.session.late_events import ask_save_path
from dnt_desktop.ui.widgets.background import BackgroundTask
from dnt_desktop.ui.widgets.column_fit import Column, ColumnFit
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.dates import DateField
from dnt_desktop.ui.widgets.list_table import configure_list_table
from dnt_desktop.ui.widgets.list_table_model import Index, ListTableModel
from dnt_desktop.ui.widgets.window_size import place_window

from .rates_chart import RatesChart


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class RatesModel(ListTableModel[CategoryRow]):
    """One row per category: events, rate with interval, published rates, comparison."""

    def __init__(self, parent: QObject | None = None) -> None:
        studies = tuple(s.short for s in published.studies())
        super().__init__(
            ("Category", "Events", "Rate (95% interval)", *studies, "Compared"), parent
        )
        self.too_few = False

    def set_report(self, report: SafetyReport | None) -> None:
        """Show *report*'s categories and totals."""
        self.beginResetModel()
        self.rows = [*report.categories, *report.totals] if report else []
        self.too_few = report.too_few if report else False
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        studies = published.studies()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return row.label
            if column == 1:
                return str(row.rate.events)
            if column == 2:
                return describe(row.rate)
            if column < 3 + len(studies):
                study = studies[column - 3]
                item = row.published.get(study.code)
                if role == Qt.ItemDataRole.ToolTipRole:
                    return study.citation
                return item.text if item else "–"
            return compared_text(row, self.too_few)
        if role == Qt.ItemDataRole.ForegroundRole and row.above and not self.too_few:
            return QColor(style.ERROR_TEXT)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class GroupsModel(ListTableModel[GroupRow]):
    """One breakdown: its groups with treatments, events and rate."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(("Group", "Treatments", "With any event", "Rate (95% interval)"), parent)

    def set_breakdown(self, breakdown: Breakdown | None) -> None:
        self.beginResetModel()
        self.rows = list(breakdown.rows) if breakdown else []
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                row.name,
                f"{row.rate.treatments:,}",
                f"{row.rate.events:,}",
                describe(row.rate),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SafetyReportDialog(QDialog):
    """The Safety report window (not modal; follows change notices)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: SafetyReport | None = None
        self._task: BackgroundTask | None = None
        self._again = False
        self.setObjectName("safety_report_dialog")
        self.setWindowTitle("Safety report")
        first, last = default_period()
        self.first = DateField()
        self.first.setObjectName("safety_from")
        self.first.setAccessibleName("From")
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("yyyy-MM-dd")
        self.first.setDate(_qdate(first))
        self.last = DateField()
        self.last.setObjectName("safety_to")
        self.last.setAccessibleName("To")
        self.last.setCalendarPopup(True)
        self.last.setDisplayFormat("yyyy-MM-dd")
        self.last.setDate(_qdate(last))
        self.scope = WideComboBox()
        self.scope.setObjectName("safety_scope")
        self.scope.setAccessibleName("Whose sessions")
        if ctx.is_admin:
            self.scope.addItem("Whole clinic", None)
            for person in practitioners(ctx.db, active_only=False):
                self.scope.addItem(person.full_name, person.id)
        else:
            self.scope.addItem(f"My sessions ({ctx.practitioner_name})", ctx.practitioner_id)
            self.scope.setEnabled(False)
        self.show_button = QPushButton("&Show")
        self.show_button.setObjectName("safety_show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        from_label = QLabel("&From:")
        from_label.setBuddy(self.first)
        to_label = QLabel("&To:")
        to_label.setBuddy(self.last)
        scope_label = QLabel("&Whose:")
        scope_label.setBuddy(self.scope)
        filters = QHBoxLayout()
        for widget in (from_label, self.first, to_label, self.last, scope_label, self.scope):
            filters.addWidget(widget)
        filters.addWidget(self.show_button)
        filters.addStretch(1)

        self.summary = QLabel()
        self.summary.setObjectName("safety_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.too_few = QLabel()
        self.too_few.setObjectName("safety_too_few")
        self.too_few.setWordWrap(True)
        self.too_few.setStyleSheet(f"color: {style.ERROR_TEXT}; font-weight: 600;")

        self.rates = RatesModel(self)
        self.rates_table = QTableView()
        self.rates_table.setObjectName("safety_rates")
        self.rates_table.setModel(self.rates)
        configure_list_table(self.rates_table, "Rates per category", row_padding=6)
        self.rates_fit = ColumnFit(
            self.rates_table, {0: Column(minimum=150), 5: Column(minimum=110)}, stretch=5
        )
        self.chart = RatesChart()
        self.groups = GroupsModel(self)
        self.group_choice = WideComboBox()
        self.group_choice.setObjectName("safety_breakdown")
        self.group_choice.setAccessibleName("Breakdown")
        self.group_choice.currentIndexChanged.connect(self._show_breakdown)
        self.groups_table = QTableView()
        self.groups_table.setObjectName("safety_groups")
        self.groups_table.setModel(self.groups)
        configure_list_table(self.groups_table, "Breakdown", row_padding=6)
        self.groups_fit = ColumnFit(self.groups_table, {0: Column(minimum=150)}, stretch=0)
        groups_page = QWidget()
        groups_layout = QVBoxLayout(groups_page)
        choice_row = QHBoxLayout()
        choice_label = QLabel("&Breakdown:")
        choice_label.setBuddy(self.group_choice)
        choice_row.addWidget(choice_label)
        choice_row.addWidget(self.group_choice)
        choice_row.addStretch(1)
        groups_layout.addLayout(choice_row)
        groups_layout.addWidget(self.groups_table, 1)
        note = QLabel(
            "Any adverse event (charted in the session or reported after signing) per 100 "
            "treatments in each group, with its Wilson 95% interval."
        )
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        groups_layout.addWidget(note)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("safety_tabs")
        self.tabs.addTab(self.rates_table, "&Rates")
        self.tabs.addTab(self.chart, "C&hart")
        self.tabs.addTab(groups_page, "&Groups")

        self.method = QLabel(
            "Rate: treatments (signed sessions) with at least one event of the category per "
            "100 treatments, with its Wilson 95% interval; with no event, the upper bound by "
            "the rule of three (3/n). Marked above a published rate only when the interval's "
            "lower end is above it. Published: "
            + "; ".join(s.citation for s in published.studies())
        )
        self.method.setProperty("role", "hint")
        self.method.setWordWrap(True)

        self.pdf_button = QPushButton("Export &PDF…")
        self.pdf_button.setObjectName("safety_export_pdf")
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.csv_button = QPushButton("Export &CSV…")
        self.csv_button.setObjectName("safety_export_csv")
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.close_button = QPushButton("Cl&ose")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.pdf_button, self.csv_button, self.close_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.too_few)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.method)
        layout.addLayout(buttons)
        self.placement = place_window(self, "safety_report", 1100, 700)
        ctx.hub.changed.connect(self._changed)
        self.refresh()

    # --- the report ------------------------------------------------------------------

    @property
    def computing(self) -> bool:
        """True while a report is being computed (on a worker thread)."""
        return self._task is not None

    def refresh(self) -> None:
        """Compute the report for the period and scope on screen, off the GUI thread.

        A year of a large clinic takes seconds; the window stays usable and says what it
        is doing. A change that comes while one is computed asks for one more run when it
        ends, so what is finally shown is never older than the last change."""
        if self._task is not None:
            self._again = True
            return
        first, last = _day(self.first.date()), _day(self.last.date())
        db, me, scope = self.ctx.db, self.ctx.practitioner_id, self.scope.currentData()
        self._again = False
        self.pdf_button.setEnabled(False)
        self.csv_button.setEnabled(False)
        self.summary.setText(
            f"Computing the report for {format_date(first)} to {format_date(last)}…"
        )
        self._task = BackgroundTask(
            lambda: safety_report(db, me, first, last, practitioner_id=scope)
        )
        self._task.done.connect(self._computed)
        self._task.start()

    def wait_for_report(self) -> SafetyReport | None:
        """Process events until the report on screen is current (tests, screenshots)."""
        while self.computing:
            QApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
        return self.report

    def _computed(self) -> None:
        task, self._task = self._task, None
        if task is None or not shiboken6.isValid(self):
            return
        if self._again:
            self.refresh()
            return
        if isinstance(task.error, ValidationError):
            self.summary.setText(describe_problems(task.error.problems))
        elif isinstance(task.error, ServiceError | StorageError):
            self.summary.setText(f"The report could not be computed: {task.error}")
        elif task.error is not None:
            raise task.error
        else:
            self._show(task.result)

    def _show(self, report: SafetyReport) -> None:
        self.report = report
        self.summary.setText(
            f"<b>{report.scope}</b>, treatments started {report.period}: "
            f"<b>{report.treatments:,}</b> signed sessions; {report.late_events:,} event(s) "
            "reported after signing are counted with those charted in the sessions."
        )
        self.too_few.setText(
            f"Only {report.treatments} treatment(s): too few to compare with the published "
            "rates (at least 100 are needed)."
        )
        self.too_few.setVisible(report.too_few)
        self.rates.set_report(report)
        self.rates_fit.schedule()
        self.chart.show_report(report)
        keep = self.group_choice.currentIndex()
        self.group_choice.blockSignals(True)
        self.group_choice.clear()
        for breakdown in report.breakdowns:
            self.group_choice.addItem(breakdown.title)
        self.group_choice.setCurrentIndex(max(0, keep))
        self.group_choice.blockSignals(False)
        self._show_breakdown()
        can_export = report.treatments > 0
        self.pdf_button.setEnabled(can_export)
        self.csv_button.setEnabled(can_export)

    def row(self, code: str) -> CategoryRow | None:
        """The shown row of category *code* (tests)."""
        return next((r for r in self.rates.rows if r.code == code), None)

    def _show_breakdown(self) -> None:
        index = self.group_choice.currentIndex()
        breakdowns = self.report.breakdowns if self.report else ()
        self.groups.set_breakdown(breakdowns[index] if 0 <= index < len(breakdowns) else None)
        self.groups_fit.schedule()

    def _changed(self, changes: Changes) -> None:
        if changes.sessions or changes.settings:
            self.refresh()

    # --- export ----------------------------------------------------------------------

    def export(self, kind: str) -> Path | None:
        """Export PDF… / Export CSV…: ask where, write, audit."""
        report = self.report
        if report is None:
            return None
        name = f"safety-report-{report.first_day:%Y%m%d}-{report.last_day:%Y%m%d}.{kind}"
        kinds = "PDF files (*.pdf)" if kind == "pdf" else "CSV files (*.csv)"
        chosen = ask_save_path(self, f"Export the Safety report as {kind.upper()}", name, kinds)
        if not chosen:
            return None
        path = Path(chosen if chosen.lower().endswith(f".{kind}") else f"{chosen}.{kind}")
        from dnt_desktop.pdf import write_atomically

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if kind == "pdf":
                from dnt_desktop.pdf.safety_report import render_safety_report
                from dnt_desktop.services.clinic_details import get_clinic

                clinic = get_clinic(self.ctx.db)
                data = render_safety_report(report, clinic.name if clinic else "")
            else:
                data = report_csv(report).encode("utf-8")
            write_atomically(path, data)
            record_export(self.ctx.db, self.ctx.practitioner_id, report, kind.upper())
        except (ServiceError, StorageError) as exc:
            QMessageBox.warning(self, "Safety report", str(exc))
            return None
        except OSError as exc:
            QMessageBox.warning(
                self, "Safety report", f"Could not write {path}: {exc.strerror or exc}"
            )
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.summary.setText(self.summary.text() + f"<br>Exported to {path}.")
        return path
