"""Can the app save to a database file where it is? Read-only files, drives and full disks.

Asked before a file is opened for writing, so that a sound file in the wrong place is
reported as what it is (read-only, disk full), never as damaged, and never opened only
to fail at the first save. Only ``stat``/``access``/``statvfs``: the file is not opened.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from .errors import StorageError

MIN_FREE_BYTES = 16 * 1024 * 1024
"""Room to save in: the write-ahead log grows to about 4 MB between checkpoints, a new
database needs about 1 MB, and a day's charting a few more."""


class ReadOnlyDatabaseError(StorageError):
    """The file, its folder or its drive cannot be written to."""


class DiskFullError(StorageError):
    """The disk holding the database has no room left to save."""


def size_text(size: int) -> str:
    """'0 bytes', '812 KB', '12.4 MB'."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size // 1024} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


def _read_only_mount(folder: Path) -> bool:
    if not hasattr(os, "statvfs"):
        return False
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def why_not_writable(path: Path) -> StorageError | None:
    """Why the app could not save to the database *path* (existing or not); None when it can."""
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # a new database: the folder is made where one exists
    exists = path.exists()
    if _read_only_mount(folder):
        return ReadOnlyDatabaseError(
            f"{path} is on a read-only drive, so dnt-desktop cannot save to it there. "
            + (
                "The file itself was left untouched. "
                if exists
                else "Choose a database on a drive that can be written to. "
            )
            + "Copy it to a folder on this computer's own disk and open the copy (--db), or "
            "ask your IT support to make the drive writable."
        )
    if exists and not os.access(path, os.R_OK | os.W_OK):
        return ReadOnlyDatabaseError(
            f"{path} is read-only, so dnt-desktop cannot save to it. The file itself was left "
            "untouched. Ask your IT support to make it writable for you (its permissions, or "
            "the drive it is on)."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        return ReadOnlyDatabaseError(
            f"The folder {folder} cannot be written to, and dnt-desktop must keep its journal "
            f"files beside {path.name} there to save safely. "
            + ("The file itself was left untouched. " if exists else "")
            + "Ask your IT support to give you write permission on the folder."
        )
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return None
    if free < MIN_FREE_BYTES:
        return DiskFullError(
            f"The disk holding {path} is full ({size_text(free)} free; dnt-desktop needs at "
            f"least {size_text(MIN_FREE_BYTES)} to save safely). "
            + ("The database itself was left untouched. " if exists else "")
            + "Free some space on that disk (empty the recycle bin, move old files elsewhere), "
            "then start dnt-desktop again."
        )
    return None


def refuse_unwritable(path: Path) -> None:
    """Raise ReadOnlyDatabaseError or DiskFullError unless the app can save to *path*."""
    problem = why_not_writable(path)
    if problem is not None:
        raise problem
