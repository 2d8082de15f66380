"""`dnt-desktop check` of the open database, run in its own process as soon as it is open.

The start-up check (SQLite's ``quick_check``) runs before the file is opened. The full
check, the very function ``dnt-desktop check`` runs (``integrity_check``, foreign keys,
audit chain, signed-session hashes), takes longer and much of it is Python: it runs in a
separate process, so the windows stay responsive (searching and reading go on) and the
check can be stopped at any moment (closing, restoring) without waiting for it.

Until its verdict every write waits (``Database.hold_writes``): a save made meanwhile,
the sign-in's record included, is held with "Saving waits for the database check…" on
screen and goes on by itself once the file is found sound. A problem it finds stops all
saving (every save is refused with the message below) and is shown in a message box and,
in red, in the status bar; a check that cannot run (twice) stops saving as well, since
nothing then proves the file sound. The daily backup waits for a sound verdict, so that
a file that fails its check never pushes a good backup out of the rotation.

A file provably unchanged since ``check`` last accepted it (``storage.verified``) is not
checked again: there is no verdict to wait for.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import (
    QEventLoop,
    QMetaObject,
    QObject,
    QProcess,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QMessageBox

from dnt_desktop.storage.engine import Database
from dnt_desktop.ui import style
from dnt_desktop.ui.widgets.background import BusyWindow

TITLE = "The database failed its check"
RETRIES = 2
"""A check that could not run (the file busy, its process killed) is started again this
often, a little later each time, before saving is stopped for want of a verdict."""
RETRY_DELAY_MS = 2000
HELD_TEXT = (
    "Saving waits for the check of the database file, which changed since it was last "
    "checked (on a large database this takes a minute or two). Nothing is lost: what you "
    "entered is saved as soon as the check has found the file sound. Searching and reading "
    "go on meanwhile."
)
_NOT_A_VERDICT = ("locked by another program", "changed while it was being checked", "busy")
"""Errors of a check that could not read the file just then: they say nothing about it."""


@dataclass(frozen=True)
class Verdict:
    """What the check said: sound, a problem (``stopped``), or that it could not run."""

    sound: bool
    problems: tuple[str, ...] = ()
    could_not_run: str = ""

    @property
    def stopped(self) -> bool:
        """True when the check found a problem (saving must stop)."""
        return not self.sound and not self.could_not_run


def read_verdict(exit_code: int, output: str) -> Verdict:
    """The verdict in ``dnt-desktop check``'s exit code and output lines."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if exit_code == 0:
        return Verdict(sound=True)
    problems = tuple(
        line.removeprefix("problem: ") for line in lines if line.startswith("problem:")
    )
    errors = [line.removeprefix("dnt-desktop: error: ") for line in lines if "error: " in line]
    not_now = [e for e in errors if any(words in e for words in _NOT_A_VERDICT)]
    unexpected = [line for line in lines if "unexpected error" in line]
    if exit_code == 1 and (problems or (errors and not unexpected and not not_now)):
        return Verdict(sound=False, problems=problems or tuple(errors[:1]))
    return Verdict(sound=False, could_not_run=(lines[-1] if lines else f"exit code {exit_code}"))


def stopped_message(verdict: Verdict) -> str:
    """What saving refuses with, and what the user should do."""
    if verdict.could_not_run:
        return (
            f"Saving is stopped: the database file could not be checked ({verdict.could_not_run}), "
            "so nothing proves it sound and nothing more is written to it. Note down anything "
            "you need from the screen, close dnt-desktop and start it again; if this message "
            "comes back, run dnt-desktop check and show its answer to your IT support."
        )
    first = verdict.problems[0] if verdict.problems else "a problem"
    more = len(verdict.problems) - 1
    also = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return (
        f"Saving is stopped: dnt-desktop check found a problem in this database: {first}{also}. "
        "Nothing more is written to it, so the damage cannot spread; what is on screen now "
        "cannot be saved. Note down anything you need, close dnt-desktop, and ask the "
        "clinic's administrator to restore the latest backup (File > Backup and restore…, "
        "or dnt-desktop restore BACKUP). The backups were kept as they were."
    )


