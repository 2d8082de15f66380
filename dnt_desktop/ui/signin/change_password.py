"""File > Change my password: the current password, then the new one twice."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import accounts
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.widgets.field_errors import error_label, with_error

from .passwords import NewPasswordFields, PasswordEdit, ThrottleCountdown, password_message


class ChangePasswordDialog(QDialog):
    """Any signed-in practitioner changes their own password (``accounts.change_password``)."""

    def __init__(self, ctx: AppContext, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("change_password")
        self.setWindowTitle("Change my password")
        self.setMinimumWidth(480)
        self.current = PasswordEdit("Current password")
        self.current.setObjectName("current_password")
        self.current_message = error_label()
        self.current_message.setObjectName("current_password_message")
        self.new_password = NewPasswordFields(lambda: username, self)
        self.general = error_label()
        self.countdown = ThrottleCountdown(self._show_wait, self._wait_over, self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Change password")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.current.submitted.connect(self.new_password.focus)
        self.new_password.repeat.submitted.connect(self.save)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("C&urrent password", with_error(self.current, self.current_message))
        self.new_password.add_to(form)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.current.setFocus(Qt.FocusReason.OtherFocusReason)

    def _say_current(self, text: str) -> None:
        self.current_message.setText(text)
        self.current_message.setVisible(bool(text))

    def save(self) -> None:
        """Change the password; a wrong current one is said under its field."""
        if self.countdown.waiting:
            return
        self._say_current("")
        self.general.setVisible(False)
        if not self.new_password.check():
            return
        try:
            accounts.change_password(
                self.ctx.db,
                self.ctx.practitioner_id,
                self.current.text(),
                self.new_password.text(),
            )
        except accounts.LoginThrottledError as exc:
            self.current.clear()
            self.countdown.begin(exc.wait_seconds)
            return
        except accounts.AuthenticationError as exc:
            self.current.clear()
            self._say_current(password_message(exc))
            self.current.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        except ValidationError as exc:
            self.new_password.show_message(exc.problems[0].message)
            return
        except (ServiceError, StorageError) as exc:
            self.general.setText(str(exc))
            self.general.setVisible(True)
            return
        self.accept()

    def _show_wait(self, text: str) -> None:
        self._say_current(text)
        self.save_button.setEnabled(not text)

    def _wait_over(self) -> None:
        self.save_button.setEnabled(True)
        self.current.setFocus(Qt.FocusReason.OtherFocusReason)
