"""Locking the screen after the idle time or on request, and unlocking with the password.

An application-wide event filter restarts the idle timer on every keyboard or mouse input
to any window of the app. Locking lays a ``LockOverlay`` over every open top-level window
(the main window, session editors, dialogs; windows opened while locked too), closes
menus and tooltips, and swaps window titles that name a patient for a neutral one.
Nothing is closed or reloaded, so unsaved typing is still there after unlocking.
Lock, unlock and failed unlocks are audited by ``services.accounts``.

A colleague can take the PC over from the lock screen: ``take_over_plan`` (set by the
main window) says what would happen to the open work, the lock screen asks to confirm,
and ``take_over_confirmed`` asks the window to keep that work as drafts and sign out.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from dnt_desktop.services import accounts
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext

from .lock_overlay import LockOverlay
from .passwords import ThrottleCountdown, password_message

LOCKED_TITLE = "dnt-desktop: locked"
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
_KEY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.InputMethod,
        QEvent.Type.ContextMenu,
    }
)
_COVERED_TYPES = (Qt.WindowType.Window, Qt.WindowType.Dialog, Qt.WindowType.Sheet)


def _alive(widget: QWidget | None) -> bool:
    return widget is not None and shiboken6.isValid(widget)


class LockController(QObject):
    """Owns the idle timer and the lock screens of one signed-in session of the app.

    ``idle_ms`` is the idle time in milliseconds (tests set a short one); ``locked``
    and ``unlocked`` fire after the change.
    """

    locked = Signal()
    unlocked = Signal()
    take_over_confirmed = Signal()
    """A colleague confirmed on the lock screen: sign the locked account out."""

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._overlays: list[LockOverlay] = []
        self._titles: dict[int, tuple[QWidget, str]] = {}
        self._focus: list[QWidget] = []
        self._is_locked = False
        self._paused = False
        self.take_over_plan: Callable[[], str] = lambda: ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(lambda: self.lock("idle"))
        self._countdown = ThrottleCountdown(self._show_wait, self._wait_over, self)
        try:
            minutes = accounts.idle_lock_minutes(ctx.db)
        except StorageError:
            minutes = 10
        self.idle_ms = minutes * 60_000
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    # --- settings --------------------------------------------------------------------

    @property
    def idle_ms(self) -> int:
        """Milliseconds without input before the screen locks."""
        return self._timer.interval()

    @idle_ms.setter
    def idle_ms(self, value: int) -> None:
        self._timer.setInterval(max(1, int(value)))
        if not self._is_locked and not self._paused:
            self._timer.start()

    def set_idle_minutes(self, minutes: int) -> None:
        """Apply a changed ``idle_lock_minutes`` setting."""
        self.idle_ms = minutes * 60_000

    def pause(self, paused: bool) -> None:
        """Stop the idle timer (while a restore runs, say) or start it again."""
        self._paused = paused
        if paused:
            self._timer.stop()
        elif not self._is_locked:
            self._timer.start()

    def stop(self) -> None:
        """Stop watching (the main window is going away)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    @property
    def is_locked(self) -> bool:
        """True while the lock screen is up."""
        return self._is_locked

    @property
    def overlays(self) -> list[LockOverlay]:
        """The lock screens currently shown (one per covered window)."""
        self._overlays = [o for o in self._overlays if _alive(o)]
        return list(self._overlays)

    # --- watching input ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self._is_locked:
            if kind in _INPUT_EVENTS and not self._paused:
                self._timer.start()
            return False
        if kind in _KEY_EVENTS:
            return not self._inside_overlay(watched)
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            QTimer.singleShot(0, lambda w=watched: self._cover_late(w))
        return False

    def _inside_overlay(self, watched: QObject) -> bool:
        if not isinstance(watched, QWidget):
            # Key events reach the QWindow first and are passed to the focus widget
            # (checked then); shortcuts go to actions, which are never on the lock screen.
            return isinstance(watched, QWindow)
        return any(o is watched or o.isAncestorOf(watched) for o in self.overlays)

    # --- locking ---------------------------------------------------------------------

    def lock(self, reason: str = "on request") -> None:
        """Cover every window and audit the lock (the lock holds even if that fails)."""
        if self._is_locked:
            return
        self._is_locked = True
        self._timer.stop()
        self._close_popups()
        note = ""
        try:
            accounts.record_lock(self.ctx.db, self.ctx.practitioner_id, reason)
        except (ServiceError, StorageError) as exc:
            note = f"The lock could not be written to the audit trail: {exc}"
        for window in self._windows():
            self._cover(window)
        if note:
            for overlay in self.overlays:
                overlay.error.setText(note)
                overlay.error.setVisible(True)
        self._focus_overlay()
        self.locked.emit()

    def _windows(self) -> list[QWidget]:
        return [w for w in QApplication.topLevelWidgets() if self._coverable(w)]

    @staticmethod
    def _coverable(window: QWidget) -> bool:
        return (
            _alive(window)
            and window.isVisible()
            and window.isWindow()
            and window.windowType() in _COVERED_TYPES
            and not isinstance(window, LockOverlay)
        )

    def _cover(self, window: QWidget) -> None:
        if any(o.parentWidget() is window for o in self.overlays):
            return
        focus = window.focusWidget()
        if focus is not None:
            self._focus.append(focus)
        self._titles[id(window)] = (window, window.windowTitle())
        window.setWindowTitle(LOCKED_TITLE)
        overlay = LockOverlay(window, self.ctx.practitioner_name)
        overlay.unlock_requested.connect(lambda text, o=overlay: self.try_unlock(text, o))
        overlay.take_over_asked.connect(lambda o=overlay: o.ask_take_over(self.take_over_plan()))
        overlay.take_over_confirmed.connect(self.take_over_confirmed)
        overlay.set_waiting(self._countdown.waiting)
        self._overlays.append(overlay)
        overlay.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _cover_late(self, window: QWidget) -> None:
        if self._is_locked and self._coverable(window):
            self._cover(window)

    @staticmethod
    def _close_popups() -> None:
        QToolTip.hideText()
        for _ in range(10):
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()

    def _focus_overlay(self) -> None:
        target = QApplication.activeModalWidget() or QApplication.activeWindow()
        for overlay in self.overlays:
            if overlay.parentWidget() is target:
                overlay.password.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        overlays = self.overlays
        if overlays:
            overlays[0].window().activateWindow()
            overlays[0].password.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- unlocking -------------------------------------------------------------------

    def try_unlock(self, password: str, overlay: LockOverlay | None = None) -> bool:
        """Check the signed-in account's password; unlock when it is right."""
        if not self._is_locked:
            return True
        if self._countdown.waiting:
            return False
        try:
            accounts.unlock(self.ctx.db, self.ctx.practitioner_id, password)
        except accounts.LoginThrottledError as exc:
            self._countdown.begin(exc.wait_seconds)
            return False
        except (ServiceError, StorageError) as exc:
            text = password_message(exc)
            for each in self.overlays:
                each.show_error(text if each is overlay or overlay is None else "")
            return False
        self._unlock()
        return True

    def show_error(self, text: str) -> None:
        """Say *text* on every lock screen (e.g. why a take-over could not go on)."""
        for overlay in self.overlays:
            overlay.show_error(text)

    def end_for_sign_out(self) -> None:
        """Take the lock screens away because the account is signed out (the windows close
        next; nothing of the account's stays on screen to unlock)."""
        self._is_locked = False
        self._timer.stop()
        for overlay in self.overlays:
            overlay.hide()
            overlay.deleteLater()
        self._overlays = []
        self._titles = {}
        self._focus = []

    def _unlock(self) -> None:
        self._is_locked = False
        for overlay in self.overlays:
            overlay.hide()
            overlay.deleteLater()
        self._overlays = []
        for window, title in self._titles.values():
            if _alive(window) and window.windowTitle() == LOCKED_TITLE:
                window.setWindowTitle(title)
        self._titles = {}
        for widget in self._focus:
            if _alive(widget):
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self._focus = []
        if not self._paused:
            self._timer.start()
        self.unlocked.emit()

    def _show_wait(self, text: str) -> None:
        for overlay in self.overlays:
            overlay.error.setText(text)
            overlay.error.setVisible(bool(text))
            overlay.set_waiting(bool(text))

    def _wait_over(self) -> None:
        for overlay in self.overlays:
            overlay.set_waiting(False)
