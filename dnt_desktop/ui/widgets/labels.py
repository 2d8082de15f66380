"""Labels that a screen reader reads in full (their name and their text), and scrolled forms.

A QLabel given an accessible name ("Why signing in failed") exposes only that name, so
a screen reader never reaches the message itself. ``InfoLabel`` keeps its text in the
accessible description as well (plain text, whatever the label shows), and a label
without a name simply exposes its text as its name, as Qt does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocumentFragment
from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QToolButton, QWidget


def plain_text(text: str) -> str:
    """*text* without markup: what a label shows, as a screen reader should read it."""
    if "<" in text and ">" in text:
        return QTextDocumentFragment.fromHtml(text).toPlainText().strip()
    return text.replace("&&", "&").strip()


class InfoLabel(QLabel):
    """A label with an accessible *name* whose text is also its accessible description."""

    def __init__(self, text: str = "", name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if name:
            self.setAccessibleName(name)
        self.setText(text)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setAccessibleDescription(plain_text(text))


def describe_label(label: QLabel) -> None:
    """Copy *label*'s current text into its accessible description (a plain QLabel)."""
    label.setAccessibleDescription(plain_text(label.text()))


def scrolled(page: QWidget, name: str) -> QScrollArea:
    """*page* in a frameless scroll area that is no focus stop of its own (the fields in
    it take the focus, and scroll it into view): a form that fits a short window."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setAccessibleName(name)
    area.setWidget(page)
    return area


def name_clear_button(edit: QLineEdit, name: str) -> None:
    """Give the clear button (x) of *edit* an accessible name (Qt leaves it unnamed)."""
    edit.setClearButtonEnabled(True)
    for action in edit.actions():
        if action.objectName() == "_q_qlineeditclearaction":
            action.setText(name)
            action.setToolTip(name)
    for button in edit.findChildren(QToolButton):
        button.setAccessibleName(name)
        button.setToolTip(name)
