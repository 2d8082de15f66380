"""Rows of buttons under (or over) a list or a form."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHBoxLayout, QWidget


def button_row(left: Iterable[QWidget], right: Iterable[QWidget] = ()) -> QHBoxLayout:
    """The *left* buttons, the spare width, then the *right* ones (Close at the far end)."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def message_row(message: QWidget, buttons: Iterable[QWidget]) -> QHBoxLayout:
    """A *message* on the left, given half the spare width to wrap in, then the *buttons*."""
    row = QHBoxLayout()
    row.addWidget(message, 1)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row
