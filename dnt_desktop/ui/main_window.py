"""The main window: the register on the left, the open patient's chart on the right."""

from __future__ import annotations

from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinic_details import get_clinic
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.patients import get_patient, set_archived
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.patient.chart_view import PatientChartView
from dnt_desktop.ui.patient.form_dialog import PatientFormDialog
from dnt_desktop.ui.record.menu import add_record_actions
from dnt_desktop.ui.register.panel import RegisterPanel
from dnt_desktop.ui.safety.menu import SafetyMenu
from dnt_desktop.ui.session.stale_drafts import StaleDraftsBanner
from dnt_desktop.ui.signin.lock import LockController
from dnt_desktop.ui.widgets.about_dialog import AboutDialog, HelpKey, database_label, open_help
from dnt_desktop.ui.widgets.access_keys import AccessKeys
from dnt_desktop.ui.widgets.icons import icon
from dnt_desktop.ui.widgets.labels import InfoLabel
from dnt_desktop.ui.widgets.window_size import available_area, place_window, screen_key

SETTINGS_GROUP = "main_window"
PREFERRED_SIZE = (1440, 900)
"""The size asked for on a large screen; smaller screens give what they have."""
REGISTER_SHARE = 0.37
"""The register's part of the width by default (the chart gets the rest)."""
REGISTER_WIDTHS = (320, 490)
"""The register's narrowest width, and its widest by default."""


@dataclass
class _OpenEditor:
    window: QWidget
    patient_id: int
    session_id: int | None


