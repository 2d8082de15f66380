"""Password fields: a masked edit that keeps Enter and Esc, and a new-password pair.

The policy itself is the service's (``accounts.password_problems``); these widgets only
show its messages and check that the two copies match.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from dnt_desktop.services import password_policy
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit

POLICY_HINT = (
    f"At least {password_policy.MIN_PASSWORD_LENGTH} characters, not the user name. "
    "A short sentence is easy to remember."
)


class PasswordEdit(QLineEdit):
    """A masked line edit whose Enter fires ``submitted`` and goes no further.

    A plain QLineEdit passes Enter and Esc on to its dialog (default button, reject);
    where a password is typed, Enter means "submit this password" and nothing else.
    """

    submitted = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setAccessibleName(accessible_name)
        self.setMaxLength(password_policy.MAX_PASSWORD_LENGTH)
        self.setMinimumWidth(220)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)


class NewPasswordFields(QObject):
    """ "New password" and "Repeat it", with the policy hint and live messages.

    ``add_to(form)`` puts its rows into a dialog's form, so that they line up with the
    other fields. ``problem()`` is the first reason the pair cannot be used ('' if none).
    """

    changed = Signal()

    def __init__(
        self,
        username: Callable[[], str] = lambda: "",
        parent: QObject | None = None,
        *,
        label: str = "&New password",
    ) -> None:
        super().__init__(parent)
        self._username = username
        self.label = label
        self.password = PasswordEdit("New password")
        self.password.setObjectName("new_password")
        self.repeat = PasswordEdit("Repeat the new password")
        self.repeat.setObjectName("repeat_password")
        self.hint = QLabel(POLICY_HINT)
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.message = error_label()
        self.message.setAccessibleName("Password problem")
        self._form: QFormLayout | None = None
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(400)
        self._quiet.timeout.connect(self._show_live)
        for edit in (self.password, self.repeat):
            edit.textChanged.connect(self._typed)
        self.password.submitted.connect(lambda: self.repeat.setFocus())

    def add_to(self, form: QFormLayout) -> None:
        """Add the two fields, the hint and the message as rows of *form*."""
        self._form = form
        form.addRow(self.label, self.password)
        form.addRow("&Repeat it", self.repeat)
        self.notes = QWidget()
        notes = QVBoxLayout(self.notes)
        notes.setContentsMargins(0, 0, 0, 0)
        notes.setSpacing(4)
        notes.addWidget(self.hint)
        notes.addWidget(self.message)
        form.addRow(None, self.notes)

    def set_visible(self, visible: bool) -> None:
        """Show or hide the rows (the message stays hidden until there is one)."""
        if self._form is None:
            return
        for widget in (self.password, self.repeat, self.notes):
            self._form.setRowVisible(widget, visible)

    def focus(self) -> None:
        """Put the cursor in the new password."""
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def text(self) -> str:
        """The new password as typed."""
        return self.password.text()

    def problem(self) -> str:
        """Why the pair cannot be used yet ('' when it can)."""
        from dnt_desktop.services import accounts  # not before the sign-in dialog shows

        problems = accounts.password_problems(self.password.text(), self._username())
        if problems:
            return problems[0].message
        if self.repeat.text() != self.password.text():
            return "The two passwords are not the same. Type the new password twice."
        return ""

    def check(self) -> bool:
        """Show the problem (if any) under the fields; True when the pair is usable."""
        text = self.problem()
        self.show_message(text)
        if text:
            target = self.repeat if "not the same" in text else self.password
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        return not text

    def show_message(self, text: str) -> None:
        """Show *text* (a service's message, say) under the fields; '' hides it."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if text:
            grow_dialog_to_fit(self.message)

    def clear(self) -> None:
        """Empty both fields and hide the message."""
        self.password.clear()
        self.repeat.clear()
        self.show_message("")

    def _typed(self) -> None:
        self.changed.emit()
        if self.message.isVisible():
            self._show_live()
        else:
            self._quiet.start()

    def _show_live(self) -> None:
        # Only speak once the user paused and typed the second copy (no nagging mid-word).
        if not self.repeat.text() and not self.message.isVisible():
            return
        self.show_message(self.problem())


class ThrottleCountdown(QTimer):
    """Counts a ``LoginThrottledError`` wait down, once a second on screen.

    *show* gets the message for the remaining seconds ('' at the end), *done* is called
    when the wait is over (a little after it, so that the service's clock agrees).
    """

    GRACE_SECONDS = 0.25

    def __init__(
        self, show: Callable[[str], None], done: Callable[[], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._show = show
        self._done = done
        self._deadline = 0.0
        self.setInterval(200)
        self.setTimerType(Qt.TimerType.PreciseTimer)
        self.timeout.connect(self._tick)

    @property
    def remaining(self) -> int:
        """Whole seconds still to wait (as the message says)."""
        return max(0, math.ceil(self._deadline - self.GRACE_SECONDS - time.monotonic()))

    def begin(self, seconds: int) -> None:
        """Start counting *seconds* down."""
        self._deadline = time.monotonic() + max(0, seconds) + self.GRACE_SECONDS
        self._show(self._text())
        self.start()

    def _text(self) -> str:
        remaining = max(1, self.remaining)
        unit = "second" if remaining == 1 else "seconds"
        return f"Too many wrong passwords. Wait {remaining} {unit}, then try again."

    def _tick(self) -> None:
        if time.monotonic() >= self._deadline:
            self.stop()
            self._show("")
            self._done()
        else:
            self._show(self._text())

    @property
    def waiting(self) -> bool:
        """True while the countdown runs."""
        return self.isActive()


def password_message(exc: BaseException) -> str:
    """The message for a failed password check where the user name is not asked.

    The service says "user name or password" (one message for both at sign-in); on the
    lock screen and when signing only the password can be wrong.
    """
    text = str(exc)
    if text == password_policy.WRONG_CREDENTIALS:
        return "The password is wrong. Check Caps Lock and try again."
    return text
