"""Asking for the signed-in practitioner's password again, e.g. to sign a session.

The dialog does not check the password itself: ``password_entered`` hands it to the
caller, who answers with ``show_error`` (it stays open) or ``accept``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit

from .passwords import PasswordEdit, ThrottleCountdown


class PasswordConfirmDialog(QDialog):
    """An explanation, one password field and a confirm button named after the action."""

    password_entered = Signal(str)

    def __init__(
        self,
        title: str,
        explanation: str,
        confirm_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("password_confirm")
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        text = QLabel(explanation)
        text.setObjectName("password_confirm_text")
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        self.password = PasswordEdit("Your password")
        self.password.setObjectName("password")
        self.message = error_label()
        self.message.setObjectName("password_message")
        self.message.setAccessibleName("Why it did not work")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.confirm_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.confirm_button.setText(confirm_text)
        self.confirm_button.setObjectName("confirm")
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.password.submitted.connect(self._submit)
        self.countdown = ThrottleCountdown(self._show_wait, self._wait_over, self)

        form = QFormLayout()
        form.addRow("Your &password", self.password)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(text)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        if not self.countdown.waiting:
            self.password_entered.emit(self.password.text())

    def show_error(self, text: str) -> None:
        """Say why it did not work and empty the field for another try."""
        self.password.clear()
        self.message.setText(text)
        self.message.setVisible(bool(text))
        grow_dialog_to_fit(self.message)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def wait(self, seconds: int) -> None:
        """Count a throttled account's wait down before the next try."""
        self.password.clear()
        self.countdown.begin(seconds)

    def _show_wait(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.confirm_button.setEnabled(not text)

    def _wait_over(self) -> None:
        self.confirm_button.setEnabled(True)
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
