"""Signing in at start: user name and password, throttled, or a first password to choose.

The last user name is remembered on this computer (QSettings), so most mornings only the
password is typed. Every attempt goes through ``accounts.authenticate`` (audited there).

The dialog can show before the app has loaded SQLAlchemy and opened the database: it is
then given a function that returns the database once it is open (``ui.app``), called
when the user signs in; the services are imported only then.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit

from .passwords import NewPasswordFields, PasswordEdit, ThrottleCountdown

if TYPE_CHECKING:
    from dnt_desktop.models import Practitioner
    from dnt_desktop.storage.engine import Database


LAST_USER_KEY = "login/last_username"


class LoginDialog(QDialog):
    """User name and password; ``practitioner`` is the signed-in account after ``accept``.

    ``accept()`` (the Sign in button, Enter) tries the password and only closes the dialog
    when it is right; a wrong one shows the service's message, a throttled account the wait.
    An account without a password yet asks for a first one in the same dialog.
    """

    def __init__(
        self,
        db: Database | Callable[[], Database | None],
        parent: QWidget | None = None,
        *,
        clinic_name: str = "",
        note: str = "",
    ) -> None:
        super().__init__(parent)
        self._database = db if callable(db) else (lambda: db)
        self.practitioner: Practitioner | None = None
        self._choosing_first_password = False
        self.setObjectName("login_dialog")
        self.setWindowTitle("Sign in to dnt-desktop")
        self.setMinimumWidth(420)

        heading = QLabel(clinic_name or "dnt-desktop")
        heading.setProperty("role", "heading")
        intro = QLabel("Sign in with your user name and password.")
        intro.setProperty("role", "hint")
        intro.setWordWrap(True)
        self.intro = intro
        self.note = QLabel(note)
        self.note.setObjectName("login_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("font-weight: bold;")
        self.note.setVisible(bool(note))

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName("User name")
        self.username.setMaxLength(60)
        self.password = PasswordEdit("Password")
        self.password.setObjectName("password")
        self.password.submitted.connect(self.accept)
        self.username.returnPressed.connect(self._next_from_username)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("&User name", self.username)
        self.form.addRow("&Password", self.password)

        self.new_password = NewPasswordFields(
            lambda: self.username.text().strip().lower(), self, label="&New password"
        )
        self.new_password.add_to(self.form)
        self.new_password.set_visible(False)
        self.new_password.repeat.submitted.connect(self.accept)

        self.message = error_label()
        self.message.setObjectName("login_message")
        self.message.setAccessibleName("Why signing in failed")
        self.countdown = ThrottleCountdown(self._show_wait, self._wait_over, self)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setObjectName("sign_in")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Quit")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.note)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

        last = str(QSettings().value(LAST_USER_KEY, "") or "")
        self.username.setText(last)
        (self.password if last else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def db(self) -> Database | None:
        """The database (waiting for it to open, when the dialog showed first)."""
        return self._database()

    # --- signing in ------------------------------------------------------------------

    def _next_from_username(self) -> None:
        self.password.setFocus(Qt.FocusReason.TabFocusReason)

    def accept(self) -> None:
        """Try the password (or set the first one); close only when signed in."""
        if self.countdown.waiting:
            return
        if self._choosing_first_password:
            self._set_first_password()
            return
        name = self.username.text().strip()
        if not name:
            self._fail("Enter your user name.", self.username)
            return
        db = self.db
        if db is None:  # it could not be opened: the app says why
            self.reject()
            return
        from dnt_desktop.services import accounts
        from dnt_desktop.services.errors import ServiceError

        try:
            person = accounts.authenticate(db, name, self.password.text())
        except accounts.LoginThrottledError as exc:
            self.password.clear()
            self.countdown.begin(exc.wait_seconds)
            return
        except accounts.PasswordNotSetError as exc:
            self._ask_first_password(str(exc))
            return
        except (ServiceError, StorageError) as exc:
            self._fail(str(exc), self.password)
            return
        self._signed_in(person)

    def _signed_in(self, person: Practitioner) -> None:
        self.practitioner = person
        settings = QSettings()
        settings.setValue(LAST_USER_KEY, person.username)
        settings.sync()
        super().accept()

    def _fail(self, text: str, focus: QLineEdit) -> None:
        self.password.clear()
        self.show_message(text)
        focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_message(self, text: str) -> None:
        """Show why signing in failed ('' hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            grow_dialog_to_fit(self.message)

    def _show_wait(self, text: str) -> None:
        self.show_message(text)
        self.sign_in_button.setEnabled(not text)

    def _wait_over(self) -> None:
        self.sign_in_button.setEnabled(True)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- an account without a password -----------------------------------------------

    def _ask_first_password(self, text: str) -> None:
        self._choosing_first_password = True
        self.show_message("")
        self.intro.setText(text)
        self.username.setReadOnly(True)
        self.form.setRowVisible(self.password, False)
        self.new_password.set_visible(True)
        self.sign_in_button.setText("&Set password and sign in")
        self.new_password.focus()

    def _set_first_password(self) -> None:
        from dnt_desktop.services import accounts
        from dnt_desktop.services.errors import ServiceError, ValidationError

        if not self.new_password.check():
            return
        db = self.db
        if db is None:
            self.reject()
            return
        try:
            person = accounts.set_first_password(db, self.username.text(), self.new_password.text())
        except ValidationError as exc:
            self.new_password.show_message(exc.problems[0].message)
            return
        except (ServiceError, StorageError) as exc:
            self.new_password.show_message(str(exc))
            return
        self._signed_in(person)


def sign_in(
    db: Database | Callable[[], Database | None],
    parent: QWidget | None = None,
    clinic_name: str = "",
    note: str = "",
) -> Practitioner | None:
    """Show the login dialog; the signed-in account, or None when the user quits.

    *note* is shown above the fields (the demo database's accounts, say). *db* may be a
    function giving the database once it is open (None when it could not be).
    """
    dialog = LoginDialog(db, parent, clinic_name=clinic_name, note=note)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    person = dialog.practitioner
    dialog.deleteLater()
    return person if accepted else None
