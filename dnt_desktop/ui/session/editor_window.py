"""The session editor: chart a dry-needling session, confirm its alerts and save it.

Nothing typed is ever lost: a save that fails (validation, database busy or full, a
change made elsewhere) leaves every value on screen and says why; closing with unsaved
changes asks Save / Discard / Cancel. Dialogs are opened window-modal with ``open()``
(never a blocking ``exec()``), so the editor's flow continues in their signals.

Signing and amendments are the ``SigningPresenter``'s (``signing``); the editor serves it
through the public ``SigningEditor`` interface defined there (the "signing presenter"
section below).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import clinical_state
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.note_phrases import note_phrases
from dnt_desktop.services.patients import get_patient
from dnt_desktop.services.point_history import remembered
from dnt_desktop.services.protocols import ProtocolView, protocol_points
from dnt_desktop.services.rules import (
    Alert,
    Problem,
    RuleSettings,
    alerts_needing_confirmation,
    patient_alerts,
    session_alerts,
    session_problems,
)
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.settings import rule_settings
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.widgets.about_dialog import open_help
from dnt_desktop.ui.widgets.access_keys import AccessKeys
from dnt_desktop.ui.widgets.alert_banner import AlertBanner
from dnt_desktop.ui.widgets.icons import icon
from dnt_desktop.ui.widgets.labels import InfoLabel
from dnt_desktop.ui.widgets.window_size import available_area, place_window, screen_key

from .aftercare_form import AftercareForm
from .alert_dialog import AlertConfirmDialog
from .amendments import AmendmentsPanel
from .datetimes import now_to_the_minute
from .header import SessionHeader
from .late_events import LateEventsPanel
from .note_sections import SECTIONS, ClinicalNotes
from .points_pane import PointsPane
from .protocols_ui import PROTOCOL_KEY, ProtocolButton
from .side_effects_pane import SideEffectsPane
from .signing import SigningPresenter
from .treatment_form import TreatmentForm

_SETTINGS_PREFIX = "session_editor/"
PREFERRED_SIZE = (1500, 1000)
"""The size asked for on a large screen; smaller screens give what they have."""
COMPACT_BELOW = 480
"""Below this height of the charting area the point table becomes the first tab, beside
Treatment, Notes and Side effects, instead of sitting above them (a 1366x768 screen at
125% has room for about three rows otherwise)."""
CHART_WIDTHS = (270, 640)
TABLE_WIDTH = 790
"""The point table's width with every column at its natural width."""
_BAR_STYLE = (
    "QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; padding: 6px 10px; "
    "font-weight: bold; }}"
)
CLOSE_KEYS = ("Esc", "Ctrl+W", "Ctrl+F4")
CONFIRM_COPIED_KEY = "Ctrl+K"
"""Confirm every point still marked as copied from an earlier session."""
"""Close the editor: Esc, and the usual close-document keys on every system."""
SAVE_PROBLEMS_HEADING = "Not saved yet – please fix:"
TREATMENT_TAB, NOTES_TAB, SIDE_EFFECTS_TAB = range(3)
"""The tabs' indexes while the point table sits above them (``section`` finds them always)."""
_NOTES_TAB_FIELDS = (*SECTIONS, "notes", "stretches", "next_appointment")


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the fields inside take the focus
    area.setAccessibleName(name)
    area.setWidget(widget)
    return area


