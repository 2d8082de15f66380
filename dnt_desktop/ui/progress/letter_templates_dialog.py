"""Clinic > Letter templates…: administrators edit the three letters' templates."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.progress.letters import (
    LETTER_KINDS,
    PLACEHOLDERS,
    letter_template,
    save_letter_template,
)
from dnt_desktop.ui.aftercare.pdf_pages import fit_to_screen
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.combo_box import WideComboBox

TITLE = "Letter templates"


class LetterTemplatesDialog(QDialog):
    """Choose a letter, edit its text (placeholders listed), Save or Restore the default."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(TITLE)
        self.kind = WideComboBox()
        self.kind.setAccessibleName("Letter")
        for kind in LETTER_KINDS:
            self.kind.addItem(kind.title, kind.key)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Template text")
        self.text.setTabChangesFocus(True)
        names = QLabel(
            "Placeholders: "
            + ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)
            + ". **bold** prints bold; a blank line starts a paragraph."
        )
        names.setToolTip("\n".join(f"{{{name}}}: {what}" for name, what in PLACEHOLDERS.items()))
        names.setWordWrap(True)
        names.setProperty("role", "hint")
        self.save_button = QPushButton("&Save")
        self.default_button = QPushButton("&Restore the default")
        close = QPushButton("&Close")
        form = QFormLayout()
        form.addRow("&Letter:", self.kind)
        buttons = QHBoxLayout()
        buttons.addWidget(self.default_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.text, 1)
        layout.addWidget(names)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self.load)
        self.save_button.clicked.connect(lambda: self.save())
        self.default_button.clicked.connect(self.restore_default)
        close.clicked.connect(self.reject)
        editable = ctx.is_admin
        self.text.setReadOnly(not editable)
        self.save_button.setEnabled(editable)
        self.default_button.setEnabled(editable)
        self.load()
        fit_to_screen(self, 820, 600)

    def load(self) -> None:
        """Show the chosen letter's template."""
        body = guarded(self, TITLE, lambda: letter_template(self.ctx.db, self.kind.currentData()))
        if body is not None:
            self.text.setPlainText(body)

    def save(self, body: str | None = None) -> bool:
        """Keep the text (or *body*) as the clinic's template of this letter."""
        text = self.text.toPlainText() if body is None else body
        changes = guarded(
            self,
            TITLE,
            lambda: save_letter_template(
                self.ctx.db, self.ctx.practitioner_id, self.kind.currentData(), text
            ),
        )
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        return True

    def restore_default(self) -> None:
        """Back to the shipped text, after asking."""
        answer = QMessageBox.question(
            self,
            TITLE,
            f"Replace the clinic's {self.kind.currentText().lower()} template by "
            "the shipped default?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        changes = guarded(
            self,
            TITLE,
            lambda: save_letter_template(
                self.ctx.db, self.ctx.practitioner_id, self.kind.currentData(), None
            ),
        )
        if changes is not None:
            self.ctx.hub.publish(changes)
            self.load()
