"""Floor probe: a bare PySide6 process that shows an empty QMainWindow.

Prints ``READY <perf_counter>`` once the window has been painted and exposed, then
``PEAK_RSS_KB <kB>`` (the process's high-water mark) and quits. Run as a script:
``python benchmarks/probes/bare_window.py [--import-orm]``; ``--import-orm`` first
imports the SQLAlchemy ORM, which any start-up that reads the database pays for.
"""

from __future__ import annotations

import sys

from probe_support import peak_rss_kb, say
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

WINDOW_SIZE = (1280, 720)
"""The main window's default size (``ui.main_window.DEFAULT_SIZE``)."""


class FirstPaint(QObject):
    """Reports READY after the window's first paint, then quits."""

    def __init__(self, app: QApplication, window: QMainWindow) -> None:
        super().__init__()
        self.app = app
        self.window = window
        self.painted = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.painted and event.type() == QEvent.Type.Paint and watched is self.window:
            self.painted = True
            QTimer.singleShot(0, self.finish)
        return False

    def finish(self) -> None:
        handle = self.window.windowHandle()
        if handle is None or not handle.isExposed():
            self.painted = False  # not on screen yet: wait for the next paint
            return
        say("READY", repr(_now()))
        say("PEAK_RSS_KB", str(peak_rss_kb()))
        self.window.close()
        self.app.quit()


def _now() -> float:
    import time

    return time.perf_counter()


def main() -> int:
    """Show the window; the event loop ends after the first paint."""
    if "--import-orm" in sys.argv[1:]:
        import sqlalchemy.orm  # noqa: F401
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle("bare window")
    window.resize(*WINDOW_SIZE)
    hook = FirstPaint(app, window)
    window.installEventFilter(hook)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
