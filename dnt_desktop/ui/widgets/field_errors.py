"""Validation messages shown right under the field they are about."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:  # the sign-in dialog uses these widgets before the models are loaded
    from dnt_desktop.services.rules import Problem

from .labels import InfoLabel
from .window_size import FRAME_ALLOWANCE, available_area, keep_inside


def error_label(parent: QWidget | None = None) -> QLabel:
    """A hidden, word-wrapped red label for one field's message (read out in full)."""
    label = InfoLabel(parent=parent)
    label.setProperty("role", "error")
    label.setWordWrap(True)
    label.setVisible(False)
    return label


def with_error(editor: QWidget, label: QLabel) -> QWidget:
    """*editor* above its error *label*, as one widget for a form row."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor)
    layout.addWidget(label)
    box.setFocusProxy(editor)  # a form label's mnemonic focuses the editor…
    box.setFocusPolicy(editor.focusPolicy())  # …which it only does for a focusable buddy
    return box


def grow_dialog_to_fit(widget: QWidget) -> None:
    """Make *widget*'s dialog tall enough for messages that just appeared (never shrinks,
    never beyond the screen)."""
    window = widget.window()
    layout = window.layout()
    if not isinstance(window, QDialog) or layout is None:
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(window.width())
    else:
        needed = layout.totalSizeHint().height()
    room = available_area(window).height() - FRAME_ALLOWANCE.height()
    needed = min(needed, max(room, window.height()))
    if needed > window.height():
        window.resize(window.width(), needed)
        keep_inside(window)


def _change_signals(editor: QWidget) -> list:
    """The signals telling that the user changed *editor* (or the fields inside it)."""
    if isinstance(editor, QLineEdit | QPlainTextEdit):
        return [editor.textChanged]
    if isinstance(editor, QComboBox):
        return [editor.currentIndexChanged]
    if isinstance(editor, QAbstractButton):
        return [editor.toggled]
    signals = []
    for child in editor.findChildren(QWidget):
        if isinstance(child, QLineEdit | QPlainTextEdit | QComboBox | QAbstractButton):
            signals += _change_signals(child)
    return signals


def _set_invalid(editor: QWidget, invalid: bool) -> None:
    if bool(editor.property("invalid")) == invalid:
        return
    editor.setProperty("invalid", invalid)
    editor.style().unpolish(editor)
    editor.style().polish(editor)


class FieldErrors:
    """Maps service field names to the editor and error label of a form.

    ``show(problems)`` puts each message under its field (messages for unknown fields go to
    the *general* label), marks the editor invalid and focuses the first one.
    """

    def __init__(self, general: QLabel | None = None) -> None:
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self.general = general

    def add(self, name: str, editor: QWidget) -> QWidget:
        """Register *editor* for field *name*; returns the editor with its error label.

        The message goes as soon as the field is changed: it never stays beside a value
        that may already be right (the next save checks again).
        """
        label = error_label()
        label.setAccessibleName(f"{name.replace('_', ' ')} problem")
        self._fields[name] = (editor, label)
        for signal in _change_signals(editor):
            signal.connect(lambda *_args, field=name: self.clear_field(field))
        return with_error(editor, label)

    def clear_field(self, name: str) -> None:
        """Hide the message of field *name* (it was changed)."""
        editor, label = self._fields[name]
        if not label.isHidden() or label.text():
            label.clear()
            label.setVisible(False)
            _set_invalid(editor, False)

    def label(self, name: str) -> QLabel:
        """The error label of field *name*."""
        return self._fields[name][1]

    def message(self, name: str) -> str:
        """The message shown for *name* ('' when none)."""
        label = self._fields[name][1]
        return label.text() if not label.isHidden() else ""

    def clear(self) -> None:
        """Hide every message."""
        for editor, label in self._fields.values():
            label.clear()
            label.setVisible(False)
            _set_invalid(editor, False)
        if self.general is not None:
            self.general.clear()
            self.general.setVisible(False)

    def show(self, problems: Iterable[Problem]) -> None:
        """Show *problems* next to their fields (replacing earlier messages)."""
        self.clear()
        first: QWidget | None = None
        general: list[str] = []
        for problem in problems:
            entry = self._fields.get(problem.field)
            if entry is None:
                general.append(problem.message)
                continue
            editor, label = entry
            text = f"{label.text()}\n{problem.message}" if label.text() else problem.message
            label.setText(text)
            label.setVisible(True)
            _set_invalid(editor, True)
            first = first or editor
        if general and self.general is not None:
            self.general.setText("\n".join(general))
            self.general.setVisible(True)
        if first is not None:
            grow_dialog_to_fit(first)
            first.setFocus()
