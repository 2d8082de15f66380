"""Text fields that hold no more than their field's limit, and say so when input is cut.

The limits are the services' own (``services.field_limits``): a line edit gets its
``maxLength`` and shows a note by the field when typing or pasting goes past it; a
multi-line box refuses what goes past its characters or lines, says how much was not
added, and counts near its limit ("1,850 / 2,000 characters"). A value stored before the
limits existed is loaded whole, never cut behind the user's back: the field then shows
that it is too long and the service says so again when saving.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import field_limits
from dnt_desktop.services.field_limits import TextLimit, line_count, text_length

COUNTER_FROM = 0.8
"""The counter appears once a box holds this share of its limit."""


def cut_message(limit: TextLimit, dropped: int, lines: bool = False) -> str:
    """'At most 100 characters: 99,900 characters were not added.'"""
    left_out = "1 character was" if dropped == 1 else f"{dropped:,} characters were"
    if lines:
        return f"At most {limit.max_lines} lines: {left_out} not added."
    return f"At most {limit.max_length:,} characters: {left_out} not added."


def show_notice(widget: QWidget, text: str) -> None:
    """Show *text* in a tooltip under *widget* (and keep it as the widget's last notice)."""
    widget.setProperty("limitNotice", text)
    QToolTip.showText(widget.mapToGlobal(QPoint(0, widget.height())), text, widget)


class LimitedLineEdit(QLineEdit):
    """A one-line field of *record*.*field*: at most its limit, with a note when cut."""

    def __init__(self, record: str, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = field_limits.limit(record, field)
        self.setMaxLength(self.limit.max_length)
        self.inputRejected.connect(self._rejected)
        self.textEdited.connect(self._edited)

    def setText(self, text: str | None) -> None:
        """Show *text* whole, even when it is longer than the limit (stored before it)."""
        length = text_length(text or "")
        self.setMaxLength(max(self.limit.max_length, length))
        super().setText(text or "")

    def is_too_long(self) -> bool:
        """True while the text is longer than the limit (a value stored before it)."""
        return text_length(self.text()) > self.limit.max_length

    def _edited(self, _text: str) -> None:
        # A stored text over the limit may only get shorter, down to the limit.
        self.setMaxLength(max(self.limit.max_length, text_length(self.text())))

    def _rejected(self) -> None:
        if self.is_too_long():
            return
        show_notice(self, f"At most {self.limit.max_length:,} characters: the rest was not added.")


class LimitedPlainTextEdit(QPlainTextEdit):
    """A multi-line field of *record*.*field* with its counter (place ``counter`` under it).

    Typing or pasting past the limit adds only what fits, and the counter says how much
    was left out; deleting is always possible, also in a text stored over the limit.
    """

    def __init__(self, record: str, field: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit = field_limits.limit(record, field)
        self.counter = QLabel()
        self.counter.setObjectName("limitCounter")
        self.counter.setProperty("role", "hint")
        self.counter.setVisible(False)
        self.counter.setWordWrap(True)
        self._notice = ""
        self.textChanged.connect(self._changed)

    def set_field(self, record: str, field: str) -> None:
        """Hold *record*.*field* from now on (one box editing several fields in turn)."""
        self.limit = field_limits.limit(record, field)
        self._update_counter()

    def setPlainText(self, text: str | None) -> None:
        """Show *text* whole (a value stored before the limit is not cut)."""
        super().setPlainText(text or "")
        self._notice = ""
        self._update_counter()

    def notice(self) -> str:
        """The counter's text ('' while it is hidden)."""
        return self.counter.text() if not self.counter.isHidden() else ""

    # --- what fits -------------------------------------------------------------------

    def fitting(self, inserted: str) -> tuple[str, str]:
        """The part of *inserted* that fits in place of the selection, and a note of what
        was left out ('' when everything fits)."""
        inserted = inserted.replace("\r\n", "\n").replace("\r", "\n")
        selected = self.textCursor().selectedText().replace("\u2029", "\n")
        text = self.toPlainText()
        room = self.limit.max_length - text_length(text) + text_length(selected)
        lines_left = (
            None
            if self.limit.max_lines is None
            else self.limit.max_lines - line_count(text) + selected.count("\n")
        )
        keep, used, breaks = 0, 0, 0
        for char in inserted:
            width = 2 if ord(char) > 0xFFFF else 1
            if used + width > room:
                break
            if char == "\n" and lines_left is not None and breaks + 1 > lines_left:
                break
            used, breaks, keep = used + width, breaks + (char == "\n"), keep + 1
        dropped = len(inserted) - keep
        if dropped == 0:
            return inserted, ""
        by_lines = used + (2 if ord(inserted[keep]) > 0xFFFF else 1) <= room
        return inserted[:keep], cut_message(self.limit, dropped, lines=by_lines)

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Paste or drop only what fits; say what was left out."""
        if not source.hasText():
            return
        kept, note = self.fitting(source.text())
        if kept:
            self.textCursor().insertText(kept)
            self.ensureCursorVisible()
        self._note(note)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        typed = event.text()
        if typed and (typed.isprintable() or typed in "\r\n") and not self.isReadOnly():
            kept, note = self.fitting(typed)
            if note and not kept:
                self._note(note)
                event.accept()
                return
        super().keyPressEvent(event)

    def _note(self, note: str) -> None:
        if note:
            self._notice = note
            self._update_counter()

    def _changed(self) -> None:
        self._notice = ""
        self._update_counter()

    def _update_counter(self) -> None:
        text = self.toPlainText()
        length, lines = text_length(text), line_count(text)
        most, most_lines = self.limit.max_length, self.limit.max_lines
        parts = []
        if length >= most * COUNTER_FROM or self._notice:
            parts.append(f"{length:,} / {most:,} characters")
        if most_lines is not None and lines >= most_lines * COUNTER_FROM:
            parts.append(f"{lines} / {most_lines} lines")
        over = length > most or (most_lines is not None and lines > most_lines)
        if over:
            parts.append("too long: shorten it")
        if self._notice:
            parts.append(self._notice)
        self.counter.setText(" · ".join(parts))
        self.counter.setProperty("role", "error" if over or self._notice else "hint")
        self.counter.style().unpolish(self.counter)
        self.counter.style().polish(self.counter)
        self.counter.setVisible(bool(parts))


def with_counter(box: LimitedPlainTextEdit, row: QWidget | None = None) -> QWidget:
    """*box* with its counter under it, as one widget for a form row.

    *row* is a widget that already holds *box* in a vertical layout (e.g. what
    ``FieldErrors.add`` returns): the counter goes right under the box inside it.
    """
    if row is None:
        row = QWidget()
        layout = QVBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(box)
        row.setFocusProxy(box)
    layout = row.layout()
    assert isinstance(layout, QVBoxLayout), "the row must lay the box out vertically"
    layout.insertWidget(layout.indexOf(box) + 1, box.counter)
    return row
