"""The automatic backups: the first start of each day (in the background) and on exit.

A failure is always reported in a warning dialog, never swallowed: the clinic must know
when it has no fresh backup.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEventLoop, QThreadPool
from PySide6.QtWidgets import QApplication, QMessageBox, QStatusBar, QWidget

from dnt_desktop.services import backups
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.widgets.background import BackgroundTask, BusyWindow, run_in_background

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
    """The backup made on closing; False when it failed.

    "Backing up before closing…" shows at once, as the windows go, and stays until today's
    backup (if it is still being written) and this one are done: quitting never looks
    like nothing is happening while the disk works. None is made of a database that
    failed its check (saving is stopped): a copy of it would push a good backup out of the
    rotation.
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
    window = BusyWindow("Backing up before closing…", parent)
    window.setObjectName("closing_backup")
    window.show_centred()
    try:
        finish_background_work()
        task = BackgroundTask(lambda: backups.automatic_backup(db, "exit", actor_id=actor_id))
        loop = QEventLoop()
        task.done.connect(loop.quit)
        task.start()
        if not task.finished:
            loop.exec()
        if task.error is not None:
            raise task.error
    except Exception as exc:  # reported, never swallowed: any failure means no backup
        window.close()
        QMessageBox.warning(
            parent,
            "Backup failed",
            f"The backup made when closing could not be written.\n\n{exc}\n\n{FAILED_ADVICE}",
        )
        return False
    finally:
        window.close()
        window.deleteLater()
    return True
