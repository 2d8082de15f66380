"""Consistent copies of a SQLite database (SQLite's online backup API), verified before use.

The live file is read only through SQLite (``readonly``): never opened, copied or synced
by any other means, so the locks of the app's own connections stay in place.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
from pathlib import Path

from .errors import DamagedDatabaseError, NotADatabaseError, StorageError
from .probe import inspect_file, integrity_problems
from .readonly import ReadOnlyView, file_kind, side_file

PARTIAL_SUFFIX = ".partial"
"""A copy is written as ``DEST.partial`` and gets its name only once it is verified."""


def partial_path(dest: Path) -> Path:
    """Where the copy bound for *dest* is written until it is verified."""
    return dest.with_name(dest.name + PARTIAL_SUFFIX)


def remove_partial(partial: Path) -> None:
    """Delete a partial copy of ours and the side files SQLite may have left with it."""
    for path in (partial, *(side_file(partial, s) for s in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            path.unlink()


def fsync_folder(directory: Path) -> None:
    """Make a rename in *directory* durable (POSIX; Windows has nothing to do)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_into(source: sqlite3.Connection, partial: Path) -> None:
    """Copy the database of *source* into the new file *partial*, flushed to the disk.

    The copy needs no journal (a copy cut short is deleted, never used); it is switched
    out of WAL mode, so that reading it later creates nothing beside it. SQLite syncs the
    file (``synchronous=FULL``) before it returns.
    """
    out = sqlite3.connect(partial, isolation_level=None)
    try:
        out.execute("PRAGMA journal_mode = OFF")
        source.backup(out)
        out.execute("PRAGMA synchronous = FULL")
        out.execute("PRAGMA journal_mode = DELETE")
    finally:
        out.close()


def _copy(view: ReadOnlyView, partial: Path) -> None:
    remove_partial(partial)
    src = view.connect(timeout=30)
    try:
        copy_into(src, partial)
    finally:
        src.close()


def stage_copy(source: Path, dest: Path) -> Path:
    """Write a verified copy of the database *source* as ``DEST.partial``; returns that path.

    The caller gives it its name (``os.replace``) or deletes it. Raises a StorageError
    when the source cannot be read or the copy fails its ``integrity_check``.
    """
    source = source.expanduser().absolute()
    if file_kind(source) is None:
        raise StorageError(f"There is no database at {source} to back up.")
    if inspect_file(source, integrity=False).empty and source.stat().st_size == 0:
        raise NotADatabaseError(f"{source} is an empty file, not a dnt-desktop database.")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the backup folder {dest.parent}: {exc.strerror}."
        ) from exc
    partial = partial_path(dest)
    try:
        view = ReadOnlyView(source)
        _copy(view, partial)
        if not view.unchanged():  # a writer came during a lock-free read: copy again
            _copy(view.locked(), partial)
        problems = integrity_problems(partial)
        if problems:
            raise DamagedDatabaseError(
                f"The backup of {source} failed its check ({'; '.join(problems)[:200]}); "
                "the database itself may be damaged. The old backups were kept."
            )
    except BaseException as exc:
        remove_partial(partial)
        if _disk_full(exc):
            raise StorageError(
                f"The backup to {dest} failed: the disk is full. Free some space on it, or "
                "keep fewer backups (Clinic > Settings, Keep the newest), or choose a backup "
                "folder on a larger disk. The old backups were kept."
            ) from exc
        if isinstance(exc, sqlite3.Error):
            raise StorageError(f"The backup to {dest} failed: {exc}.") from exc
        if isinstance(exc, OSError):
            raise StorageError(f"The backup to {dest} failed: {exc.strerror or exc}.") from exc
        raise
    return partial


def _disk_full(exc: BaseException) -> bool:
    """Did *exc* come from a full disk (SQLite's SQLITE_FULL or the OS's ENOSPC)?"""
    if isinstance(exc, OSError):
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)
    return isinstance(exc, sqlite3.Error) and "disk is full" in str(exc)


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the database *source* (live or not) to *dest* and verify the copy.

    The copy is written beside *dest* under a temporary name, checked with
    ``PRAGMA integrity_check``, and only then renamed into place, so a half-written
    backup never carries the final name.
    """
    source = source.expanduser().absolute()
    dest = dest.expanduser().absolute()
    if dest.exists() and dest.is_dir():
        raise StorageError(f"{dest} is a folder; give a file name for the backup.")
    if dest.exists() and dest.resolve() == source.resolve():
        raise StorageError(
            "The backup must not overwrite the database itself; choose another file."
        )
    partial = stage_copy(source, dest)
    try:
        os.replace(partial, dest)
        fsync_folder(dest.parent)
    except OSError as exc:
        raise StorageError(f"The backup to {dest} failed: {exc.strerror or exc}.") from exc
    finally:
        remove_partial(partial)
    return dest
