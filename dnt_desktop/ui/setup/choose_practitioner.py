"""Choosing who is charting at start-up (a login dialog with passwords will replace this)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import Role
from dnt_desktop.services.clinic import practitioners
from dnt_desktop.storage.engine import Database


@dataclass(frozen=True)
class PractitionerChoice:
    """Who is charting in this run of the app."""

    id: int
    name: str
    is_admin: bool


class ChoosePractitionerDialog(QDialog):
    """A keyboard-friendly list of active practitioners: arrows, then Enter."""

    def __init__(self, choices: list[PractitionerChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is charting?")
        self.setMinimumWidth(380)
        self.choices = choices
        prompt = QLabel("Choose your name, then press Enter.")
        prompt.setProperty("role", "hint")
        self.list = QListWidget()
        self.list.setAccessibleName("Practitioners")
        self.list.setStyleSheet("QListWidget::item { padding: 6px 8px; }")
        for choice in choices:
            text = choice.name + ("  (administrator)" if choice.is_admin else "")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, choice.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        rows = min(max(len(choices), 3), 10)
        row_height = self.list.fontMetrics().height() + 14
        self.list.setFixedHeight(rows * row_height + 2 * self.list.frameWidth() + 4)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Start charting")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.list.setFocus()

    def chosen(self) -> PractitionerChoice | None:
        """The highlighted practitioner."""
        row = self.list.currentRow()
        return self.choices[row] if 0 <= row < len(self.choices) else None


def active_practitioners(db: Database) -> list[PractitionerChoice]:
    """Every active practitioner, by name."""
    return [
        PractitionerChoice(p.id, p.full_name, p.role == Role.ADMIN)
        for p in practitioners(db, active_only=True)
    ]


def choose_practitioner(db: Database, parent: QWidget | None = None) -> PractitionerChoice | None:
    """Who is charting: the only practitioner, or the one picked in the dialog (None: cancel)."""
    choices = active_practitioners(db)
    if not choices:
        return None
    if len(choices) == 1:
        return choices[0]
    dialog = ChoosePractitionerDialog(choices, parent)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    chosen = dialog.chosen()
    dialog.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return chosen if accepted else None
