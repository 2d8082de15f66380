"""Signing the session in the editor, and amending it once signed: a presenter.

"Sign…" saves unsaved changes first, then asks the practitioner's password and calls
``records.sign_session``; the editor then turns read-only under a "Signed by" banner that
also says whether the signature still matches the content. Only the session's own
practitioner can sign. A signed session gets "Add amendment…" and the amendments panel.

The presenter knows the editor only as a ``SigningEditor``: the small public interface
below, which ``SessionEditorWindow`` implements. It never reaches into the editor's
widgets or private state, and this module does not import the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from dnt_desktop.services import accounts, records
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date, format_datetime
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.rules import Problem
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.signin.password_dialog import PasswordConfirmDialog
from dnt_desktop.ui.signin.passwords import password_message

from .amendments import AmendmentDialog, AmendmentsPanel

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


@runtime_checkable
class SigningEditor(Protocol):
    """What the signing presenter asks of the session editor, and all it may ask."""

    @property
    def session_id(self) -> int | None:
        """The session's id once saved."""

    @property
    def version(self) -> int | None:
        """The version of the session as last read or saved (guards the signing)."""

    @property
    def patient_id(self) -> int:
        """The patient whose session it is."""

    @property
    def patient_name(self) -> str:
        """The patient as the editor's header names them ("Doe, Jane")."""

    @property
    def started_at(self) -> datetime:
        """When the session started, as on screen."""

    @property
    def charted_by(self) -> tuple[int, str]:
        """The id and name of the practitioner who charted the session."""

    @property
    def is_read_only(self) -> bool:
        """True once the session is signed."""

    @property
    def has_unsaved_changes(self) -> bool:
        """Whether anything on screen differs from what is saved."""

    @property
    def is_waiting(self) -> bool:
        """True while a window-modal question of the editor is open."""

    def request_save(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        """Save, then run *then* (or *otherwise* when nothing was saved)."""

    def wait_for(self, dialog: QWidget | None) -> None:
        """The editor waits for *dialog*'s answer (None: it has been answered)."""

    def show_signed(self, banner: str, intact: bool | None) -> None:
        """Turn read-only under *banner* (a warning when *intact* is False)."""

    def signature_recorded(self, version: int) -> None:
        """The session was just signed and is now at *version*."""

    def show_problems(self, problems: list[Problem], heading: str) -> None:
        """Show why something was refused, each problem at its field."""

    def show_message(self, text: str) -> None:
        """Show *text* in the editor's message bar."""

    def show_status(self, text: str) -> None:
        """A short note in the status bar."""


def _session_label(editor: SigningEditor) -> tuple[str, str]:
    return format_date(editor.started_at.date()), editor.patient_name


class SigningPresenter(QObject):
    """The editor's Sign and Add amendment actions and its amendments panel."""

    def __init__(
        self,
        editor: SigningEditor,
        ctx: AppContext,
        sign_action: QAction,
        amend_action: QAction,
        panel: AmendmentsPanel,
        window: QWidget,
    ) -> None:
        """*window* owns the presenter and its dialogs (the editor's own window)."""
        super().__init__(window)
        self.editor = editor
        self.ctx = ctx
        self.password_dialog: PasswordConfirmDialog | None = None
        self.amendment_dialog: AmendmentDialog | None = None
        self.sign_action = sign_action
        self.amend_action = amend_action
        self.panel = panel
        self._window = window
        self.sign_action.triggered.connect(self.request_sign)
        self.amend_action.triggered.connect(self.request_amendment)
        self.panel.add_button.clicked.connect(self.request_amendment)

    # --- state -----------------------------------------------------------------------

    @property
    def is_own_session(self) -> bool:
        """True when the signed-in practitioner charted (and so may sign) this session."""
        return self.editor.charted_by[0] == self.ctx.practitioner_id

    def update_actions(self) -> None:
        """Sign for the own draft, Add amendment for a signed session."""
        signed = self.editor.is_read_only
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
            name = self.editor.charted_by[1] or "the practitioner"
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
                self.editor.show_status(f"Could not check the signature: {exc}")
        self.editor.show_signed(signed_banner_text(signer, signed_at, intact), intact)
        self.panel.set_amendments(items)
        self.panel.setVisible(True)
        self.update_actions()

    # --- signing ---------------------------------------------------------------------

    def request_sign(self) -> None:
        """Save what is unsaved, then ask for the password."""
        editor = self.editor
        if editor.is_read_only or editor.is_waiting or not self.is_own_session:
            return
        if editor.session_id is None or editor.has_unsaved_changes:
            editor.request_save(then=self.ask_password)
        else:
            self.ask_password()

    def ask_password(self) -> PasswordConfirmDialog:
        """The window-modal password dialog (the editor waits in its signals)."""
        day, patient = _session_label(self.editor)
        dialog = PasswordConfirmDialog(
            "Sign session",
            f"Sign the session of <b>{day}</b> for <b>{patient}</b>?<br><br>"
            "Once signed it cannot be changed; corrections are added as amendments. "
            "Enter your password to sign.",
            "&Sign",
            self._window,
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.password_entered.connect(self._sign_with)
        dialog.finished.connect(self._password_dialog_closed)
        self.editor.wait_for(dialog)
        self.password_dialog = dialog
        dialog.open()
        return dialog

    def _password_dialog_closed(self, _result: int) -> None:
        self.editor.wait_for(None)
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
                expected_version=editor.version,
            )
        except accounts.LoginThrottledError as exc:
            dialog.wait(exc.wait_seconds)
            return
        except accounts.AuthenticationError as exc:
            dialog.show_error(password_message(exc))
            return
        except ValidationError as exc:
            dialog.reject()
            editor.show_problems(exc.problems, "Not signed – please fix:")
            return
        except (ServiceError, StorageError) as exc:
            dialog.reject()
            editor.show_message(f"Not signed: {exc}")
            return
        dialog.accept()
        self.show_signed(self.ctx.practitioner_name, result.signed_at)
        editor.signature_recorded(result.version)
        editor.show_status("Session signed.")
        self.ctx.hub.publish(result.changes)

    # --- amending --------------------------------------------------------------------

    def request_amendment(self) -> AmendmentDialog | None:
        """The window-modal amendment dialog for a signed session."""
        editor = self.editor
        if not editor.is_read_only or editor.session_id is None or editor.is_waiting:
            return None
        day, patient = _session_label(editor)
        dialog = AmendmentDialog(f"Session of {day} – {patient}", self._window)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.text_entered.connect(self._amend_with)
        dialog.finished.connect(self._amendment_dialog_closed)
        editor.wait_for(dialog)
        self.amendment_dialog = dialog
        dialog.open()
        return dialog

    def _amendment_dialog_closed(self, _result: int) -> None:
        self.editor.wait_for(None)
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
        editor.show_status("Amendment added.")
        self.reload_amendments()
        self.ctx.hub.publish(Changes.session(session_id, editor.patient_id))

    def reload_amendments(self) -> None:
        """Read the session's amendments again (after one was added)."""
        session_id = self.editor.session_id
        if session_id is None:
            return
        try:
            self.panel.set_amendments(records.amendments(self.ctx.db, session_id))
        except (ServiceError, StorageError) as exc:
            self.editor.show_status(f"Could not show the amendments: {exc}")
