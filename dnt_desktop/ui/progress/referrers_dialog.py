"""The clinic's list of referring doctors and practices: add and change them."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    ReferrerView,
    referrers,
    save_referrer,
)
from dnt_desktop.ui.aftercare.pdf_pages import fit_to_screen
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded

TITLE = "Referrers"


class ReferrersDialog(QDialog):
    """Referrers on the left, the chosen one's details on the right; Save keeps them."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(TITLE)
        self.current: int | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Referrers")
        self.new_button = QPushButton("&New referrer")
        self.name = QLineEdit()
        self.practice = QLineEdit()
        self.address = QPlainTextEdit()
        self.address.setMaximumHeight(80)
        self.email = QLineEdit()
        self.phone = QLineEdit()
        self.active = QCheckBox("&Active (offered on patients' details)")
        self.active.setChecked(True)
        for widget, name, limit in (
            (self.name, "Name", 200),
            (self.practice, "Practice", 200),
            (self.email, "E-mail", 200),
            (self.phone, "Phone", 50),
        ):
            widget.setAccessibleName(name)
            widget.setMaxLength(limit)
        self.address.setAccessibleName("Address")
        self.address.setTabChangesFocus(True)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Practice:", self.practice)
        form.addRow("A&ddress:", self.address)
        form.addRow("&E-mail:", self.email)
        form.addRow("P&hone:", self.phone)
        form.addRow("", self.active)
        self.save_button = QPushButton("&Save referrer")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        left.addWidget(self.new_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        right.addStretch(1)
        row = QHBoxLayout()
        row.addLayout(left, 2)
        row.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(close)
        self.list.currentItemChanged.connect(self._show)
        self.new_button.clicked.connect(self.new)
        self.save_button.clicked.connect(self.save)
        self.load()
        fit_to_screen(self, 760, 420)

    def load(self, select: int | None = None) -> None:
        """Fill the list again (inactive ones too, marked)."""
        found = guarded(self, TITLE, lambda: referrers(self.ctx.db, include_inactive=True)) or []
        self.list.clear()
        for referrer in found:
            text = referrer.label + ("" if referrer.active else " (inactive)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, referrer)
            self.list.addItem(item)
            if referrer.referrer_id == select:
                self.list.setCurrentItem(item)

    def _show(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        referrer: ReferrerView = item.data(Qt.ItemDataRole.UserRole)
        self.current = referrer.referrer_id
        self.name.setText(referrer.name)
        self.practice.setText(referrer.practice)
        self.address.setPlainText(referrer.address)
        self.email.setText(referrer.email)
        self.phone.setText(referrer.phone)
        self.active.setChecked(referrer.active)

    def new(self) -> None:
        """Empty the form for a new referrer."""
        self.current = None
        self.list.clearSelection()
        for widget in (self.name, self.practice, self.email, self.phone):
            widget.clear()
        self.address.clear()
        self.active.setChecked(True)
        self.name.setFocus()

    def save(self) -> int | None:
        """Add or change the referrer in the form."""
        form = ReferrerForm(
            self.name.text(),
            self.practice.text(),
            self.address.toPlainText(),
            self.email.text(),
            self.phone.text(),
            self.active.isChecked(),
        )
        result = guarded(
            self,
            TITLE,
            lambda: save_referrer(self.ctx.db, self.ctx.practitioner_id, form, self.current),
        )
        if result is None:
            return None
        self.current, changes = result
        self.ctx.hub.publish(changes)
        self.load(select=self.current)
        return self.current
