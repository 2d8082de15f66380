"""File > Backup and restore: the backup folder, its backups, "Back up now" and "Restore…".

Backing up runs in the background. Restoring (administrators only) is confirmed with a
strong warning, needs every session editor closed, and runs with a progress window; the
backup is checked first, so a damaged or foreign file is refused with nothing changed.
After a restore the app starts again from the sign-in, on the restored database.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import backups
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.background import BackgroundTask, run_in_background, wait_for
from dnt_desktop.ui.widgets.button_rows import button_row
from dnt_desktop.ui.widgets.list_table import highlighted, list_table
from dnt_desktop.ui.widgets.window_size import place_window

REASONS = {"daily": "Daily (first start)", "exit": "On closing", "manual": "Manual"}


def size_text(size: int) -> str:
    """'812 KB', '12.4 MB'."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.2f} GB"


def _when(backup: backups.BackupFile) -> str:
    return f"{format_date(backup.taken_at.date())} {backup.taken_at:%H:%M:%S}"


class BackupDialog(QDialog):
    """Backups of the open SQLite database.

    *restore_blocker* says why a restore cannot start now ('' when it can), e.g. open
    session editors. ``restored(text)`` fires after a successful restore (the database
    under the app was replaced; the window must start again).
    """

    restored = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        restore_blocker: Callable[[], str] = lambda: "",
        before_restore: Callable[[bool], None] = lambda _starting: None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.restore_blocker = restore_blocker
        self.before_restore = before_restore
        self.task: BackgroundTask | None = None
        self.items: list[backups.BackupFile] = []
        self.setObjectName("backup_dialog")
        self.setWindowTitle("Backup and restore")
        place_window(self, "backup_dialog", 760, 480)

        self.folder_label = QLabel()
        self.folder_label.setObjectName("backup_folder")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.change_folder_button = QPushButton("&Change folder…")
        self.change_folder_button.clicked.connect(self.change_folder)
        self.open_folder_button = QPushButton("&Open folder")
        self.open_folder_button.clicked.connect(self.open_folder)
        if not ctx.is_admin:
            self.change_folder_button.setEnabled(False)
            self.change_folder_button.setToolTip("Only an administrator can change the folder")
        about = QLabel(
            "A verified backup is written at the first start of each day and whenever "
            "dnt-desktop closes; the oldest automatic backups are removed as new ones come."
        )
        about.setProperty("role", "hint")
        about.setWordWrap(True)

        self.table = list_table(
            ["Taken", "Why", "Size"], "Backups", row_padding=10, stretch_column=1
        )
        self.table.setObjectName("backups_table")
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.status = QLabel()
        self.status.setObjectName("backup_status")
        self.status.setWordWrap(True)
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.setProperty("primary", True)
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("Restore &another file…")
        self.restore_file_button.clicked.connect(self.restore_other_file)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        for button in (
            self.change_folder_button,
            self.open_folder_button,
            self.restore_button,
            self.restore_file_button,
            close,
        ):
            button.setAutoDefault(False)
        self.backup_button.setDefault(True)
        if not ctx.is_admin:
            for button in (self.restore_button, self.restore_file_button):
                button.setToolTip("Only an administrator can restore a backup")

        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("<b>Backup folder:</b>"))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)
        folder_row.addWidget(self.change_folder_button)
        buttons = button_row(
            [self.backup_button, self.restore_button, self.restore_file_button], [close]
        )
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(folder_row)
        layout.addWidget(about)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.reload()

    # --- the list --------------------------------------------------------------------

    def folder(self) -> Path | None:
        """The backup folder of the open database (None for PostgreSQL or on error)."""
        if self.ctx.db.path is None:
            return None
        try:
            return backups.folder_of(self.ctx.db)
        except StorageError as exc:
            self.say(str(exc), error=True)
            return None

    def reload(self) -> None:
        """Read the folder again."""
        folder = self.folder()
        if self.ctx.db.path is None:
            self.folder_label.setText("(none: this is a PostgreSQL database)")
            self.say(
                "Back up a PostgreSQL database on the server with pg_dump; the app backs "
                "up SQLite files only."
            )
        elif folder is not None:
            self.folder_label.setText(str(folder))
        self.items = backups.backups_in(folder) if folder is not None else []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            try:
                size = size_text(item.path.stat().st_size)
            except OSError:
                size = "?"
            for column, text in enumerate(
                (_when(item), REASONS.get(item.reason, item.reason), size)
            ):
                cell = QTableWidgetItem(text)
                cell.setToolTip(str(item.path))
                self.table.setItem(row, column, cell)
        if self.items:
            self.table.selectRow(0)
        self._update_buttons()

    def selected(self) -> backups.BackupFile | None:
        """The highlighted backup."""
        return highlighted(self.table, self.items)

    def _update_buttons(self) -> None:
        sqlite = self.ctx.db.path is not None
        busy = self.task is not None
        self.backup_button.setEnabled(sqlite and not busy)
        admin = self.ctx.is_admin and sqlite and not busy
        self.restore_button.setEnabled(admin and self.selected() is not None)
        self.restore_file_button.setEnabled(admin)
        self.change_folder_button.setEnabled(self.ctx.is_admin and sqlite and not busy)
        self.open_folder_button.setEnabled(sqlite)

    def say(self, text: str, *, error: bool = False) -> None:
        """A line under the list (red for a failure)."""
        colour = style.ERROR_TEXT if error else style.OK_TEXT
        self.status.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.status.setText(text)

    # --- folder ----------------------------------------------------------------------

    def change_folder(self) -> None:
        """An administrator picks another backup folder (setting ``backup_folder``)."""
        current = self.folder()
        chosen = QFileDialog.getExistingDirectory(
            self, "Backup folder", str(current) if current else str(Path.home())
        )
        if not chosen:
            return

        def write() -> Changes:
            return set_setting(self.ctx.db, self.ctx.practitioner_id, "backup_folder", chosen)

        changes = guarded(self, "Backup folder", write)
        if changes is not None:
            self.ctx.hub.publish(changes)
            self.reload()
            self.say(f"Backups now go to {chosen}.")

    def open_folder(self) -> None:
        """Show the folder in the file manager."""
        folder = self.folder()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- backing up ------------------------------------------------------------------

    def back_up_now(self) -> BackgroundTask | None:
        """Write a verified manual backup in the background."""
        folder = self.folder()
        if folder is None or self.task is not None:
            return None
        db, actor = self.ctx.db, self.ctx.practitioner_id
        self.say("Backing up…")
        self.task = run_in_background(
            lambda: backups.make_backup(db, folder, "manual", actor_id=actor),
            self._backed_up,
            self._backup_failed,
        )
        self._update_buttons()
        return self.task

    def _backed_up(self, path: Path) -> None:
        self.task = None
        self.reload()
        self.say(f"Backup written and verified: {path.name}")

    def _backup_failed(self, error: BaseException) -> None:
        self.task = None
        self._update_buttons()
        self.say(f"The backup failed: {error}", error=True)
        QMessageBox.warning(self, "Backup failed", f"The backup failed.\n\n{error}")

    # --- restoring -------------------------------------------------------------------

    def restore_selected(self) -> bool:
        """Restore the highlighted backup (after the warning)."""
        item = self.selected()
        if item is None:
            return False
        return self.restore(item.path, f"the backup of {_when(item)}")

    def restore_other_file(self) -> bool:
        """Restore a backup file chosen anywhere (a USB stick, say)."""
        folder = self.folder()
        path, _kind = QFileDialog.getOpenFileName(
            self,
            "Restore which backup?",
            str(folder) if folder else str(Path.home()),
            "dnt-desktop databases (*.sqlite3 *.sqlite *.db);;All files (*)",
        )
        if not path:
            return False
        return self.restore(Path(path), Path(path).name)

    def restore(self, backup: Path, label: str) -> bool:
        """Replace the database with *backup*; True when it was restored."""
        target = self.ctx.db.path
        if not self.ctx.is_admin or target is None:
            return False
        blocker = self.restore_blocker()
        if blocker:
            QMessageBox.information(self, "Restore backup", blocker)
            return False
        answer = QMessageBox.warning(
            self,
            "Restore backup",
            f"Replace the whole database with {label}?\n\n"
            "Everything entered since that backup (patients, sessions, signatures, audit "
            "events) will no longer be in the database. The current database is kept as a "
            "copy beside it, but nobody will see it in dnt-desktop.\n\n"
            "Close dnt-desktop on every other computer first. After restoring, dnt-desktop "
            "starts again and everyone signs in again.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        db, actor = self.ctx.db, self.ctx.practitioner_id

        def work() -> backups.RestoreResult:
            db.dispose()  # no connection of ours may stay open on the file
            return backups.restore_backup(target, backup, actor_id=actor)

        self.before_restore(True)
        try:
            result = wait_for(work, f"Checking and restoring {backup.name}…", self)
        except backups.RestoreRefusedError as exc:  # checked first: nothing was changed
            self.before_restore(False)
            self.say(str(exc), error=True)
            QMessageBox.warning(self, "Restore refused", str(exc))
            return False
        except Exception as exc:  # it failed midway: start again, which checks the file
            text = f"The restore did not finish: {exc}"
            QMessageBox.critical(
                self,
                "Restore failed",
                f"{text}\n\ndnt-desktop now starts again and checks the database.",
            )
            self.restored.emit(text)
            self.accept()
            return False
        kept = (
            f"\n\nThe database as it was is kept as {result.previous_copy}."
            if (result.previous_copy)
            else ""
        )
        text = f"{label[0].upper()}{label[1:]} was restored.{kept}"
        QMessageBox.information(
            self, "Backup restored", f"{text}\n\ndnt-desktop now starts again: sign in."
        )
        self.restored.emit(text)
        self.accept()
        return True
