"""The administrator's account forms: a new account, and a new password for an account."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.services.rules import Problem
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.signin.passwords import NewPasswordFields
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

ROLE_LABELS = {Role.PRACTITIONER: "Practitioner", Role.ADMIN: "Administrator"}


def _line(field: str, name: str, placeholder: str = "") -> QLineEdit:
    edit = LimitedLineEdit("practitioner", field)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _buttons(dialog: QDialog, text: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(text)
    buttons.rejected.connect(dialog.reject)
    return buttons


class AddAccountDialog(QDialog):
    """Name, user name, registration number, role and first password of a new account.

    After ``accept``, ``account_id`` is the new account's id.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account_id: int | None = None
        self.setObjectName("add_account")
        self.setWindowTitle("Add account")
        self.setMinimumWidth(520)
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.full_name = _line("full_name", "Full name", "e.g. Sam Physio")
        self.username = _line("username", "User name", "e.g. sam.physio")
        self.registration = _line(
            "registration_number", "Registration number", "professional registration"
        )
        self.role = WideComboBox()
        self.role.setAccessibleName("Role")
        for role, label in ROLE_LABELS.items():
            self.role.addItem(label, role)
        self.password = NewPasswordFields(
            lambda: self.username.text().strip(), self, label="&First password"
        )
        self._username_touched = False
        self.full_name.textEdited.connect(self._suggest_username)
        self.username.textEdited.connect(lambda _t: setattr(self, "_username_touched", True))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Full name *", self.errors.add("full_name", self.full_name))
        form.addRow("&User name *", self.errors.add("username", self.username))
        form.addRow("Re&gistration no.", self.errors.add("registration_number", self.registration))
        form.addRow("R&ole", self.role)
        self.password.add_to(form)
        note = QLabel(
            "Give the first password to the person privately; they can change it with "
            "File > Change my password."
        )
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        buttons = _buttons(self, "&Add account")
        buttons.accepted.connect(self.save)
        self.password.repeat.submitted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.full_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _suggest_username(self, name: str) -> None:
        if not self._username_touched:
            self.username.setText(".".join(name.lower().split())[:60])

    def form(self) -> PractitionerForm:
        """The account as typed."""
        return PractitionerForm(
            full_name=self.full_name.text(),
            username=self.username.text().strip(),
            registration_number=self.registration.text(),
            role=Role(self.role.currentData()),
        )

    def save(self) -> None:
        """Add the account; problems are shown next to their fields, nothing is lost."""
        self.errors.clear()
        if not self.password.check():
            return
        try:
            new_id = accounts.add_account(
                self.ctx.db, self.ctx.practitioner_id, self.form(), self.password.text()
            )
        except ValidationError as exc:
            self._show(exc.problems)
            return
        except (ServiceError, StorageError) as exc:
            self.general.setText(str(exc))
            self.general.setVisible(True)
            return
        self.account_id = new_id
        self.ctx.hub.publish(Changes.account(new_id))
        self.accept()

    def _show(self, problems: list[Problem]) -> None:
        password = [p.message for p in problems if p.field == "password"]
        self.errors.show([p for p in problems if p.field != "password"])
        if password:
            self.password.show_message(password[0])


class ResetPasswordDialog(QDialog):
    """An administrator sets a new password for an account (and clears its wait)."""

    def __init__(
        self, ctx: AppContext, account: Practitioner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account
        self.setObjectName("reset_password")
        self.setWindowTitle("Reset password")
        self.setMinimumWidth(460)
        intro = QLabel(
            f"Set a new password for <b>{account.full_name}</b> ({account.username}). "
            "Tell them the new password privately."
        )
        intro.setWordWrap(True)
        self.password = NewPasswordFields(lambda: account.username, self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.password.add_to(form)
        self.general = error_label()
        buttons = _buttons(self, "&Set password")
        buttons.accepted.connect(self.save)
        self.password.repeat.submitted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.password.focus()

    def save(self) -> None:
        """Set the password (audited by the service)."""
        if not self.password.check():
            return
        try:
            accounts.reset_password(
                self.ctx.db, self.ctx.practitioner_id, self.account.id, self.password.text()
            )
        except ValidationError as exc:
            self.password.show_message(exc.problems[0].message)
            return
        except (ServiceError, StorageError) as exc:
            self.general.setText(str(exc))
            self.general.setVisible(True)
            return
        self.accept()
