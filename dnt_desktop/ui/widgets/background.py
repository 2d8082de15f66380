"""Running slow database work (checks, backups, restores) off the GUI thread.

The work is a plain Python function (services and storage are thread-safe per session);
its result or exception comes back to the GUI thread through a queued signal. A small
"Backing up…" window shows progress when the user has to wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QProgressBar, QVBoxLayout, QWidget

from dnt_desktop.ui import style

T = TypeVar("T")
_running: set[BackgroundTask] = set()


class BackgroundTask(QObject):
    """One function run on the thread pool; ``succeeded(result)`` or ``failed(error)``."""

    succeeded = Signal(object)
    failed = Signal(object)
    done = Signal()

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.started = False
        self.finished = False

    def start(self, pool: QThreadPool | None = None) -> BackgroundTask:
        """Queue the work (once); the task keeps itself alive until it has reported."""
        if self.started:
            return self
        self.started = True
        _running.add(self)
        self._runner = _Runner(self)
        self._runner.setAutoDelete(False)  # kept (with its relay) until the task reported
        (pool or QThreadPool.globalInstance()).start(self._runner)
        return self

    def _report(self, result: Any, error: BaseException | None) -> None:
        self.result, self.error, self.finished = result, error, True
        _running.discard(self)
        if error is None:
            self.succeeded.emit(result)
        else:
            self.failed.emit(error)
        self.done.emit()


class _Relay(QObject):
    """Carries the outcome from the worker thread to the GUI thread (queued)."""

    outcome = Signal(object, object)


class _Runner(QRunnable):
    def __init__(self, task: BackgroundTask) -> None:
        super().__init__()
        self.task = task
        self.relay = _Relay()
        self.relay.outcome.connect(task._report, Qt.ConnectionType.QueuedConnection)

    def run(self) -> None:
        try:
            result = self.task._work()
        except BaseException as exc:  # reported to the GUI thread, never swallowed
            self.relay.outcome.emit(None, exc)
        else:
            self.relay.outcome.emit(result, None)


def run_in_background(
    work: Callable[[], Any],
    on_success: Callable[[Any], None] | None = None,
    on_failure: Callable[[BaseException], None] | None = None,
) -> BackgroundTask:
    """Start *work* on the thread pool; the callbacks run on the GUI thread."""
    task = BackgroundTask(work)
    if on_success is not None:
        task.succeeded.connect(on_success)
    if on_failure is not None:
        task.failed.connect(on_failure)
    return task.start()


class BusyWindow(QFrame):
    """A small window with a message and a moving bar (not a dialog: nothing to answer)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlags(
            Qt.WindowType.Dialog | Qt.WindowType.CustomizeWindowHint | Qt.WindowType.WindowTitleHint
        )
        self.setWindowTitle("dnt-desktop")
        self.setObjectName("busy_window")
        self.setStyleSheet(f"#busy_window {{ background: {style.SURFACE}; }}")
        self.label = QLabel(text)
        self.label.setObjectName("busy_text")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.setMinimumWidth(380)

    def show_centred(self) -> None:
        """Show over its parent (or the screen) and paint at once."""
        self.adjustSize()
        anchor = self.parentWidget()
        screen = (anchor.screen() if anchor else None) or QApplication.primaryScreen()
        area = anchor.frameGeometry() if anchor is not None else screen.availableGeometry()
        frame = self.frameGeometry()
        frame.moveCenter(area.center())
        self.move(frame.topLeft())
        self.show()
        self.raise_()
        QApplication.processEvents()


def wait_for(
    work: Callable[[], T],
    text: str,
    parent: QWidget | None = None,
    *,
    delay_ms: int = 0,
    modal: bool = True,
) -> T:
    """Run *work* in the background while a BusyWindow shows *text*; its result or error.

    The window appears after *delay_ms* (quick work shows nothing) and, when *modal*,
    blocks input to the other windows while it waits. Exceptions are raised here.
    """
    task = BackgroundTask(work)
    loop = QEventLoop()
    task.done.connect(loop.quit)
    window = BusyWindow(text, parent)
    if modal:
        window.setWindowModality(Qt.WindowModality.ApplicationModal)

    def appear() -> None:
        if not task.finished:
            window.show_centred()

    task.start()
    if delay_ms <= 0:
        appear()
    else:
        QTimer.singleShot(delay_ms, window, appear)
    if not task.finished:
        loop.exec()
    window.close()
    window.deleteLater()
    if task.error is not None:
        raise task.error
    return task.result
