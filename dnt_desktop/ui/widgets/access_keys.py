"""Access keys (Alt+letter) for the buttons Qt labels itself: Save, Discard, Cancel…

Message boxes and dialog button boxes get their standard buttons' texts from Qt, without
an underlined letter, so "Discard" in "Save changes?" could only be reached with Tab or
the mouse. When a dialog appears, each such button gets the first letter of its text
that no other control of the dialog uses yet.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QWidget,
)

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str:
    """The access key of *text* ('' when it has none), lower case."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else ""


def with_access_key(text: str, taken: set[str]) -> str:
    """*text* with '&' before its first letter not in *taken* (unchanged when none is free)."""
    if "&" in text.replace("&&", ""):
        return text
    for index, char in enumerate(text):
        if char.isalnum() and char.lower() not in taken:
            taken.add(char.lower())
            return text[:index] + "&" + text[index:]
    return text


def _buttons(dialog: QWidget) -> list[QAbstractButton]:
    if isinstance(dialog, QMessageBox):
        return list(dialog.buttons())
    buttons: list[QAbstractButton] = []
    for box in dialog.findChildren(QDialogButtonBox):
        buttons += box.buttons()
    return buttons


def give_access_keys(dialog: QWidget) -> None:
    """Give each of *dialog*'s standard buttons a free access key."""
    taken = {
        mnemonic(widget.text())
        for widget in dialog.findChildren(QWidget)
        if isinstance(widget, QLabel | QAbstractButton)
    }
    taken.discard("")
    for button in _buttons(dialog):
        button.setText(with_access_key(button.text(), taken))


class AccessKeys(QObject):
    """Installed once on the application: gives every dialog's buttons access keys."""

    _installed: AccessKeys | None = None

    @classmethod
    def install(cls) -> None:
        """Watch every dialog that appears (once per application)."""
        app = QApplication.instance()
        if cls._installed is None and app is not None:
            cls._installed = AccessKeys(app)
            app.installEventFilter(cls._installed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(watched, QDialog):
            give_access_keys(watched)
        return False
