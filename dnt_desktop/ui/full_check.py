"""`dnt-desktop check` of the open database, run in its own process once the window shows.

The start-up check (SQLite's ``quick_check``) runs before the file is opened. The full
check, the very function ``dnt-desktop check`` runs (``integrity_check``, foreign keys,
audit chain, signed-session hashes), takes longer and much of it is Python: it runs in a
separate process, so the window stays responsive and the check can be stopped at any
moment (closing, restoring) without waiting for it. A problem it finds stops all saving
(``Database.stop_writes``: every save is refused with the message below) and is shown in
a message box and, in red, in the status bar. The daily backup waits for a sound verdict,
so that a file that fails its check never pushes a good backup out of the rotation.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from PySide6.QtCore import QMetaObject, QObject, QProcess, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox

from dnt_desktop.storage.engine import Database
from dnt_desktop.ui import style

TITLE = "The database failed its check"
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
        self._process = QProcess(self)
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        self._process.finished.connect(self._done)
        self._process.errorOccurred.connect(self._failed_to_start)
        db.when_disposed(self.stop)

    def start(self) -> FullCheck:
        """Begin checking (nothing for a PostgreSQL database); returns self."""
        if self.db.path is None:
            return self
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
        self.verdict = verdict
        if verdict.stopped:
            self.db.stop_writes(stopped_message(verdict))
        self.finished.emit(verdict)


def show_verdict(window: QMainWindow, verdict: Verdict) -> None:
    """Tell the user: a short note when sound, a red line and a message box when not."""
    status = window.statusBar()
    if verdict.sound:
        status.showMessage("Database checked: no problem found.", 8000)
        return
    if not verdict.stopped:
        status.showMessage(
            f"The background check of the database could not finish ({verdict.could_not_run}); "
            "run dnt-desktop check to check it.",
            30_000,
        )
        return
    label = QLabel("Saving is stopped: the database failed its check")
    label.setObjectName("writes_stopped")
    label.setStyleSheet(f"color: {style.ERROR_TEXT}; font-weight: bold;")
    status.addPermanentWidget(label)
    QMessageBox.critical(window, TITLE, stopped_message(verdict))
