"""The automatic backups: the first start of each day (in the background) and on exit
(in a process of its own, ``services.closing``).

A failure is always reported in a warning dialog, never swallowed: the clinic must know
when it has no fresh backup.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QStatusBar, QWidget

from dnt_desktop.services import backups, closing
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.folders import data_dir
from dnt_desktop.ui.widgets.background import BackgroundTask, run_in_background

FAILED_ADVICE = (
    "The database itself is not affected. Make a backup with File > Backup and restore… "
    "and tell the clinic's administrator."
)


def start_daily_backup(
    db: Database, actor_id: int, status: QStatusBar, parent: QWidget
) -> BackgroundTask | None:
    """Start today's first backup in the background (nothing when one exists already)."""
    if db.path is None:
        return None

    def done(path: Path | None) -> None:
        if path is not None:
            status.showMessage(f"Today's backup is written and verified ({path.name}).", 10_000)

    def failed(error: BaseException) -> None:
        status.showMessage("Today's automatic backup FAILED.")
        QMessageBox.warning(
            parent,
            "Backup failed",
            f"Today's automatic backup could not be made.\n\n{error}\n\n{FAILED_ADVICE}",
        )

    return run_in_background(
        lambda: backups.automatic_backup(db, "daily", actor_id=actor_id), done, failed
    )


def finish_background_work() -> None:
    """Wait, events flowing, until the background work (today's backup) is done."""
    pool = QThreadPool.globalInstance()
    while not pool.waitForDone(50):
        QApplication.processEvents()


def exit_backup(db: Database, actor_id: int | None, parent: QWidget | None = None) -> bool:
    """Leave the closing backup to a process of its own; False when none can be made.

    The windows are gone already; this returns at once (today's backup, if it is still
    being written, is waited for first). The database is closed here, and the closing
    work (``services.closing``: the backup, ``dnt-desktop check`` of it, the file noted as
    verified) goes on in a detached process, so that closing takes the same time at every
    size. Until that work is done the record of it says "owed", and the next start makes
    the backup when it finds the work cut short, or shows why it failed. None is made of a
    database that failed its check (saving is stopped): a copy of it would push a good
    backup out of the rotation.
    """
    if db.path is None:
        finish_background_work()
        return True
    if db.writes_stopped is not None:
        finish_background_work()
        QMessageBox.warning(
            parent,
            "No backup made",
            "No backup was made on closing: the database failed its check, and the backups "
            "made before were kept as they were. Ask the clinic's administrator to restore "
            "the latest one.",
        )
        return False
    finish_background_work()
    if db.writes_held:  # no verdict yet, so nothing was written: the backups stand as they are
        return True
    path = db.path
    try:
        closing.write_state(path, closing.ClosingState(closing.OWED, actor_id))
        db.dispose()  # the closing process must find the file closed
        start_closing_process(path, actor_id)
    except OSError as exc:  # reported, never swallowed: any failure means no backup
        QMessageBox.warning(
            parent,
            "Backup failed",
            f"The backup made when closing could not be started.\n\n{exc}\n\n{FAILED_ADVICE}",
        )
        return False
    return True


def start_closing_process(path: Path, actor_id: int | None) -> subprocess.Popen[bytes]:
    """``python -m dnt_desktop.commands.closing`` for *path*, detached from the app (it
    goes on after the app has exited); its messages go to ``closing/closing.log``."""
    command = [sys.executable, "-m", "dnt_desktop.commands.closing", "--db", str(path)]
    if actor_id is not None:
        command += ["--actor", str(actor_id)]
    log_path = data_dir() / closing.FOLDER_NAME / "closing.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    options: dict[str, object] = {}
    if os.name == "nt":
        options["creationflags"] = (
            subprocess.DETACHED_PROCESS  # type: ignore[attr-defined]
            | subprocess.CREATE_NEW_PROCESS_GROUP  # type: ignore[attr-defined]
            | subprocess.CREATE_NO_WINDOW  # type: ignore[attr-defined]
        )
    else:
        options["start_new_session"] = True
    with log_path.open("ab") as log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=log, close_fds=True, **options
        )


def owed_backup_at_start(db: Database, actor_id: int, status: QStatusBar, parent: QWidget) -> None:
    """After a sound verdict: show why the last closing backup failed, and make the
    backup the last run owes (its closing work failed or was cut short) in the background."""
    if db.path is None:
        return
    owed = closing.owed_closing_backup(db.path)
    if owed is None:
        return
    if owed.status == closing.FAILED:
        QMessageBox.warning(
            parent,
            "Backup failed",
            f"The backup made when dnt-desktop last closed failed.\n\n{owed.message}\n\n"
            "A new one is being made now.",
        )
    path = db.path

    def done(written: Path | None) -> None:
        closing.clear_state(path)
        if written is not None:
            status.showMessage(
                f"The closing backup is written and verified ({written.name}).", 10_000
            )

    def failed(error: BaseException) -> None:
        status.showMessage("The owed closing backup FAILED.")
        QMessageBox.warning(
            parent,
            "Backup failed",
            f"The backup owed since the last close could not be made.\n\n{error}\n\n"
            f"{FAILED_ADVICE}",
        )

    run_in_background(lambda: backups.automatic_backup(db, "exit", actor_id=actor_id), done, failed)
