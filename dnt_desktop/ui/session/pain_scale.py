"""A 0-10 pain score as a row of buttons, optional ('not recorded' until one is picked).

Mouse: click a number; click it again to clear. Keyboard (the row takes focus as one
control): type 0-9 (1 then 0 quickly for 10), Left/Right to step, Delete to clear.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QButtonGroup, QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

_BUTTON_STYLE = """
QToolButton {{ border: 1px solid #c9d1db; border-radius: 3px; background: #ffffff;
    min-width: {size}px; max-width: {size}px; min-height: {size}px; max-height: {size}px;
    padding: 0; }}
QToolButton:hover {{ border-color: #1f5f99; }}
QToolButton:checked {{ background: #1f5f99; color: #ffffff; border-color: #1f5f99;
    font-weight: bold; }}
QToolButton:disabled {{ color: #9aa4b0; }}
QToolButton:checked:disabled {{ background: #7f9bb5; color: #ffffff; }}
"""
_FOCUS_STYLE = "#pain_scale {{ border: 1px solid {colour}; border-radius: 4px; }}"
_TEN_WINDOW_MS = 900


class PainScale(QFrame):
    """Pick a pain score from 0 to 10, or leave it not recorded."""

    changed = Signal()

    def __init__(self, name: str, parent: QWidget | None = None, size: int = 22) -> None:
        super().__init__(parent)
        self._name = name
        self._score: int | None = None
        self._read_only = False
        self._last_one = QElapsedTimer()
        self.setObjectName("pain_scale")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(_FOCUS_STYLE.format(colour="transparent"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)
        self.buttons: list[QToolButton] = []
        for value in range(11):
            button = QToolButton()
            button.setText(str(value))
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setStyleSheet(_BUTTON_STYLE.format(size=size))
            button.setAccessibleName(f"{name}: {value}")
            self.group.addButton(button, value)
            self.buttons.append(button)
            layout.addWidget(button)
        self.state_label = QLabel()
        self.state_label.setProperty("role", "hint")
        self.state_label.setMinimumWidth(82)
        layout.addSpacing(4)
        layout.addWidget(self.state_label)
        self.group.idClicked.connect(self._clicked)
        self._show()

    def score(self) -> int | None:
        """The score, or None when not recorded."""
        return self._score

    def set_score(self, score: int | None) -> None:
        """Show *score* (None: not recorded)."""
        if score is not None and not 0 <= score <= 10:
            raise ValueError(f"Pain score {score} is outside 0-10")
        if score != self._score:
            self._score = score
            self._show()
            self.changed.emit()

    def set_read_only(self, read_only: bool) -> None:
        """Lock the score."""
        self._read_only = read_only
        for button in self.buttons:
            button.setEnabled(not read_only)

    def _clicked(self, value: int) -> None:
        if self._read_only:
            self._show()
            return
        self.set_score(None if value == self._score else value)
        self._show()

    def _show(self) -> None:
        for value, button in enumerate(self.buttons):
            button.setChecked(value == self._score)
        text = "not recorded" if self._score is None else f"{self._score} of 10"
        self.state_label.setText(text)
        self.setAccessibleName(f"{self._name}: {text}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._read_only:
            super().keyPressEvent(event)
            return
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            digit = key - Qt.Key.Key_0
            recent_one = self._score == 1 and self._last_one.isValid()
            if digit == 0 and recent_one and self._last_one.elapsed() < _TEN_WINDOW_MS:
                self.set_score(10)
            else:
                self.set_score(digit)
            if digit == 1:
                self._last_one.start()
            else:
                self._last_one.invalidate()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.set_score(None)
        elif key in (Qt.Key.Key_Right, Qt.Key.Key_Up):
            self.set_score(0 if self._score is None else min(self._score + 1, 10))
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Down):
            if self._score is not None:
                self.set_score(None if self._score == 0 else self._score - 1)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet(_FOCUS_STYLE.format(colour="#1f5f99"))
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.setStyleSheet(_FOCUS_STYLE.format(colour="transparent"))
        super().focusOutEvent(event)
