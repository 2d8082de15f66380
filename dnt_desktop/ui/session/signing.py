"""Signing the session in the editor, and amending it once signed.

"Sign…" saves unsaved changes first, then asks the practitioner's password and calls
``records.sign_session``; the editor then turns read-only under a "Signed by" banner that
also says whether the signature still matches the content. Only the session's own
practitioner can sign. A signed session gets "Add amendment…" and the amendments panel.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from dnt_desktop.services import accounts, records
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date, format_datetime
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.session.amendments import AmendmentDialog, AmendmentsList
from dnt_desktop.ui.signin.password_dialog import PasswordConfirmDialog
from dnt_desktop.ui.signin.passwords import password_message

if TYPE_CHECKING:
    from .editor_window import SessionEditorWindow

SIGNED_STYLE = (
    "QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; padding: 6px 10px; "
    "font-weight: bold; }}"
)
VERIFIED = "Signature verified"
BROKEN = (
    "WARNING: the content no longer matches its signature. Do not rely on it; tell the "
    "clinic's administrator (dnt-desktop check)."
)


def signed_banner_text(signer: str, signed_at: datetime | None, intact: bool | None) -> str:
    """'Signed by X on DATE – read-only', with the result of the signature check."""
    when = format_datetime(signed_at) if signed_at else "an earlier date"
    text = f"Signed by {signer} on {when} – read-only"
    if intact is True:
        text += f" · {VERIFIED} ✓"
    elif intact is False:
        text += f" · {BROKEN}"
    return text


class AmendmentsPanel(QFrame):
    """Under a signed session: its amendments with author and time, and "Add amendment…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendments_panel")
        self.setStyleSheet(
            "#amendments_panel { background: #ffffff; border: 1px solid #c9d1db; "
            "border-radius: 6px; }"
        )
        self.title = QLabel("Amendments")
        self.title.setProperty("role", "section")
        self.add_button = QPushButton("Add &amendment…")
        self.add_button.setToolTip("Add a correction or addition to this signed session")
        self.list = AmendmentsList()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setFixedHeight(120)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.setVisible(False)

    def set_amendments(self, items: list[records.AmendmentView]) -> None:
        """Show *items* (the list is hidden while there are none)."""
        self.title.setText(f"Amendments ({len(items)})" if items else "Amendments: none")
        self.list.set_amendments(items)
        self.list.setVisible(bool(items))