class MainWindow(QMainWindow):
    """Register, chart, menus, tool bar and status bar; owns the open session editors."""

    def __init__(self, ctx: AppContext, *, demo: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.demo = demo
        self.editors: list[_OpenEditor] = []
        self.patient_dialog: PatientFormDialog | None = None
        self.copy_forward_dialog: QDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self.records_dialog: QDialog | None = None
        self.audit_viewer: QDialog | None = None
        self.restart_requested = False
        self.sign_out_requested = False
        self._leaving_without_questions = False
        self._quit_pending = False
        HelpKey.install(ctx, demo)  # F1 in every window; before the lock's filter
        AccessKeys.install()  # Alt+letter on every dialog's Save, Discard, Cancel…
        self.lock = LockController(ctx, self)
        self.lock.take_over_plan = self.take_over_plan
        self.lock.take_over_confirmed.connect(self.sign_out_for_colleague)

        self.register = RegisterPanel(ctx)
        self.chart = PatientChartView(ctx)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.register)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.register.setMinimumWidth(REGISTER_WIDTHS[0])
        self.chart.setMinimumWidth(440)
        self.stale_drafts = StaleDraftsBanner(ctx)
        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.stale_drafts)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self._create_actions()
        self._create_menus()
        self.record_actions = add_record_actions(self)  # export, retention, consent text
        self._create_tool_bar()
        self._create_status_bar()
        self._update_title()
        self._connect()
        self.placement = place_window(self, SETTINGS_GROUP, *PREFERRED_SIZE)
        self.split_default()
        self.restore_settings()
        self._update_actions()
        self.stale_drafts.refresh()

    # --- construction ----------------------------------------------------------------

    def _action(
        self, text: str, slot, shortcut: QKeySequence | str | None = None, icon_name: str = ""
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if icon_name:
            action.setIcon(icon(icon_name))
        plain = text.replace("&", "").rstrip("…")
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{plain} ({keys})" if keys else plain)
        action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        self.find_action = self._action(
            "&Find patient", self.focus_search, "Ctrl+F", "find-patient"
        )
        self.new_patient_action = self._action(
            "&New patient…", self.new_patient, "Ctrl+Shift+N", "new-patient"
        )
        self.edit_patient_action = self._action(
            "&Edit patient…", self.edit_current_patient, "Ctrl+E", "edit-patient"
        )
        self.archive_action = self._action(
            "&Archive patient…", self.archive_current_patient, None, "archive"
        )
        self.new_session_action = self._action(
            "New &session", self.new_session_for_current, "Ctrl+N", "new-session"
        )
        self.open_session_action = self._action("&Open session", self.open_selected_session)
        self.aftercare_action = self._action(
            "Aftercare &sheet…", self.aftercare_for_selected, "Ctrl+P", "aftercare"
        )
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q")  # Windows has no standard
        self.lock_action = self._action("&Lock", self.lock_now, "Ctrl+L", "lock")
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.setToolTip("Lock the screen now, e.g. when you leave the PC (Ctrl+L)")
        self.change_password_action = self._action("&Change my password…", self.change_my_password)
        self.backup_action = self._action("&Backup and restore…", self.open_backups)
        self.accounts_action = self._action("&Accounts…", self.open_accounts)
        self.audit_action = self._action("Audit &trail…", self.open_audit_trail)
        self.settings_action = self._action("&Settings…", self.open_settings)
        self.help_action = self._action("&Help and shortcuts", self.show_help, "F1", "help")
        self.aftercare_texts_action = self._action(
            "Aftercare sheet &texts…", self.edit_aftercare_texts
        )
        self.protocols_action = self._action("&Protocols…", self.open_protocols)
        self.note_phrases_action = self._action("Note p&hrases…", self.open_note_phrases)
        self.note_phrases_action.setEnabled(self.ctx.is_admin)
        self.aftercare_texts_action.setEnabled(self.ctx.is_admin)
        if not self.ctx.is_admin:
            self.aftercare_texts_action.setToolTip("Only an administrator can change these texts")
        self.letter_templates_action = self._action(  # issue 15
            "&Letter templates…", self.edit_letter_templates
        )
        self.show_archived_action = QAction("Show &archived patients", self)
        self.show_archived_action.setCheckable(True)
        self.show_archived_action.toggled.connect(self.register.show_archived.setChecked)
        self.register.show_archived.toggled.connect(self.show_archived_action.setChecked)
        self.tab_actions = []
        for number, title in enumerate(
            ("&Details", "&Medical history", "&Screening", "C&onsent", "Sess&ions"), start=1
        ):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, n=number - 1: self.show_tab(n))
            self.tab_actions.append(action)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_patient_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.change_password_action)
        file_menu.addSeparator()
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        patient_menu = bar.addMenu("&Patient")
        patient_menu.addAction(self.find_action)
        patient_menu.addAction(self.new_patient_action)
        patient_menu.addAction(self.edit_patient_action)
        patient_menu.addAction(self.archive_action)
        patient_menu.addSeparator()
        patient_menu.addAction(self.new_session_action)
        patient_menu.addAction(self.open_session_action)
        patient_menu.addAction(self.aftercare_action)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.show_archived_action)
        view_menu.addSeparator()
        for action in self.tab_actions:
            view_menu.addAction(action)
        clinic_menu = bar.addMenu("&Clinic")
        clinic_menu.addAction(self.aftercare_texts_action)
        clinic_menu.addAction(self.letter_templates_action)
        self.safety = SafetyMenu(self, self.ctx, clinic_menu)  # issue 16
        clinic_menu.addAction(self.protocols_action)
        clinic_menu.addAction(self.note_phrases_action)
        self.admin_menu = None
        if self.ctx.is_admin:  # others never see it (and the services refuse them anyway)
            self.admin_menu = bar.addMenu("&Administration")
            self.admin_menu.addAction(self.accounts_action)
            self.admin_menu.addAction(self.audit_action)
            self.admin_menu.addAction(self.settings_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.help_action)

    def _create_tool_bar(self) -> None:
        bar = QToolBar("Main tool bar")
        bar.setObjectName("main_tool_bar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.find_action, self.new_patient_action, self.edit_patient_action):
            bar.addAction(action)
        bar.addSeparator()
        for action in (self.new_session_action, self.aftercare_action):
            bar.addAction(action)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().Policy.Expanding, spacer.sizePolicy().Policy.Fixed)
        bar.addWidget(spacer)
        bar.addAction(self.lock_action)
        bar.addAction(self.help_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.tool_bar = bar

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.demo_label = QLabel("DEMO DATABASE: sample patients only", status)
        self.demo_label.setStyleSheet(
            f"QLabel {{ background: {style.DEMO_BACKGROUND}; color: {style.DEMO_TEXT};"
            " font-weight: bold; padding: 2px 10px; border-radius: 3px; }"
        )
        self.demo_label.setVisible(self.demo)
        self.database_label = QLabel(f"Database: {database_label(self.ctx)}")
        self.database_label.setToolTip(database_label(self.ctx))
        self.practitioner_label = InfoLabel(
            f"Charting as: {self.ctx.practitioner_name}", "Practitioner charting"
        )
        if self.demo:
            status.addWidget(self.demo_label)
        status.addWidget(self.database_label, 1)
        status.addPermanentWidget(self.practitioner_label)

    def _update_title(self) -> None:
        clinic = guarded(self, "Clinic", lambda: get_clinic(self.ctx.db))
        name = clinic.name if clinic else ""
        title = "dnt-desktop" + (f": {name}" if name else "")
        if self.demo:
            title = f"DEMO DATABASE ({title})"
        self.setWindowTitle(title)
        self.setWindowIcon(icon("app"))

    def _connect(self) -> None:
        self.register.patient_selected.connect(self.open_patient)
        self.register.patient_activated.connect(self._activate_patient)
        self.chart.edit_requested.connect(self.edit_patient)
        self.chart.archive_requested.connect(self.archive_patient)
        self.chart.new_session_requested.connect(lambda pid: self.start_session(pid))
        self.chart.open_session_requested.connect(self.open_session)
        self.stale_drafts.open_requested.connect(self.open_session)
        self.chart.session_selection_changed.connect(self._update_actions)
        self.ctx.hub.changed.connect(lambda _changes: self._update_actions())

    def _update_actions(self) -> None:
        patient = self.chart.patient
        has_patient = patient is not None
        self.edit_patient_action.setEnabled(has_patient)
        self.archive_action.setEnabled(has_patient)
        self.archive_action.setText(
            "Rest&ore patient" if patient and patient.archived else "&Archive patient…"
        )
        self.new_session_action.setEnabled(has_patient and not patient.archived)
        has_session = self.chart.selected_session_id() is not None
        self.open_session_action.setEnabled(has_session)
        self.aftercare_action.setEnabled(has_session)
        for action in self.tab_actions:
            action.setEnabled(has_patient)
        self.record_actions.update()

    # --- patients --------------------------------------------------------------------

    def focus_search(self) -> None:
        """Ctrl+F: the cursor to the search box."""
        self.register.focus_search()

    def confirm_leave_chart(self) -> bool:
        """Ask before the open chart's unsaved typing is thrown away."""
        work = self.chart.unsaved_work()
        if not work:
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            "The open chart has unsaved work:\n- "
            + "\n- ".join(work)
            + "\n\nDiscard it and continue?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Discard

    def open_patient(self, patient_id: int) -> bool:
        """Show *patient_id*'s chart (asking first if the open chart has unsaved work)."""
        if patient_id == self.chart.patient_id:
            return True
        if not self.confirm_leave_chart():
            if self.chart.patient_id is not None:
                self.register.select_patient(self.chart.patient_id, quiet=True)
            return False
        shown = self.chart.show_patient(patient_id)
        self._update_actions()
        return shown

    def _activate_patient(self, patient_id: int) -> None:
        if self.open_patient(patient_id):
            self.chart.focus_current_tab()

    def new_patient(self) -> PatientFormDialog:
        """Ctrl+Shift+N: the registration form (non-blocking)."""
        dialog = PatientFormDialog(self.ctx, parent=self)
        dialog.saved.connect(self._patient_registered)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.patient_dialog = dialog
        dialog.open()
        return dialog

    def _patient_registered(self, patient_id: int) -> None:
        patient = guarded(self, "New patient", lambda: get_patient(self.ctx.db, patient_id))
        if patient is None:
            return
        self.register.reveal_patient(patient_id, patient.family_name)
        self.open_patient(patient_id)

    def edit_current_patient(self) -> None:
        """Edit the open patient's details."""
        if self.chart.patient_id is not None:
            self.edit_patient(self.chart.patient_id)

    def edit_patient(self, patient_id: int) -> PatientFormDialog:
        """The form with *patient_id*'s details (non-blocking)."""
        dialog = PatientFormDialog(self.ctx, patient_id, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.patient_dialog = dialog
        dialog.open()
        return dialog

    def archive_current_patient(self) -> None:
        """Archive (or restore) the open patient."""
        patient = self.chart.patient
        if patient is not None:
            self.archive_patient(patient.id, not patient.archived)

    def archive_patient(self, patient_id: int, archived: bool) -> bool:
        """Archive after confirmation (nothing is deleted), or restore."""
        patient = self.chart.patient if self.chart.patient_id == patient_id else None
        name = patient.display_name if patient else f"patient {patient_id}"
        if archived:
            answer = QMessageBox.question(
                self,
                "Archive patient",
                f"Archive {name}?\n\nThe patient leaves the register; nothing is deleted and "
                "the record can be restored (View > Show archived patients).",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False

        def write() -> Changes:
            return set_archived(self.ctx.db, self.ctx.practitioner_id, patient_id, archived)

        changes = guarded(self, "Archive patient", write)
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        if archived and not self.register.show_archived.isChecked():
            self.chart.clear()
        self._update_actions()
        self.statusBar().showMessage(f"{name} {'archived' if archived else 'restored'}.", 5000)
        return True

    def show_tab(self, index: int) -> None:
        """Switch the chart to tab *index*."""
        if self.chart.patient is not None:
            self.chart.tabs.setCurrentIndex(index)

    # --- sessions --------------------------------------------------------------------

    def new_session_for_current(self) -> None:
        """Ctrl+N: a new session for the open patient."""
        if self.chart.patient_id is None:
            self.statusBar().showMessage("Open a patient first (Ctrl+F to find one).", 5000)
            return
        self.start_session(self.chart.patient_id)

    def start_session(self, patient_id: int) -> QWidget | None:
        """New session: from an earlier one (copy forward) or blank, when the patient has
        earlier sessions (the dialog that asks is returned), else blank (the editor)."""
        from dnt_desktop.ui.session.new_session import offer_copy_forward

        if self._find_editor(patient_id, None) is not None:
            return self.open_session(patient_id)  # the new session already open
        opened: list[QWidget | None] = []

        def open_editor(draft: SessionDraft | None, source: str) -> None:
            opened.append(self.open_session(patient_id, start_from=draft, copied_from=source))

        self.copy_forward_dialog = offer_copy_forward(self.ctx, patient_id, self, open_editor)
        return self.copy_forward_dialog or (opened[0] if opened else None)

    def open_selected_session(self) -> None:
        """Open the session highlighted in the history."""
        session_id = self.chart.selected_session_id()
        if self.chart.patient_id is not None and session_id is not None:
            self.open_session(self.chart.patient_id, session_id)

    def _find_editor(self, patient_id: int, session_id: int | None) -> _OpenEditor | None:
        for entry in self.editors:
            if entry.patient_id == patient_id and entry.session_id == session_id:
                return entry
        return None

    def open_session(
        self,
        patient_id: int,
        session_id: int | None = None,
        *,
        start_from: SessionDraft | None = None,
        copied_from: str = "",
    ) -> QWidget | None:
        """Open (or raise) the session editor; None means a new session (*start_from*:
        copied forward from an earlier one, see ``SessionEditorWindow``)."""
        existing = self._find_editor(patient_id, session_id)
        if existing is not None:
            window = existing.window
            if window.isMinimized():
                window.showNormal()
            window.show()
            window.raise_()
            window.activateWindow()
            return window
        from dnt_desktop.ui.session.editor_window import SessionEditorWindow

        editor = SessionEditorWindow(
            self.ctx,
            patient_id,
            session_id,
            parent=self,
            start_from=start_from,
            copied_from=copied_from,
        )
        if not editor.isWindow():
            editor.setWindowFlag(Qt.WindowType.Window, True)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        entry = _OpenEditor(editor, patient_id, session_id)
        self.editors.append(entry)
        editor.saved.connect(lambda sid, e=entry: self._editor_saved(e, sid))
        editor.aftercare_requested.connect(self.request_aftercare)
        editor.close_abandoned.connect(self._quit_abandoned)
        editor.destroyed.connect(lambda _obj=None, e=entry: self._editor_gone(e))
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def _editor_saved(self, entry: _OpenEditor, session_id: int) -> None:
        entry.session_id = session_id  # the editor itself published the save

    def _editor_gone(self, entry: _OpenEditor) -> None:
        if entry in self.editors:
            self.editors.remove(entry)
        if self._quit_pending:
            QTimer.singleShot(0, self, self.close)  # go on quitting: the next editor or done
        elif not self.editors and self.isVisible():
            self.activateWindow()  # the keyboard goes back to the chart

    def _quit_abandoned(self) -> None:
        if self._quit_pending:
            self._quit_pending = False
            self.statusBar().showMessage("Closing cancelled: the session editor stays open.", 8000)

    def aftercare_for_selected(self) -> None:
        """Ctrl+P: the aftercare sheet of the highlighted session."""
        session_id = self.chart.selected_session_id()
        if session_id is None:
            self.statusBar().showMessage("Highlight a session in the history first.", 5000)
            return
        self.request_aftercare(session_id)

    def request_aftercare(self, session_id: int) -> None:
        """Preview (print, save) the aftercare sheet of *session_id*."""
        from dnt_desktop.ui.aftercare import open_aftercare_preview

        open_aftercare_preview(self.ctx, session_id, self)

    def edit_aftercare_texts(self) -> None:
        """The clinic's aftercare sheet texts (administrators)."""
        from dnt_desktop.ui.aftercare import open_aftercare_templates

        open_aftercare_templates(self.ctx, self)

    def edit_letter_templates(self) -> None:
        """The clinic's letter templates (administrators edit; others read)."""
        from dnt_desktop.ui.progress.letter_templates_dialog import LetterTemplatesDialog

        LetterTemplatesDialog(self.ctx, self).exec()

    # --- records you can trust: lock, passwords, backups, administration --------------

    def lock_now(self) -> None:
        """Ctrl+L: lock the screen at once (File > Lock)."""
        self.lock.lock("on request")

    # --- a colleague takes over the PC ------------------------------------------------

    def _open_work(self) -> tuple[list[QWidget], list[QWidget], list[str]]:
        """Editors that can be kept as drafts, those that cannot (incomplete), and other
        unsaved work that has no draft form."""
        kept, incomplete = [], []
        for entry in self.editors:
            editor = entry.window
            if editor.has_unsaved_changes:  # unconfirmed copied points count as unfinished
                problems = editor.save_problems(editor.current_draft())
                (incomplete if problems else kept).append(editor)
        lost = list(self.chart.unsaved_work())
        dialog = self.patient_dialog
        typing = dialog is not None and shiboken6.isValid(dialog) and dialog.isVisible()
        if typing and dialog.is_changed():
            lost.append("a patient's details being typed")
        return kept, incomplete, lost

    def take_over_plan(self) -> str:
        """What signing out for a colleague will do, in words that name no patient."""
        kept, incomplete, lost = self._open_work()
        name = self.ctx.practitioner_name
        lines = [f"Sign {name} out so that you can sign in?"]
        if kept:
            what = (
                "1 open session with unsaved changes will be saved as a draft"
                if len(kept) == 1
                else f"{len(kept)} open sessions with unsaved changes will be saved as drafts"
            )
            lines.append(f"{name}'s {what}.")
        if incomplete:
            what = "1 open session is" if len(incomplete) == 1 else f"{len(incomplete)} are"
            lines.append(
                f"{what} incomplete (a point or side effect to finish) and cannot be saved: "
                "those changes will be lost."
            )
        lines += [f"Lost: {item}." for item in lost]
        if not (kept or incomplete or lost):
            lines.append(f"{name} has no unsaved work open.")
        lines.append("Everything else stays as it is; the sign-out is recorded.")
        return "\n".join(lines)

    def sign_out_for_colleague(self) -> bool:
        """Keep the open sessions as drafts, sign out (audited), then close for the sign-in.

        If a draft cannot be written (the database refuses it), nothing is signed out:
        the lock screen says why and stays.
        """
        from dnt_desktop.services import accounts

        kept, incomplete, lost = self._open_work()
        for editor in kept:
            if not editor.keep_as_draft():
                text = editor.message_bar.text() or "the database refused it"
                self.lock.show_error(f"Could not keep an open session as a draft: {text}")
                return False
        summary = (
            f"Signed out for a colleague at the locked screen; {len(kept)} open session(s) "
            f"kept as drafts"
        )
        if incomplete or lost:
            summary += f"; not kept: {len(incomplete)} incomplete session(s)" + "".join(
                f", {item}" for item in lost
            )
        try:
            accounts.record_sign_out(self.ctx.db, self.ctx.practitioner_id, summary)
        except (ServiceError, StorageError) as exc:
            self.lock.show_error(f"The sign-out could not be recorded: {exc}")
            return False
        self.sign_out_requested = True
        self.lock.end_for_sign_out()
        self._close_everything_for_sign_out()
        return True

    def _close_everything_for_sign_out(self) -> None:
        """Close the editors, dialogs and this window without questions (what could be
        kept is saved; the rest was listed on the lock screen before it was confirmed)."""
        for entry in list(self.editors):
            entry.window.discard_and_close()
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible():
                continue
            if isinstance(widget, QDialog):
                QDialog.done(widget, QDialog.DialogCode.Rejected)
            elif widget.isWindow() and widget.windowType() != Qt.WindowType.Popup:
                widget.close()
        self.chart.clear()
        self._leaving_without_questions = True
        self.close()

    def _show_records_dialog(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.records_dialog = dialog
        dialog.open()
        return dialog

    def change_my_password(self) -> QDialog | None:
        """File > Change my password…."""
        from dnt_desktop.services.practitioners import get_practitioner
        from dnt_desktop.ui.signin.change_password import ChangePasswordDialog

        me = guarded(
            self,
            "Change my password",
            lambda: get_practitioner(self.ctx.db, self.ctx.practitioner_id),
        )
        if me is None:
            return None
        dialog = ChangePasswordDialog(self.ctx, me.username, self)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage("Your password was changed.", 8000)
        )
        return self._show_records_dialog(dialog)

    def open_backups(self) -> QDialog:
        """File > Backup and restore…."""
        from dnt_desktop.ui.backups.backup_dialog import BackupDialog

        dialog = BackupDialog(
            self.ctx,
            self,
            restore_blocker=self.restore_blocker,
            before_restore=lambda starting: self.lock.pause(starting),
        )
        dialog.restored.connect(self.restart_after_restore)
        return self._show_records_dialog(dialog)

    def restore_blocker(self) -> str:
        """Why a restore cannot start now ('' when it can): open editors, unsaved typing."""
        if self.editors:
            return (
                "Close every session editor first (save or discard what is open), then "
                "restore again."
            )
        work = self.chart.unsaved_work()
        if work:
            return "Save or discard the open chart's " + "; ".join(work) + " first."
        return ""

    def restart_after_restore(self, _text: str = "") -> None:
        """The database was replaced: close, and let the app start again from sign-in."""
        self.restart_requested = True
        self.chart.clear()
        self.close()

    def open_accounts(self) -> QDialog | None:
        """Administration > Accounts… (administrators)."""
        if not self.ctx.is_admin:
            return None
        from dnt_desktop.ui.admin.accounts_dialog import AccountsDialog

        return self._show_records_dialog(AccountsDialog(self.ctx, self))

    def open_settings(self) -> QDialog | None:
        """Administration > Settings… (administrators)."""
        if not self.ctx.is_admin:
            return None
        from dnt_desktop.ui.admin.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        dialog.saved.connect(self._settings_saved)
        return self._show_records_dialog(dialog)

    def _settings_saved(self, values: dict) -> None:
        minutes = str(values.get("idle_lock_minutes", ""))
        if minutes.isdigit():
            self.lock.set_idle_minutes(int(minutes))
        self.stale_drafts.refresh()
        self.statusBar().showMessage("Settings saved.", 8000)

    def open_audit_trail(self) -> QDialog | None:
        """Administration > Audit trail… (administrators; not modal)."""
        if not self.ctx.is_admin:
            return None
        if self.audit_viewer is not None and self.audit_viewer.isVisible():
            self.audit_viewer.raise_()
            self.audit_viewer.activateWindow()
            return self.audit_viewer
        from dnt_desktop.ui.admin.audit_viewer import AuditViewer

        viewer = AuditViewer(self.ctx, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.destroyed.connect(lambda *_: setattr(self, "audit_viewer", None))
        self.audit_viewer = viewer
        viewer.show()
        return viewer

    # --- help ------------------------------------------------------------------------

    def open_protocols(self) -> QDialog:
        """Clinic > Protocols…: rename, delete and (administrators) share protocols."""
        from dnt_desktop.ui.session.protocols_ui import ProtocolsDialog

        return self._show_records_dialog(ProtocolsDialog(self.ctx, self))

    def open_note_phrases(self) -> QDialog | None:
        """Clinic > Note phrases… (administrators): the phrases inserted into notes."""
        from dnt_desktop.ui.admin.note_phrases_dialog import NotePhrasesDialog

        if not self.ctx.is_admin:
            return None
        return self._show_records_dialog(NotePhrasesDialog(self.ctx, self))

    def show_help(self) -> AboutDialog:
        """F1: shortcuts of every window and where the data lives (not modal)."""
        dialog = open_help(self, self.ctx, section="main", demo=self.demo)
        self.about_dialog = dialog
        return dialog

    # --- settings and closing --------------------------------------------------------

    def split_default(self) -> None:
        """Give the register about a third of the width and the chart the rest."""
        width = self.width()
        register = round(min(max(width * REGISTER_SHARE, REGISTER_WIDTHS[0]), REGISTER_WIDTHS[1]))
        self.splitter.setSizes([register, max(width - register, 1)])

    def _splitter_key(self) -> str:
        return f"splitter/{screen_key(available_area(self))}"

    def restore_settings(self) -> None:
        """Tool bar, splitter and register options as last left (the window's geometry is
        remembered per screen size by ``placement``)."""
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        state = settings.value("state")
        if state is not None:
            self.restoreState(state)
        splitter = settings.value(self._splitter_key())
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.register.restore_state(settings)
        settings.endGroup()

    def save_settings(self) -> None:
        """Remember geometry (for this screen size), splitter and register options."""
        self.placement.remember()
        settings = QSettings()
        settings.beginGroup(SETTINGS_GROUP)
        settings.setValue("state", self.saveState())
        settings.setValue(self._splitter_key(), self.splitter.saveState())
        self.register.save_state(settings)
        settings.endGroup()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close every session editor first (each may refuse), then remember the layout."""
        if self._leaving_without_questions:  # signed out for a colleague
            self.save_settings()
            self.lock.stop()
            event.accept()
            return
        for entry in list(self.editors):
            if not entry.window.close():
                event.ignore()
                self._quit_pending = True  # the app closes once the editor has closed
                self.statusBar().showMessage(
                    "A session editor has unsaved changes: answer its question first.", 8000
                )
                return
        self._quit_pending = False
        if not self.confirm_leave_chart():
            event.ignore()
            return
        self.save_settings()
        self.lock.stop()
        event.accept()
