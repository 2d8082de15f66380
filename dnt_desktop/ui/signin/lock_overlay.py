"""The lock screen laid over one window: an opaque cover with who is signed in and a
password field. It hides everything under it and keeps every key to itself.

A colleague who needs the PC chooses "Sign out for a colleague…": the card says what will
happen to the signed-in person's open work (sessions kept as drafts, what cannot be
kept), without naming any patient, and asks to confirm before the controller acts."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.ui import style
from dnt_desktop.ui.widgets.labels import InfoLabel

from .passwords import PasswordEdit

COVER_COLOUR = "#263238"
_CARD_STYLE = (
    f"#lock_card {{ background: {style.SURFACE}; border: 1px solid {style.BORDER};"
    " border-radius: 8px; }"
)


class LockOverlay(QWidget):
    """Covers all of *window* (menus, tool bars and status bar included).

    ``unlock_requested`` carries the typed password; the controller answers with
    ``show_error`` or removes the overlay.
    """

    unlock_requested = Signal(str)
    take_over_asked = Signal()
    """A colleague wants the PC: the controller answers with ``ask_take_over(text)``."""
    take_over_confirmed = Signal()

    def __init__(self, window: QWidget, user_name: str) -> None:
        super().__init__(window)
        self.setObjectName("lock_overlay")
        self.setAccessibleName("Screen locked")
        self.setAttribute(Qt.WidgetAttribute.WA_NoMousePropagation, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._compact = False

        self.card = QFrame()
        self.card.setObjectName("lock_card")
        self.card.setStyleSheet(_CARD_STYLE)
        self.card.setMaximumWidth(420)
        self.title = QLabel("dnt-desktop is locked")
        self.title.setProperty("role", "heading")
        self.who = QLabel(f"Signed in: <b>{_escape(user_name)}</b>")
        self.who.setObjectName("lock_user")
        self.hint = QLabel("Patient records are hidden. Enter your password to go on.")
        self.hint.setProperty("role", "hint")
        self.hint.setWordWrap(True)
        self.password = PasswordEdit("Password to unlock")
        self.password.setObjectName("unlock_password")
        self.password.setMinimumWidth(60)  # fits a small message box too
        self.password.setPlaceholderText("Password")
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setObjectName("unlock_button")
        self.unlock_button.setProperty("primary", True)
        self.take_over_button = QPushButton("Sign out for a &colleague…")
        self.take_over_button.setObjectName("take_over_button")
        self.take_over_button.setToolTip(
            f"Sign {user_name} out so that another practitioner can sign in; "
            f"{user_name}'s open sessions are kept as drafts"
        )
        self.take_over_text = InfoLabel(name="Signing out for a colleague")
        self.take_over_text.setObjectName("take_over_text")
        self.take_over_text.setWordWrap(True)
        self.confirm_take_over = QPushButton(f"&Sign out {user_name}")
        self.confirm_take_over.setObjectName("confirm_take_over")
        self.confirm_take_over.setProperty("primary", True)
        self.back_button = QPushButton("&Back")
        self.back_button.setObjectName("take_over_back")
        self.error = InfoLabel(name="Why unlocking failed")
        self.error.setObjectName("unlock_message")
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)

        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        card_layout = QVBoxLayout(self.card)
        card_layout.setContentsMargins(20, 16, 20, 16)
        card_layout.setSpacing(8)
        for widget in (self.title, self.who, self.hint):
            card_layout.addWidget(widget)
        card_layout.addLayout(row)
        card_layout.addWidget(self.error)
        card_layout.addWidget(self.take_over_button)
        card_layout.addWidget(self.take_over_text)
        confirm_row = QHBoxLayout()
        confirm_row.addWidget(self.back_button)
        confirm_row.addStretch(1)
        confirm_row.addWidget(self.confirm_take_over)
        card_layout.addLayout(confirm_row)
        self._show_take_over(False)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(self.card, 4)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(1)

        self.password.submitted.connect(self._submit)
        self.unlock_button.clicked.connect(self._submit)
        self.take_over_button.clicked.connect(self.take_over_asked)
        self.back_button.clicked.connect(lambda: self._show_take_over(False))
        self.confirm_take_over.clicked.connect(self.take_over_confirmed)
        self.setFocusProxy(self.password)
        window.installEventFilter(self)
        self.cover()

    def cover(self) -> None:
        """Fill the whole window and sit on top of everything in it."""
        window = self.parentWidget()
        if window is None:
            return
        self.setGeometry(0, 0, window.width(), window.height())
        compact = window.height() < 260 or window.width() < 420
        self._compact = compact
        self.hint.setVisible(not compact)
        self.take_over_button.setVisible(not compact and not self.asking_take_over)
        self.title.setVisible(window.height() >= 170 and window.width() >= 300)
        margin = 8 if compact else 20
        self.card.layout().setContentsMargins(margin, margin, margin, margin)
        self.layout().setContentsMargins(*(4 if compact else 8,) * 4)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.Show,
            QEvent.Type.ChildAdded,
        ):
            self.cover()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(COVER_COLOUR))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()  # nothing typed on the lock screen reaches the window under it

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        event.accept()

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab moves between the card's controls only, never behind the cover."""
        order = [
            widget
            for widget in (
                self.password,
                self.unlock_button,
                self.take_over_button,
                self.back_button,
                self.confirm_take_over,
            )
            if widget.isVisible() and widget.isEnabled()
        ] or [self.password]
        current = self.focusWidget()
        index = order.index(current) if current in order else -1
        target = order[(index + (1 if next else -1)) % len(order)]
        target.setFocus(Qt.FocusReason.TabFocusReason)
        return True

    def _submit(self) -> None:
        self.unlock_requested.emit(self.password.text())

    def show_error(self, text: str) -> None:
        """Show why unlocking failed ('' hides it) and empty the password."""
        self._show_take_over(False)
        self.password.clear()
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def ask_take_over(self, text: str) -> None:
        """Say what signing out would do (*text*) and wait for Sign out or Back."""
        self.take_over_text.setText(text)
        self._show_take_over(True)
        self.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_take_over(self, asking: bool) -> None:
        for widget in (self.take_over_text, self.confirm_take_over, self.back_button):
            widget.setVisible(asking)
        for widget in (self.password, self.unlock_button):
            widget.setVisible(not asking)
        self.hint.setVisible(not asking and not self._compact)
        self.take_over_button.setVisible(not asking and not self._compact)
        if not asking:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def asking_take_over(self) -> bool:
        """True while the card asks to confirm signing out for a colleague."""
        return self.confirm_take_over.isVisibleTo(self)

    def set_waiting(self, waiting: bool) -> None:
        """Disable the button while a throttled account must wait."""
        self.unlock_button.setEnabled(not waiting)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