class EditorSigning(QObject):
    """The editor's Sign and Add amendment actions and the amendments panel."""

    def __init__(self, editor: SessionEditorWindow) -> None:
        super().__init__(editor)
        self.editor = editor
        self.ctx = editor._ctx
        self.password_dialog: PasswordConfirmDialog | None = None
        self.amendment_dialog: AmendmentDialog | None = None
        self.sign_action: QAction = editor.sign_action
        self.amend_action: QAction = editor.amend_action
        self.panel: AmendmentsPanel = editor.amendments_panel
        self.sign_action.triggered.connect(self.request_sign)
        self.amend_action.triggered.connect(self.request_amendment)
        self.panel.add_button.clicked.connect(self.request_amendment)

    # --- state -----------------------------------------------------------------------

    @property
    def is_own_session(self) -> bool:
        """True when the signed-in practitioner charted (and so may sign) this session."""
        return self.editor._practitioner_id == self.ctx.practitioner_id

    def update_actions(self) -> None:
        """Sign for the own draft, Add amendment for a signed session."""
        signed = self.editor.is_read_only
        self.editor.save_action.setVisible(not signed)
        self.sign_action.setVisible(not signed)
        self.amend_action.setVisible(signed)
        self.amend_action.setEnabled(signed and self.editor.session_id is not None)
        own = self.is_own_session
        self.sign_action.setEnabled(not signed and own)
        if own:
            self.sign_action.setToolTip(
                "Sign the session with your password (Ctrl+Shift+S); it is saved first. "
                "A signed session can only be amended."
            )
        else:
            name = self.editor.header.practitioner_label.text() or "the practitioner"
            self.sign_action.setToolTip(f"Only {name}, who charted this session, can sign it.")

    def show_signed(self, signer: str, signed_at: datetime | None) -> None:
        """Turn the editor read-only under the banner, with the signature check and panel."""
        session_id = self.editor.session_id
        intact: bool | None = None
        items: list[records.AmendmentView] = []
        if session_id is not None:
            try:
                intact = records.signature_intact(self.ctx.db, session_id)
                items = records.amendments(self.ctx.db, session_id)
            except (ServiceError, StorageError) as exc:
                self.editor.statusBar().showMessage(f"Could not check the signature: {exc}")
        self.editor._set_read_only(signed_banner_text(signer, signed_at, intact))
        colours = ("#b71c1c", "#ffffff") if intact is False else ("#37474f", "#ffffff")
        self.editor.signed_banner.setStyleSheet(SIGNED_STYLE.format(bg=colours[0], fg=colours[1]))
        self.editor.signed_banner.setWordWrap(True)
        self.editor.signed_banner.setProperty("intact", intact)
        self.panel.set_amendments(items)
        self.panel.setVisible(True)
        self.update_actions()

    # --- signing ---------------------------------------------------------------------

    def request_sign(self) -> None:
        """Save what is unsaved, then ask for the password."""
        editor = self.editor
        if editor.is_read_only or editor._pending is not None or not self.is_own_session:
            return
        if editor.session_id is None or editor.has_unsaved_changes:
            editor.request_save(then=self.ask_password)
        else:
            self.ask_password()

    def ask_password(self) -> PasswordConfirmDialog:
        """The window-modal password dialog (the editor waits in its signals)."""
        editor = self.editor
        day = format_date(editor.header.started().date())
        patient = editor.header.name_label.text()
        dialog = PasswordConfirmDialog(
            "Sign session",
            f"Sign the session of <b>{day}</b> for <b>{patient}</b>?<br><br>"
            "Once signed it cannot be changed; corrections are added as amendments. "
            "Enter your password to sign.",
            "&Sign",
            editor,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.password_entered.connect(self._sign_with)
        dialog.finished.connect(self._password_dialog_closed)
        editor._pending = dialog
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def _password_dialog_closed(self, _result: int) -> None:
        self.editor._pending = None
        self.password_dialog = None

    def _sign_with(self, password: str) -> None:
        editor, dialog = self.editor, self.password_dialog
        session_id = editor.session_id
        if dialog is None or session_id is None:
            return
        try:
            result = records.sign_session(
                self.ctx.db,
                self.ctx.practitioner_id,
                session_id,
                password,
                expected_version=editor._version,
            )
        except accounts.LoginThrottledError as exc:
            dialog.wait(exc.wait_seconds)
            return
        except accounts.AuthenticationError as exc:
            dialog.show_error(password_message(exc))
            return
        except ValidationError as exc:
            dialog.reject()
            editor._show_problems(exc.problems, heading="Not signed – please fix:")
            return
        except (ServiceError, StorageError) as exc:
            dialog.reject()
            editor.show_message(f"Not signed: {exc}")
            return
        dialog.accept()
        editor._version = result.version
        editor.message_bar.setVisible(False)
        self.show_signed(self.ctx.practitioner_name, result.signed_at)
        editor._refresh_state()
        editor.statusBar().showMessage("Session signed.", 8000)
        self.ctx.hub.publish(result.changes)

    # --- amending --------------------------------------------------------------------

    def request_amendment(self) -> AmendmentDialog | None:
        """The window-modal amendment dialog for a signed session."""
        editor = self.editor
        if not editor.is_read_only or editor.session_id is None or editor._pending is not None:
            return None
        label = (
            f"Session of {format_date(editor.header.started().date())} – "
            f"{editor.header.name_label.text()}"
        )
        dialog = AmendmentDialog(label, editor)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.text_entered.connect(self._amend_with)
        dialog.finished.connect(self._amendment_dialog_closed)
        editor._pending = dialog
        self.amendment_dialog = dialog
        dialog.open()
        return dialog

    def _amendment_dialog_closed(self, _result: int) -> None:
        self.editor._pending = None
        self.amendment_dialog = None

    def _amend_with(self, text: str) -> None:
        editor, dialog = self.editor, self.amendment_dialog
        session_id = editor.session_id
        if dialog is None or session_id is None:
            return
        try:
            records.amend_session(self.ctx.db, self.ctx.practitioner_id, session_id, text)
        except ValidationError as exc:
            dialog.show_error(" ".join(p.message for p in exc.problems))
            return
        except (ServiceError, StorageError) as exc:
            dialog.show_error(str(exc))
            return
        dialog.accept()
        editor.statusBar().showMessage("Amendment added.", 8000)
        self.reload_amendments()
        self.ctx.hub.publish(Changes.session(session_id, editor._patient_id))

    def reload_amendments(self) -> None:
        """Read the session's amendments again (after one was added)."""
        session_id = self.editor.session_id
        if session_id is None:
            return
        try:
            self.panel.set_amendments(records.amendments(self.ctx.db, session_id))
        except (ServiceError, StorageError) as exc:
            self.editor.statusBar().showMessage(f"Could not show the amendments: {exc}")
