"""Administration > Accounts: every practitioner account, added, deactivated (never
deleted), reactivated, or given a new password."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Practitioner
from dnt_desktop.services import accounts
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.practitioners import practitioners
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.button_rows import button_row
from dnt_desktop.ui.widgets.list_table import highlighted, list_table
from dnt_desktop.ui.widgets.window_size import place_window

from .account_forms import ROLE_LABELS, AddAccountDialog, ResetPasswordDialog

COLUMNS = ("Name", "User name", "Registration no.", "Role", "Status")


class AccountsDialog(QDialog):
    """The account list with Add, Reset password and Deactivate/Reactivate."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[Practitioner] = []
        self.form_dialog: QDialog | None = None
        self.setObjectName("accounts_dialog")
        self.setWindowTitle("Accounts")
        place_window(self, "accounts_dialog", 820, 460)

        intro = QLabel(
            "Accounts are never deleted, so that every record keeps its author: deactivate "
            "the account of someone who leaves."
        )
        intro.setProperty("role", "hint")
        intro.setWordWrap(True)
        self.table = list_table(COLUMNS, "Accounts", row_padding=10, stretch_column=0)
        self.table.setObjectName("accounts_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("&Add account…")
        self.add_button.setProperty("primary", True)
        self.add_button.clicked.connect(self.add_account)
        self.reset_button = QPushButton("&Reset password…")
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button = QPushButton("&Deactivate")
        self.active_button.clicked.connect(self.toggle_active)
        self.status = QLabel()
        self.status.setObjectName("accounts_status")
        self.status.setStyleSheet(f"color: {style.OK_TEXT}; font-weight: bold;")
        self.status.setVisible(False)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        for button in (self.add_button, self.reset_button, self.active_button):
            button.setAutoDefault(False)
        buttons = button_row([self.add_button, self.reset_button, self.active_button], [close])

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    # --- the list --------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Read the accounts again, keeping (or moving to) the highlighted one."""
        keep = select_id if select_id is not None else self.selected_id()
        rows = guarded(self, "Accounts", lambda: practitioners(self.ctx.db, active_only=False))
        self.rows = rows or []
        self.table.setRowCount(len(self.rows))
        muted = QColor(style.MUTED_TEXT)
        for row, person in enumerate(self.rows):
            values = (
                person.full_name,
                person.username,
                person.registration_number,
                ROLE_LABELS.get(person.role, person.role.value),
                "Active" if person.active else "Deactivated",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                if not person.active:
                    item.setForeground(muted)
                self.table.setItem(row, column, item)
        target = next((i for i, p in enumerate(self.rows) if p.id == keep), 0)
        if self.rows:
            self.table.selectRow(target)
        self._update_buttons()

    def selected(self) -> Practitioner | None:
        """The highlighted account."""
        return highlighted(self.table, self.rows)

    def selected_id(self) -> int | None:
        """The highlighted account's id."""
        person = self.selected()
        return person.id if person else None

    def _update_buttons(self) -> None:
        person = self.selected()
        self.reset_button.setEnabled(person is not None)
        own = person is not None and person.id == self.ctx.practitioner_id
        self.active_button.setEnabled(person is not None and not own)
        self.active_button.setText(
            "Re&activate" if person is not None and not person.active else "&Deactivate"
        )
        self.active_button.setToolTip(
            "You cannot deactivate the account you are signed in with."
            if own
            else "A deactivated account cannot sign in; its records keep its name."
        )

    # --- actions ---------------------------------------------------------------------

    def add_account(self) -> AddAccountDialog:
        """The new-account form (window-modal)."""
        dialog = AddAccountDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._added(dialog.account_id))
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def _added(self, account_id: int | None) -> None:
        self.reload(account_id)
        person = self.selected()
        if person is not None and person.id == account_id:
            self._said(f"The account of {person.full_name} ({person.username}) was added.")

    def reset_password(self) -> ResetPasswordDialog | None:
        """A new password for the highlighted account (window-modal)."""
        person = self.selected()
        if person is None:
            return None
        dialog = ResetPasswordDialog(self.ctx, person, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(
            lambda: self._said(f"The password of {person.full_name} was reset.")
        )
        self.form_dialog = dialog
        dialog.open()
        return dialog

    def toggle_active(self) -> bool:
        """Deactivate (after confirming) or reactivate the highlighted account."""
        person = self.selected()
        if person is None or person.id == self.ctx.practitioner_id:
            return False
        if person.active:
            answer = QMessageBox.question(
                self,
                "Deactivate account",
                f"Deactivate the account of {person.full_name} ({person.username})?\n\n"
                "They can no longer sign in. Nothing is deleted: their sessions keep their "
                "name, and the account can be reactivated.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            change = accounts.deactivate_account
        else:
            change = accounts.reactivate_account

        def write() -> Changes:
            return change(self.ctx.db, self.ctx.practitioner_id, person.id)

        changes = guarded(self, "Accounts", write)
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        self.reload(person.id)
        state = "deactivated" if person.active else "reactivated"
        self._said(f"The account of {person.full_name} was {state}.")
        return True

    def _said(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(True)