class SessionEditorWindow(QMainWindow):
    """Chart a new session of *patient_id*, or open session *session_id* of that patient.

    The constructor reads the patient and the session, so it raises the services'
    ``NotFoundError`` or a ``StorageError`` when they cannot be read (wrap it in
    ``feedback.guarded``). ``close()`` returns False while it asks about unsaved
    changes; the window closes itself once the user has answered Save or Discard.
    """

    saved = Signal(int)
    """The session was saved: its id."""
    aftercare_requested = Signal(int)
    """The practitioner asked for the aftercare sheet of the (saved) session: its id."""
    close_abandoned = Signal()
    """A close was asked for but the window stays open (Cancel, or the save failed)."""

    def __init__(
        self,
        ctx: AppContext,
        patient_id: int,
        session_id: int | None = None,
        parent: QWidget | None = None,
        *,
        start_from: SessionDraft | None = None,
        copied_from: str = "",
    ) -> None:
        """*start_from*: a new session copied forward from an earlier one (``copy_forward``),
        whose points stay marked as copied from *copied_from* until confirmed or edited."""
        super().__init__(parent)
        self._ctx = ctx
        self._patient_id = patient_id
        self._session_id = session_id
        self._version: int | None = None
        self._read_only = False
        self._close_allowed = False
        self._pending: QWidget | None = None
        self._saved_at: datetime | None = None
        self._confirmed: dict[str, str] = {}
        self.close_prompt: QMessageBox | None = None
        self.alert_dialog: AlertConfirmDialog | None = None

        settings = rule_settings(ctx.db)
        row = load_session(ctx.db, session_id) if session_id is not None else None
        if row is not None:
            self._patient_id = patient_id = row.patient_id  # never move a session
        self._patient: Patient = get_patient(ctx.db, patient_id)
        if row is not None:
            draft = draft_from(row)
            self._version = row.version
            self._confirmed = {a.code: a.message for a in row.acknowledgements}
            practitioner = row.practitioner.full_name
        else:
            draft = SessionDraft(patient_id, ctx.practitioner_id, now_to_the_minute())
            if start_from is not None:  # copied forward: the copy's lists, today's session
                draft = replace(
                    start_from,
                    patient_id=patient_id,
                    practitioner_id=ctx.practitioner_id,
                    started_at=draft.started_at,
                    session_id=None,
                    version=None,
                )
            practitioner = ctx.practitioner_name
        self._practitioner_id = draft.practitioner_id
        self._practitioner_name = practitioner

        AccessKeys.install()  # e.g. Alt+D for Discard when closing with changes
        self._compact = False
        self._problems_heading: str | None = None
        self._build(settings)
        self.placement = place_window(self, "session_editor", *PREFERRED_SIZE)
        self._split_default()
        # New points start from this practitioner's last point on the same muscle.
        self.points.model.set_history(remembered(ctx.db, self._practitioner_id))
        self._load(draft, practitioner)
        self.notes.set_phrases(note_phrases(ctx.db))
        self.signing = SigningPresenter(
            self, ctx, self.sign_action, self.amend_action, self.amendments_panel, self
        )
        if row is not None and row.is_signed:
            signer = row.signed_by.full_name if row.signed_by else "the practitioner"
            self.signing.show_signed(signer, row.signed_at)
        self._refresh_alert_banner()
        self._arrange(self._charting_height() < COMPACT_BELOW)  # before the first show
        self._baseline = self.current_draft()
        if row is None and start_from is not None:
            self.points.model.mark_copied(range(len(draft.points)), copied_from)
            # nothing of the copy is saved yet: closing asks, like any typing
            self._baseline = SessionDraft(patient_id, draft.practitioner_id, draft.started_at)
        self._connect()
        self._refresh_state()
        self._restore_layout()
        self.points.chart.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- building --------------------------------------------------------------------

    def _build(self, settings: RuleSettings) -> None:
        self.setObjectName("session_editor")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)

        self.alert_banner = AlertBanner()
        layout.addWidget(self.alert_banner)
        self.signed_banner = InfoLabel(name="Signature")
        self.signed_banner.setObjectName("signed_banner")
        self.signed_banner.setStyleSheet(_BAR_STYLE.format(bg="#37474f", fg="#ffffff"))
        self.signed_banner.setVisible(False)
        layout.addWidget(self.signed_banner)
        self.header = SessionHeader()
        layout.addWidget(self.header)
        self.message_bar = InfoLabel(name="Why the session was not saved")
        self.message_bar.setObjectName("save_message")
        self.message_bar.setWordWrap(True)
        self.message_bar.setStyleSheet(_BAR_STYLE.format(bg="#fdecea", fg="#8e1b12"))
        self.message_bar.setVisible(False)
        layout.addWidget(self.message_bar)

        self.points = PointsPane(settings, self)
        self.protocol_button = ProtocolButton(self._ctx, self.points.points, self)
        self.points.buttons_row.layout().insertWidget(3, self.protocol_button)
        self.treatment = TreatmentForm()
        self.notes = ClinicalNotes()
        self.aftercare = AftercareForm()
        self.side_effects = SideEffectsPane()
        notes_and_advice = QWidget()
        notes_layout = QVBoxLayout(notes_and_advice)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.setSpacing(0)
        notes_layout.addWidget(self.notes, 3)
        notes_layout.addWidget(self.aftercare, 2)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("session_tabs")
        self.tabs.setAccessibleName("Session sections")
        self.tabs.tabBar().setAccessibleName("Session sections")
        self.treatment_page = _scrolled(self.treatment, "Treatment")
        self.notes_page = _scrolled(notes_and_advice, "Notes and aftercare")
        self.tabs.addTab(self.treatment_page, "&Treatment")
        self.tabs.addTab(self.notes_page, "N&otes and aftercare")
        self.tabs.addTab(self.side_effects, "Side &effects")

        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.setObjectName("right_splitter")
        self.right_splitter.addWidget(self.points.table_panel)
        self.right_splitter.addWidget(self.tabs)
        self.right_splitter.setChildrenCollapsible(False)
        self.right_splitter.setStretchFactor(0, 4)
        self.right_splitter.setStretchFactor(1, 5)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("main_splitter")
        self.main_splitter.addWidget(self.points.chart_panel)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.setStretchFactor(0, 36)
        self.main_splitter.setStretchFactor(1, 64)
        self.main_splitter.setSizes([460, 820])
        self.right_splitter.setSizes([300, 300])
        self.main_splitter.installEventFilter(self)
        layout.addWidget(self.main_splitter, 1)
        self.amendments_panel = AmendmentsPanel()
        layout.addWidget(self.amendments_panel)
        # issue 16: a tab once signed. Owned by the window from the start (hidden until
        # then): a panel owned only by Python was freed by the garbage collector after the
        # window, and its nested layouts crashed Qt.
        self.late_events_panel = LateEventsPanel(self._ctx, self)
        self.late_events_panel.hide()
        self.late_events_panel.tab_title.connect(self._late_events_title)
        self.setCentralWidget(central)
        self._build_actions()
        self.state_label = InfoLabel(name="Save state")
        self.state_label.setObjectName("save_state")
        self.statusBar().addPermanentWidget(self.state_label)
        self.points.table_wanted.connect(self._show_points)

    def _build_actions(self) -> None:
        style = self.style()
        self.save_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogSaveButton), "&Save", self
        )
        self.save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self.save_action.setToolTip("Save the session (Ctrl+S)")
        self.aftercare_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
            "Aftercare &sheet…",
            self,
        )
        self.aftercare_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.aftercare_action.setToolTip("Save and open the aftercare sheet (Ctrl+P)")
        self.sign_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton), "S&ign…", self
        )
        self.sign_action.setObjectName("sign_action")
        self.sign_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.amend_action = QAction(icon("edit-patient"), "Add &amendment…", self)
        self.amend_action.setObjectName("amend_action")
        self.amend_action.setToolTip("Add a correction or addition to this signed session")
        self.close_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_DialogCloseButton), "&Close", self
        )
        self.close_action.setShortcuts([QKeySequence(key) for key in CLOSE_KEYS])
        self.close_action.setToolTip(
            "Close the editor (Esc or Ctrl+W); unsaved changes are asked about"
        )
        self.confirm_copied_action = QAction("Confirm copied points", self)
        self.confirm_copied_action.setObjectName("confirm_copied_action")
        self.confirm_copied_action.setShortcut(QKeySequence(CONFIRM_COPIED_KEY))
        self.addAction(self.confirm_copied_action)
        self.protocol_action = QAction("Protocol menu", self)
        self.protocol_action.setObjectName("protocol_action")
        self.protocol_action.setShortcut(QKeySequence(PROTOCOL_KEY))
        self.addAction(self.protocol_action)
        self.help_action = QAction(icon("help"), "&Help", self)
        self.help_action.setObjectName("help_action")
        self.help_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.help_action.setToolTip("Help and keyboard shortcuts (F1)")
        toolbar = QToolBar("Session")
        toolbar.setObjectName("session_toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(20, 20))
        toolbar.addAction(self.save_action)
        toolbar.addAction(self.sign_action)
        toolbar.addAction(self.amend_action)
        toolbar.addAction(self.aftercare_action)
        toolbar.addSeparator()
        toolbar.addAction(self.close_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        toolbar.addAction(self.help_action)
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        for action in (
            self.protocol_action,
            self.confirm_copied_action,
            self.save_action,
            self.sign_action,
            self.amend_action,
            self.aftercare_action,
            self.close_action,
            self.help_action,
        ):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(action)

    def tab_chain(self) -> list[QWidget]:
        """The controls Tab visits now, in order: date, chart, lung zones, then the point
        table and its buttons and the tabs (in the compact arrangement the tab bar comes
        before the points, which are its first tab), then the rest as laid out."""
        points: list[QWidget] = [
            self.points.table,
            self.points.region_box,
            self.points.add_button,
            self.points.remove_button,
        ]
        bar = self.tabs.tabBar()
        first = [self.header.started_edit, self.points.chart, self.points.lung_toggle]
        first += [bar, *points] if self._compact else [*points, bar]
        placed = set(first)
        rest: list[QWidget] = []
        widget = self.nextInFocusChain()
        while widget is not None and widget is not self:
            if widget not in placed:
                rest.append(widget)
                placed.add(widget)
            widget = widget.nextInFocusChain()
        return [w for w in first + rest if self._takes_tab(w)]

    def _takes_tab(self, widget: QWidget) -> bool:
        if not (widget.isVisible() and widget.isEnabled() and widget.window() is self):
            return False
        if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy():
            return False
        parent = widget.parentWidget()
        while parent is not None and parent is not self:  # no cell editors, no lock card
            if isinstance(parent, QAbstractItemView) or not parent.isVisible():
                return False
            parent = parent.parentWidget()
        return True

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab follow ``tab_chain`` (every child passes its Tab up here)."""
        chain = self.tab_chain()
        focus = QApplication.focusWidget()
        while focus is not None and focus not in chain and focus is not self:
            focus = focus.parentWidget()
        if not chain or focus is None or focus not in chain:
            return super().focusNextPrevChild(next)
        index = chain.index(focus) + (1 if next else -1)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        chain[index % len(chain)].setFocus(reason)
        return True

    # --- arrangement -----------------------------------------------------------------

    @property
    def is_compact(self) -> bool:
        """True while the point table is a tab (a short window, see ``COMPACT_BELOW``)."""
        return self._compact

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.main_splitter and event.type() == QEvent.Type.Resize:
            self._arrange(self.main_splitter.height() < COMPACT_BELOW)
        return False

    def _arrange(self, compact: bool) -> None:
        """Put the point table above the tabs, or into them as the first tab."""
        if compact == self._compact:
            return
        self._compact = compact
        panel = self.points.table_panel
        current = self.tabs.currentWidget()
        self.points.title_label.setVisible(not compact)  # the tab says it then
        if compact:
            self.tabs.insertTab(0, panel, "Needling &points")
            self.tabs.setCurrentWidget(panel)
            self.right_splitter.setVisible(True)
        else:
            self.right_splitter.insertWidget(0, panel)
            panel.show()
            if current is not panel and current is not None:
                self.tabs.setCurrentWidget(current)
            self.right_splitter.setSizes([300, 300])
        self._update_points_title()

    def _charting_height(self) -> int:
        """The charting area's height in this window, estimated before it is laid out."""
        width = self.width() - 16
        taken = (
            self.toolbar.sizeHint().height()
            + self.statusBar().sizeHint().height()
            + self.header.sizeHint().height()
            + (self.alert_banner.heightForWidth(width) if self.alert_banner.alert_count() else 0)
            + 40  # margins and spacing
        )
        return self.height() - taken

    def _split_default(self) -> None:
        """The body chart gets about 38 % of the width, less when the table needs it."""
        width = self.width()
        chart = max(CHART_WIDTHS[0], min(round(width * 0.38), width - TABLE_WIDTH, CHART_WIDTHS[1]))
        self.main_splitter.setSizes([chart, max(width - chart, 1)])

    def section(self, index: int) -> QWidget:
        """The page of TREATMENT_TAB, NOTES_TAB or SIDE_EFFECTS_TAB."""
        return (self.treatment_page, self.notes_page, self.side_effects)[index]

    def show_section(self, index: int) -> None:
        """Bring TREATMENT_TAB, NOTES_TAB or SIDE_EFFECTS_TAB to the front."""
        self.tabs.setCurrentWidget(self.section(index))

    def _show_points(self) -> None:
        if self._compact:
            self.tabs.setCurrentWidget(self.points.table_panel)

    def _update_points_title(self) -> None:
        if self._compact:
            count = self.points.model.rowCount()
            index = self.tabs.indexOf(self.points.table_panel)
            self.tabs.setTabText(
                index, f"Needling &points ({count})" if count else "Needling &points"
            )

    def _connect(self) -> None:
        self.save_action.triggered.connect(lambda: self.request_save())
        self.aftercare_action.triggered.connect(self.request_aftercare)
        self.close_action.triggered.connect(self.close)
        self.help_action.triggered.connect(self.show_help)
        self.confirm_copied_action.triggered.connect(self.points.confirm_copied)
        self.protocol_action.triggered.connect(
            lambda: None if self._read_only else self.protocol_button.open_menu()
        )
        self.protocol_button.applied.connect(self.apply_protocol)
        self.points.model.copied_changed.connect(self._follow_problems)
        for signal in (
            self.header.started_changed,
            self.treatment.changed,
            self.notes.changed,
            self.points.changed,
            self.side_effects.changed,
            self.aftercare.changed,
        ):
            signal.connect(self._refresh_state)
        self.points.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._ctx.hub.changed.connect(self._hub_changed)

    # --- loading ---------------------------------------------------------------------

    def _load(self, draft: SessionDraft, practitioner: str) -> None:
        self.header.show_patient(self._patient, draft.started_at)
        self.header.set_practitioner(practitioner)
        self.header.set_started(draft.started_at)
        self.treatment.load(draft)
        self.notes.load(draft)
        self.points.set_points(draft.points)
        self.side_effects.set_effects(draft.side_effects)
        self.aftercare.load(draft)

    def _refresh_alert_banner(self) -> None:
        try:
            state = clinical_state(self._ctx.db, self._patient_id)
            alerts = patient_alerts(state, rule_settings(self._ctx.db))
        except StorageError:
            return
        # new points over a lung-risk muscle start within this patient's limit
        self.points.model.set_clinical_state(state)
        self.alert_banner.set_alerts(alerts, ok_text="Screening clear and consent on file")

    def _hub_changed(self, changes: Changes) -> None:
        if not changes.concerns(self._patient_id):
            return
        if changes.screenings or changes.consents:
            self._refresh_alert_banner()
        if self._patient_id in changes.patients:
            try:
                self._patient = get_patient(self._ctx.db, self._patient_id)
            except (ServiceError, StorageError):
                return
            self.header.show_patient(self._patient, self.header.started())
            self._refresh_state()

    # --- state -----------------------------------------------------------------------

    @property
    def session_id(self) -> int | None:
        """The session's id once saved (None for a new, never saved session)."""
        return self._session_id

    @property
    def is_read_only(self) -> bool:
        """True for a signed session."""
        return self._read_only

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether anything on screen differs from what was loaded or last saved."""
        return not self._read_only and self.current_draft() != self._baseline

    def current_draft(self) -> SessionDraft:
        """The session as it is on screen."""
        draft = SessionDraft(
            patient_id=self._patient_id,
            practitioner_id=self._practitioner_id,
            started_at=self.header.started(),
            session_id=self._session_id,
            version=self._version,
        )
        self.treatment.fill(draft)
        self.notes.fill(draft)
        draft.points = self.points.points()
        draft.side_effects = self.side_effects.effects()
        self.aftercare.fill(draft)
        return draft

    def _refresh_state(self) -> None:
        dirty = self.has_unsaved_changes
        name = f"{self._patient.family_name}, {self._patient.given_name}"
        when = format_date(self.header.started().date())
        title = f"Session {when} – {name}[*]"
        if self._read_only:
            title += " – signed, read-only"
        elif self._saved_at is not None:
            title += f" – Saved {self._saved_at:%H:%M}"
        self.setWindowTitle(title)
        self.setWindowModified(dirty)
        if self._read_only:
            state = "Signed – read-only"
        elif dirty:
            state = "Unsaved changes"
        elif self._saved_at is not None:
            state = f"Saved {self._saved_at:%H:%M}"
        elif self._session_id is None:
            state = "New session – not saved yet"
        else:
            state = "No changes"
        self.state_label.setText(state)
        effects = self.side_effects.model.rowCount()
        self.tabs.setTabText(
            self.tabs.indexOf(self.side_effects),
            f"Side &effects ({effects})" if effects else "Side &effects",
        )
        self._update_points_title()
        self._follow_problems()
        self.signing.update_actions()

    # --- saving ----------------------------------------------------------------------

    def request_save(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Save (after the alerts are confirmed); *then* runs after a successful save,
        *otherwise* when nothing was saved (problems shown, alerts not confirmed, failure)."""
        if self._read_only or self._pending is not None:
            if otherwise is not None:
                otherwise()
            return
        draft = self.current_draft()
        problems = self.save_problems(draft)
        if problems:
            self.show_problems(problems)
            if otherwise is not None:
                otherwise()
            return
        self._show_field_problems([])  # what was wrong before is fixed
        self.message_bar.setVisible(False)
        try:
            state = clinical_state(self._ctx.db, self._patient_id)
            settings = rule_settings(self._ctx.db)
        except StorageError as exc:
            self._show_failure(str(exc))
            if otherwise is not None:
                otherwise()
            return
        needed = alerts_needing_confirmation(session_alerts(state, draft, settings))
        new = [alert for alert in needed if alert.code not in self._confirmed]
        if not new:
            if not self._write(draft, [], then) and otherwise is not None:
                otherwise()
            return
        earlier = [alert for alert in needed if alert.code in self._confirmed]
        dialog = AlertConfirmDialog(new, earlier, self)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._write(draft, new, then) or (otherwise is not None and otherwise())
        )
        if otherwise is not None:
            dialog.rejected.connect(otherwise)
        dialog.finished.connect(self._dialog_finished)
        self._pending = dialog
        self.alert_dialog = dialog
        dialog.open()

    def apply_protocol(self, protocol: ProtocolView) -> None:
        """Add the protocol's points to the session, as if placed by hand: the same checks
        now, the same alerts to confirm when it is saved."""
        if self._read_only:
            return
        rows = self.points.model.add_points(protocol_points(protocol.points))
        if rows:
            self.points.select_row(rows[0])
            self._show_points()
        count = len(rows)
        self.show_status(
            f"Protocol “{protocol.name}” applied: {count} point{'s' if count != 1 else ''} "
            "added. Check them; alerts are confirmed when you save."
        )

    def save_problems(self, draft: SessionDraft) -> list[Problem]:
        """What stops the save: the rules' problems, and copied points not confirmed yet
        (a copied point is saved only once the practitioner has checked it)."""
        problems = session_problems(draft)
        copied = len(self.points.model.copied_rows())
        if copied:
            points = "1 point copied" if copied == 1 else f"{copied} points copied"
            problems.append(
                Problem(
                    "copied_points",
                    f"{points} from {self.points.model.copied_from or 'an earlier session'} "
                    f"not confirmed yet: check them, change what differs, then Confirm "
                    f"copied points ({CONFIRM_COPIED_KEY}).",
                )
            )
        return problems

    def _dialog_finished(self, result: int) -> None:
        self._pending = None
        self.alert_dialog = None
        if result != AlertConfirmDialog.DialogCode.Accepted:
            self.statusBar().showMessage("Not saved: the alerts were not confirmed.", 8000)

    def _write(
        self, draft: SessionDraft, acknowledged: list[Alert], then: Callable[[], None] | None
    ) -> bool:
        try:
            result = save_session(
                self._ctx.db, self._ctx.practitioner_id, draft, acknowledged=acknowledged
            )
        except ValidationError as exc:
            self.show_problems(exc.problems)
            return False
        except (ServiceError, StorageError) as exc:
            self._show_failure(str(exc))
            return False
        self._session_id = result.session_id
        self._version = result.version
        self._confirmed.update({alert.code: alert.text for alert in acknowledged})
        self._saved_at = datetime.now()
        self._baseline = self.current_draft()
        self.message_bar.setVisible(False)
        self._show_field_problems([])
        self._refresh_state()
        self.statusBar().showMessage(f"Session saved at {self._saved_at:%H:%M}.", 8000)
        self.saved.emit(result.session_id)
        self._ctx.hub.publish(result.changes)
        if then is not None:
            then()
        return True

    def show_problems(self, problems: list[Problem], heading: str = SAVE_PROBLEMS_HEADING) -> None:
        """Say what stops the save (or the signature) and go to the first thing to fix.

        Problems of points and side effects are listed beside their tables, so the bar
        only points there; a session field's problem is also shown under the field. While
        the problems are the save's own (the rules' checks of what is on screen), the bar
        and the fields' messages follow every change and go once they are fixed.
        """
        self._problems_heading = heading
        self._show_problem_bar(problems)
        self._show_field_problems(problems)
        fields = [p.field for p in problems]
        if fields and fields[0] == "copied_points":
            self._show_points()
            self.points.confirm_copied_button.setFocus()
        elif any(f.startswith("points") for f in fields):
            self.points.focus_first_problem()
        elif any(f.startswith("side_effects[") for f in fields):
            self.show_section(SIDE_EFFECTS_TAB)
        elif any(f in _NOTES_TAB_FIELDS for f in fields):
            self.show_section(NOTES_TAB)
        elif "started_at" in fields:
            self.header.started_edit.setFocus()
        else:
            self.show_section(TREATMENT_TAB)
        self.statusBar().showMessage(
            "Not saved: see the messages at the top and by the fields.", 8000
        )

    def _show_field_problems(self, problems: list[Problem]) -> None:
        """Each problem of a session field also under the field itself (none: all hidden)."""
        self.header.show_problems(problems)
        self.treatment.show_problems(problems)
        self.notes.show_problems(problems)
        self.aftercare.show_problems(problems)

    def _show_problem_bar(self, problems: list[Problem]) -> None:
        heading = self._problems_heading or SAVE_PROBLEMS_HEADING
        lines = []
        if any(p.field.startswith("points[") for p in problems):
            lines.append("the points marked in red (each problem is listed under the table)")
        if any(p.field.startswith("side_effects[") for p in problems):
            lines.append("the side effects marked in red (listed on the Side effects tab)")
        lines += [
            p.message for p in problems if not p.field.startswith(("points[", "side_effects["))
        ]
        if not lines:
            self._problems_heading = None
            self.message_bar.setVisible(False)
            return
        self.message_bar.setText(f"{heading}\n" + "\n".join(f"• {line}" for line in lines))
        self.message_bar.setVisible(True)

    def _follow_problems(self) -> None:
        """After a change: list what still stops the save, or drop the bar when nothing."""
        if self._problems_heading == SAVE_PROBLEMS_HEADING and self.message_bar.isVisible():
            problems = self.save_problems(self.current_draft())
            self._show_problem_bar(problems)
            self._show_field_problems(problems)

    def show_message(self, text: str) -> None:
        """Show *text* in the red bar at the top (e.g. why signing did not work)."""
        self._problems_heading = None
        self.message_bar.setText(text)
        self.message_bar.setVisible(True)
        self.statusBar().showMessage(text.splitlines()[0], 8000)

    def show_status(self, text: str) -> None:
        """A short note in the status bar."""
        self.statusBar().showMessage(text, 8000)

    def _show_failure(self, message: str) -> None:
        self._problems_heading = None
        self.message_bar.setText(
            f"Not saved: {message}\nEverything you entered is still here; try saving again."
        )
        self.message_bar.setVisible(True)
        self.statusBar().showMessage("Not saved.", 8000)

    # --- the signing presenter's interface (signing.SigningEditor) ------------------

    @property
    def version(self) -> int | None:
        """The session's version as last read or saved."""
        return self._version

    @property
    def patient_id(self) -> int:
        """The patient whose session it is."""
        return self._patient_id

    @property
    def patient_name(self) -> str:
        """The patient's name as the header shows it ("Family, Given")."""
        return f"{self._patient.family_name}, {self._patient.given_name}"

    @property
    def started_at(self) -> datetime:
        """When the session started, as on screen."""
        return self.header.started()

    @property
    def charted_by(self) -> tuple[int, str]:
        """The id and name of the practitioner who charted the session."""
        return self._practitioner_id, self._practitioner_name

    @property
    def is_waiting(self) -> bool:
        """True while a window-modal question (alerts, close, password...) is open."""
        return self._pending is not None

    def wait_for(self, dialog: QWidget | None) -> None:
        """Wait for *dialog*'s answer before anything else (None: answered)."""
        self._pending = dialog

    def show_signed(self, banner: str, intact: bool | None) -> None:
        """Turn read-only under *banner*, red when the signature no longer matches."""
        self._read_only = True
        colour = "#b71c1c" if intact is False else "#37474f"
        self.signed_banner.setStyleSheet(_BAR_STYLE.format(bg=colour, fg="#ffffff"))
        self.signed_banner.setWordWrap(True)
        self.signed_banner.setProperty("intact", intact)
        self.signed_banner.setText(banner)
        self.signed_banner.setVisible(True)
        for part in (
            self.header,
            self.treatment,
            self.notes,
            self.points,
            self.side_effects,
            self.aftercare,
        ):
            part.set_read_only(True)
        self.save_action.setEnabled(False)
        self.save_action.setVisible(False)
        if self.tabs.indexOf(self.late_events_panel) < 0:
            self.tabs.addTab(self.late_events_panel, "Reported &later")
        self.late_events_panel.show_for(self._session_id)

    def _late_events_title(self, title: str) -> None:
        index = self.tabs.indexOf(self.late_events_panel)
        if index >= 0:
            self.tabs.setTabText(index, title)

    def signature_recorded(self, version: int) -> None:
        """The session was just signed: keep its new version and say so."""
        self._version = version
        self.message_bar.setVisible(False)
        self._refresh_state()

    # --- aftercare and closing -------------------------------------------------------

    def request_aftercare(self) -> None:
        """Ask for the aftercare sheet, saving first when there are unsaved changes."""
        if self._session_id is not None and (self._read_only or not self.has_unsaved_changes):
            self.aftercare_requested.emit(self._session_id)
            return
        self.request_save(then=self._emit_aftercare)

    def keep_as_draft(self) -> bool:
        """Save what is on screen as a draft without asking anything (a colleague takes
        over the PC); its alerts are confirmed at the next save. False when it cannot be
        saved: incomplete (see ``save_problems``: copied points not confirmed too) or
        refused by the database."""
        if self._read_only or not self.has_unsaved_changes:
            return True
        if self._pending is not None:
            self._pending.close()
        draft = self.current_draft()
        if self.save_problems(draft):  # incomplete, or copied points not confirmed yet
            return False
        return self._write(draft, [], None)

    def _emit_aftercare(self) -> None:
        if self._session_id is not None:
            self.aftercare_requested.emit(self._session_id)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._close_allowed or not self.has_unsaved_changes:
            self._save_layout()
            event.accept()
            return
        event.ignore()
        if self._pending is None:
            self._ask_before_closing()

    def _ask_before_closing(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("close_prompt")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText("This session has changes that are not saved.")
        box.setInformativeText("Save them before closing?")
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _result, b=box: self._close_answered(b))
        self._pending = box
        self.close_prompt = box
        box.open()

    def _close_answered(self, box: QMessageBox) -> None:
        self._pending = None
        self.close_prompt = None
        clicked = box.clickedButton()
        answer = box.standardButton(clicked) if clicked else QMessageBox.StandardButton.Cancel
        if answer == QMessageBox.StandardButton.Save:
            self.request_save(then=self._close_now, otherwise=self.close_abandoned.emit)
        elif answer == QMessageBox.StandardButton.Discard:
            self._close_now()
        else:
            self.close_abandoned.emit()

    def _close_now(self) -> None:
        self._close_allowed = True
        self.close()

    def discard_and_close(self) -> None:
        """Close without asking, dropping unsaved changes (after the user chose Discard
        elsewhere, e.g. when the app quits)."""
        if self._pending is not None:
            self._pending.close()
        self._close_now()

    def show_help(self) -> QWidget:
        """F1: the help window, open at the session editor's shortcuts."""
        return open_help(self, self._ctx, section="editor")

    def _layout_key(self, splitter: QSplitter) -> str:
        """The splitter's settings key, one for each screen size."""
        return f"{_SETTINGS_PREFIX}{splitter.objectName()}/{screen_key(available_area(self))}"

    def _restore_layout(self) -> None:
        settings = QSettings()
        for splitter in (self.main_splitter, self.right_splitter):
            state = settings.value(self._layout_key(splitter))
            if state is not None:
                splitter.restoreState(state)

    def _save_layout(self) -> None:
        settings = QSettings()
        for splitter in (self.main_splitter, self.right_splitter):
            settings.setValue(self._layout_key(splitter), splitter.saveState())
