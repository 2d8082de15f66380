"""The patient chart: header, alert banner and the tabs, following ``ctx.hub`` changes."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import clinical_state
from dnt_desktop.services.dates import format_birth, format_date
from dnt_desktop.services.patients import get_patient
from dnt_desktop.services.progress.referrers import patient_referrer
from dnt_desktop.services.rules import ClinicalState, ConsentState, patient_alerts
from dnt_desktop.services.settings import rule_settings
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.progress.progress_tab import ProgressTab
from dnt_desktop.ui.record.attachments_tab import AttachmentsTab
from dnt_desktop.ui.record.retention_fact import retention_fact
from dnt_desktop.ui.widgets.alert_banner import AlertBanner
from dnt_desktop.ui.widgets.labels import InfoLabel

from .consent_tab import ConsentTab
from .details_tab import DetailsTab
from .form_dialog import SEX_LABELS
from .history_tab import HistoryTab
from .medical_tab import MedicalTab
from .screening_tab import ScreeningTab

(DETAILS_TAB, MEDICAL_TAB, SCREENING_TAB, CONSENT_TAB, HISTORY_TAB, PROGRESS_TAB, FILES_TAB) = (
    range(7)
)


def all_clear_text(state: ClinicalState) -> str:
    """The green line shown when the rules raise no alert."""
    if state.screening is None or state.consent != ConsentState.ACTIVE:
        return ""
    screened = f" (screened {format_date(state.screened_on)})" if state.screened_on else ""
    return f"No contraindication present{screened}; consent on record"


class PatientChartView(QWidget):
    """One patient's chart; ``show_patient`` loads it, ``clear`` shows the hint page.

    The chart page (header, banner and five tabs) is built when the first patient is
    opened, not with the main window: the window appears sooner.
    """

    edit_requested = Signal(int)
    archive_requested = Signal(int, bool)
    new_session_requested = Signal(int)
    open_session_requested = Signal(int, int)
    session_selection_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient: Patient | None = None
        self.state: ClinicalState | None = None
        self._chart_page: QWidget | None = None

        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_placeholder())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        ctx.hub.changed.connect(self._on_changed)

    @property
    def patient_id(self) -> int | None:
        """The open patient's id."""
        return self.patient.id if self.patient else None

    # --- building --------------------------------------------------------------------

    def _build_placeholder(self) -> QWidget:
        page = QWidget()
        text = QLabel(
            "<p style='font-size:13pt'><b>No patient open</b></p>"
            "<p>Find a patient on the left (<b>Ctrl+F</b>, type a name, chart number or date "
            "of birth, then <b>Enter</b>),<br>or register a new patient "
            "(<b>Ctrl+Shift+N</b>).</p>"
        )
        text.setProperty("role", "placeholder")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)
        layout = QVBoxLayout(page)
        layout.addWidget(text, 1)
        return page

    def ensure_chart_page(self) -> None:
        """Build the chart page (header, banner, tabs) unless it exists already."""
        if self._chart_page is None:
            self._chart_page = self._build_chart()
            self.stack.addWidget(self._chart_page)

    def _build_chart(self) -> QWidget:
        page = QWidget()
        self.name_label = InfoLabel(name="Patient name")
        self.name_label.setProperty("role", "heading")
        self.name_label.setWordWrap(True)
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts_label = InfoLabel(name="Patient summary")
        self.facts_label.setProperty("role", "subheading")
        self.facts_label.setWordWrap(True)
        self.facts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.archived_label = QLabel("ARCHIVED")
        self.archived_label.setStyleSheet(
            "QLabel { background: #5a6675; color: white; font-weight: bold;"
            " padding: 2px 8px; border-radius: 3px; }"
        )
        self.archived_label.setVisible(False)

        names = QVBoxLayout()
        names.setSpacing(2)
        title_row = QHBoxLayout()
        title_row.addWidget(self.name_label, 1)  # the whole width: wraps only when needed
        title_row.addWidget(self.archived_label, 0, Qt.AlignmentFlag.AlignTop)
        names.addLayout(title_row)
        names.addWidget(self.facts_label)
        header = QHBoxLayout()
        header.addLayout(names, 1)

        self.banner = AlertBanner()

        self.details_tab = DetailsTab()
        self.medical_tab = MedicalTab(self.ctx)
        self.screening_tab = ScreeningTab(self.ctx)
        self.consent_tab = ConsentTab(self.ctx)
        self.history_tab = HistoryTab(self.ctx)
        self.files_tab = AttachmentsTab(self.ctx)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Patient chart")
        self.tabs.tabBar().setAccessibleName("Chart sections")
        self.tabs.addTab(self.details_tab, "&Details")
        self.tabs.addTab(self.medical_tab, "&Medical history")
        self.tabs.addTab(self.screening_tab, "&Screening")
        self.tabs.addTab(self.consent_tab, "C&onsent")
        self.tabs.addTab(self.history_tab, "Sess&ions")
        self.progress_tab = ProgressTab(self.ctx)  # pain graph, measures, letters (issue 15)
        self.tabs.addTab(self.progress_tab, "Pro&gress")
        self.tabs.setUsesScrollButtons(True)  # tabs that do not fit stay reachable
        self.tabs.addTab(self.files_tab, "Fi&les")
        self.tabs.setCurrentIndex(HISTORY_TAB)

        self.details_tab.edit_requested.connect(self._request_edit)
        self.details_tab.archive_requested.connect(self._request_archive)
        self.history_tab.new_requested.connect(self._request_new_session)
        self.history_tab.open_requested.connect(self._request_open_session)
        self.history_tab.table.selectionModel().currentRowChanged.connect(
            lambda *_: self.session_selection_changed.emit()
        )

        layout = QVBoxLayout(page)
        layout.setContentsMargins(12, 10, 10, 8)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        return page

    # --- loading ---------------------------------------------------------------------

    def show_patient(self, patient_id: int) -> bool:
        """Open *patient_id*'s chart; False when it could not be read."""
        patient = guarded(self, "Open patient", lambda: get_patient(self.ctx.db, patient_id))
        if patient is None:
            return False
        self.ensure_chart_page()
        changed_patient = self.patient_id != patient_id
        self.patient = patient
        self._show_header(patient)
        self.details_tab.show_patient(patient)
        self._show_referrer()
        self.medical_tab.show_patient(patient)
        self._refresh_alerts()
        self.screening_tab.show_patient(patient_id, patient.sex)
        self.consent_tab.show_patient(patient_id)
        self.history_tab.show_patient(patient_id)
        self.progress_tab.show_patient(patient_id)
        self.files_tab.show_patient(patient_id, patient.archived)
        self.stack.setCurrentWidget(self._chart_page)
        if changed_patient:
            self.tabs.setCurrentIndex(HISTORY_TAB)
        return True

    def warm_up(self, patient_id: int | None) -> None:
        """Open *patient_id*'s chart unseen and close it again (nothing while a chart is
        open): the first chart the user opens is then as quick as the next one, its page
        built, its queries compiled and its text laid out once. The app calls it when
        the window is idle after the start, in two steps (building, then reading)."""
        if self.patient is not None or patient_id is None:
            return
        if self._chart_page is None:
            self.ensure_chart_page()
            QTimer.singleShot(0, self, lambda: self.warm_up(patient_id))
            return
        if not self.show_patient(patient_id):
            return
        if self._chart_page is not None:
            self._chart_page.grab()  # painted off screen, never shown
        self.clear()
        self.session_selection_changed.emit()  # the window's actions follow: no patient

    def clear(self) -> None:
        """Close the chart and show the hint page."""
        self.patient = None
        self.state = None
        self.stack.setCurrentIndex(0)

    def _show_header(self, patient: Patient) -> None:
        self.name_label.setText(f"{patient.family_name}, {patient.given_name}")
        facts = [
            f"Born {format_birth(patient.date_of_birth)}",
            SEX_LABELS.get(patient.sex, ""),
            f"Chart no. {patient.chart_number}",
        ]
        if patient.phone:
            facts.append(f"Phone {patient.phone}")
        # issue 17; kept on one line when the facts wrap
        facts.append(retention_fact(self.ctx.db, patient).replace(" ", "\u00a0"))
        self.facts_label.setText("   ·   ".join(f for f in facts if f and f != "Not recorded"))
        self.archived_label.setVisible(patient.archived)
        self.history_tab.new_button.setEnabled(not patient.archived)

    def _show_referrer(self) -> None:
        """The Details tab's "Referred by" (issue 15)."""
        patient_id = self.patient_id
        if patient_id is None:
            return
        found = guarded(self, "Referrer", lambda: [patient_referrer(self.ctx.db, patient_id)])
        if found is not None:
            self.details_tab.values["referrer"].setText(found[0].label if found[0] else "—")

    def _refresh_alerts(self) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        state = guarded(self, "Clinical alerts", lambda: clinical_state(self.ctx.db, patient_id))
        settings = guarded(self, "Clinical alerts", lambda: rule_settings(self.ctx.db))
        if state is None or settings is None:
            return
        self.state = state
        self.banner.set_alerts(patient_alerts(state, settings), all_clear_text(state))

    def reload_patient(self) -> None:
        """Re-read the patient's details (after an edit), keeping unsaved medical typing."""
        patient_id = self.patient_id
        if patient_id is None:
            return
        patient = guarded(self, "Open patient", lambda: get_patient(self.ctx.db, patient_id))
        if patient is None:
            return
        self.patient = patient
        self._show_header(patient)
        self.details_tab.show_patient(patient)
        self._show_referrer()
        self.medical_tab.show_patient(patient, keep_edits=True)
        self.screening_tab.set_sex(patient.sex)

    def _on_changed(self, changes: Changes) -> None:
        patient_id = self.patient_id
        if patient_id is not None and patient_id in changes.erased:  # nothing left to show
            self.clear()
            self.session_selection_changed.emit()  # the window's actions follow
            return
        if patient_id is not None and changes.settings:
            self._refresh_alerts()  # e.g. the screening review interval
            self.screening_tab.show_patient(patient_id)
        if patient_id is not None and changes.referrers:
            self._show_referrer()  # a referrer renamed, or another chosen (issue 15)
        if patient_id is None or not changes.concerns(patient_id):
            return
        if patient_id in changes.patients:
            self.reload_patient()
        if changes.screenings or changes.consents:
            self._refresh_alerts()
        if changes.screenings:
            self.screening_tab.show_patient(patient_id)
        if changes.consents:
            self.consent_tab.show_patient(patient_id)
        if changes.sessions:
            self.history_tab.show_patient(patient_id)
        if patient_id in changes.files or patient_id in changes.patients:
            self.files_tab.show_patient(patient_id, bool(self.patient and self.patient.archived))

    # --- requests to the window ------------------------------------------------------

    def _request_edit(self) -> None:
        if self.patient_id is not None:
            self.edit_requested.emit(self.patient_id)

    def _request_archive(self, archived: bool) -> None:
        if self.patient_id is not None:
            self.archive_requested.emit(self.patient_id, archived)

    def _request_new_session(self) -> None:
        if self.patient_id is not None:
            self.new_session_requested.emit(self.patient_id)

    def _request_open_session(self, session_id: int) -> None:
        if self.patient_id is not None:
            self.open_session_requested.emit(self.patient_id, session_id)

    def focus_current_tab(self) -> QWidget | None:
        """Put the focus on the first control of the tab shown (the session list, say),
        never on the tab's page itself, which a screen reader could not name."""
        page = self.tabs.currentWidget()
        if page is None:
            return None
        preferred = getattr(page, "preferred_focus", None)
        if preferred is not None:
            target = preferred()
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            return target
        widget = page.nextInFocusChain()
        while widget is not None and widget is not page:
            if (
                page.isAncestorOf(widget)
                and widget.isVisible()
                and widget.isEnabled()
                and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            ):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                return widget
            widget = widget.nextInFocusChain()
        self.tabs.tabBar().setFocus(Qt.FocusReason.OtherFocusReason)
        return self.tabs.tabBar()

    def selected_session_id(self) -> int | None:
        """The session highlighted in the history tab."""
        return self.history_tab.selected_session_id() if self.patient else None

    def unsaved_work(self) -> list[str]:
        """What would be lost by closing this chart now (empty when nothing)."""
        work: list[str] = []
        if self._chart_page is None:
            return work
        if self.medical_tab.is_dirty():
            work.append("changes to the medical history, medications or allergies")
        if self.screening_tab.is_editing():
            work.append("a screening being filled in")
        if self.consent_tab.is_editing():
            work.append("a consent form being filled in")
        return work
