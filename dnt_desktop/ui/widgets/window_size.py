"""Top-level windows sized from the screen they open on, and remembered per screen size.

A window asks for the size it would like (*preferred*); it gets that size shrunk to the
screen's available area, or the geometry it was left at the last time it was open on a
screen of the same size (a laptop docked at a 1920x1080 monitor and undocked at
1366x768 keeps one layout for each). After the first show, when the window manager has
added its frame, the frame is pulled back inside the screen if it sticks out.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QSettings, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME_ALLOWANCE = QSize(16, 40)
"""Room kept for the title bar and borders before the window manager reports them."""


def available_area(widget: QWidget | None = None) -> QRect:
    """The available geometry (no task bar) of the screen *widget* is on, or the primary."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 768)


def screen_key(area: QRect) -> str:
    """'1366x768': the settings key of a screen's available size."""
    return f"{area.width()}x{area.height()}"


def fitted_size(preferred: QSize, area: QRect, minimum: QSize | None = None) -> QSize:
    """*preferred* shrunk to *area* less the frame allowance (never below *minimum*)."""
    width = min(preferred.width(), area.width() - FRAME_ALLOWANCE.width())
    height = min(preferred.height(), area.height() - FRAME_ALLOWANCE.height())
    if minimum is not None:
        width, height = max(width, minimum.width()), max(height, minimum.height())
    return QSize(width, height)


def keep_inside(window: QWidget, area: QRect | None = None) -> None:
    """Shrink and move *window* so that its frame lies inside the available *area*."""
    area = area or available_area(window)
    frame = window.frameGeometry()
    extra = frame.size() - window.geometry().size()  # title bar and borders
    if frame.width() > area.width() or frame.height() > area.height():
        window.resize(
            max(min(window.width(), area.width() - extra.width()), 1),
            max(min(window.height(), area.height() - extra.height()), 1),
        )
        frame = window.frameGeometry()
    left = min(max(frame.left(), area.left()), area.right() - frame.width() + 1)
    top = min(max(frame.top(), area.top()), area.bottom() - frame.height() + 1)
    if (left, top) != (frame.left(), frame.top()):
        window.move(QPoint(left, top))


def centre_on(window: QWidget, area: QRect) -> None:
    """Put *window* in the middle of *area* (its parent's window, or the screen)."""
    frame = window.frameGeometry()
    frame.moveCenter(area.center())
    window.move(frame.topLeft())


class ScreenPlacement(QObject):
    """Sizes one window for its screen, keeps it inside, and remembers it on closing.

    ``key`` names the window in the settings ('session_editor', say); the geometry is
    stored under ``KEY/geometry/WxH`` for the screen's available size.
    """

    def __init__(self, window: QWidget, key: str, preferred: QSize) -> None:
        super().__init__(window)
        self.window = window
        self.key = key
        self.preferred = preferred
        self._area = available_area(window)
        self._restored = self._restore()
        if not self._restored:
            window.resize(fitted_size(preferred, self._area))
            parent = window.parentWidget()
            centre_on(window, parent.window().frameGeometry() if parent else self._area)
            keep_inside(window, self._area)
        window.installEventFilter(self)

    @property
    def settings_key(self) -> str:
        """Where this window's geometry on this screen is remembered."""
        return f"{self.key}/geometry/{screen_key(self._area)}"

    @property
    def restored(self) -> bool:
        """True when the geometry came from an earlier use on a screen of this size."""
        return self._restored

    def _restore(self) -> bool:
        state = QSettings().value(self.settings_key)
        if state is None or not self.window.restoreGeometry(state):
            return False
        keep_inside(self.window, self._area)
        return True

    def remember(self) -> None:
        """Store the window's geometry for this screen size."""
        area = available_area(self.window)
        settings = QSettings()
        settings.setValue(f"{self.key}/geometry/{screen_key(area)}", self.window.saveGeometry())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.Show:
                # The frame is known once the window is mapped: pull it back inside then.
                QTimer.singleShot(0, self, lambda: keep_inside(self.window))
            elif kind in (QEvent.Type.Close, QEvent.Type.Hide):
                self.remember()
        return False


def place_window(window: QWidget, key: str, width: int, height: int) -> ScreenPlacement:
    """Size *window* for its screen (see ``ScreenPlacement``); returns the placement."""
    return ScreenPlacement(window, key, QSize(width, height))