class FullCheck(QObject):
    """``dnt-desktop check --db PATH`` in a child process; ``finished(Verdict)`` at the end."""

    finished = Signal(object)

    def __init__(self, db: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.verdict: Verdict | None = None
        self._attempts = 0
        self._process = QProcess(self)
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self._process.finished.connect(self._done)
        self._process.errorOccurred.connect(self._failed_to_start)
        db.when_disposed(self.stop)

    def start(self) -> FullCheck:
        """Begin checking (nothing for a PostgreSQL database); returns self."""
        if self.db.path is None:
            return self
        self._attempts += 1
        self._process.start(
            sys.executable, ["-m", "dnt_desktop", "check", "--db", str(self.db.path)]
        )
        return self

    @property
    def running(self) -> bool:
        """True while the check's process runs."""
        return self._process.state() != QProcess.ProcessState.NotRunning

    def stop(self) -> None:
        """End the check at once (it only reads: killing it leaves the file as it was).

        Safe from any thread (a restore disposes the database on a worker thread while the
        GUI thread waits in an event loop): the process is killed on the GUI thread, and
        this returns once it is gone, so that its connection no longer holds the file.
        """
        if not self.running:
            return
        if QThread.currentThread() is self.thread():
            self._kill()
        else:
            QMetaObject.invokeMethod(self, "_kill", Qt.ConnectionType.BlockingQueuedConnection)

    @Slot()
    def _kill(self) -> None:
        if self.running:
            self._process.blockSignals(True)
            self._process.kill()
            self._process.waitForFinished(5000)

    def _done(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        output = bytes(self._process.readAll().data()).decode("utf-8", "replace")
        if status != QProcess.ExitStatus.NormalExit:
            self._report(Verdict(sound=False, could_not_run="the check's process ended early"))
            return
        self._report(read_verdict(exit_code, output))

    def _failed_to_start(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._report(Verdict(sound=False, could_not_run="the check could not be started"))

    def _report(self, verdict: Verdict) -> None:
        if self.verdict is not None:
            return
        if verdict.could_not_run and self._attempts <= RETRIES:
            QTimer.singleShot(RETRY_DELAY_MS * self._attempts, self, self._again)
            return
        self.verdict = verdict
        self.db.give_verdict(None if verdict.sound else stopped_message(verdict))
        self.finished.emit(verdict)

    def _again(self) -> None:
        if self.verdict is None and not self.running:
            self.start()


def wait_on_screen(verdict_in: Callable[[], bool]) -> None:
    """Hold a save until the check's verdict, saying so on screen (the events flow: the
    verdict comes through them, and the other windows repaint; input waits)."""
    if verdict_in():
        return
    window = BusyWindow(HELD_TEXT, QApplication.activeWindow())
    window.setObjectName("save_held")
    window.setWindowModality(Qt.WindowModality.ApplicationModal)
    window.label.setAccessibleName("Saving waits for the database check")
    loop = QEventLoop()
    timer = QTimer(window)
    timer.timeout.connect(lambda: verdict_in() and loop.quit())
    timer.start(50)
    window.show_centred()
    if not verdict_in():
        loop.exec()
    timer.stop()
    window.close()
    window.deleteLater()


def hold_writes_until_checked(db: Database) -> FullCheck:
    """Start the full check of the open file now, every write held until its verdict."""
    db.hold_writes()
    db.verdict_waiter = wait_on_screen
    check = FullCheck(db)  # not a window's child: it outlives the windows, until dispose
    return check.start()


def show_verdict(window: QMainWindow, verdict: Verdict) -> None:
    """Tell the user: a short note when sound, a red line and a message box when not."""
    status = window.statusBar()
    if verdict.sound:
        status.showMessage("Database checked: no problem found.", 8000)
        return
    failed = "failed its check" if verdict.stopped else "could not be checked"
    label = QLabel(f"Saving is stopped: the database {failed}")
    label.setObjectName("writes_stopped")
    label.setStyleSheet(f"color: {style.ERROR_TEXT}; font-weight: bold;")
    status.addPermanentWidget(label)
    title = TITLE if verdict.stopped else "The database could not be checked"
    QMessageBox.critical(window, title, stopped_message(verdict))
