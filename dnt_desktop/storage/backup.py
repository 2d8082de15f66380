"""Consistent copies of a live SQLite database (online backup API), verified after writing."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from .errors import DamagedDatabaseError, StorageError
from .probe import check_header, readonly_uri


def integrity_problems(path: Path, *, full: bool = True) -> list[str]:
    """The integrity check's complaints about *path* (empty when sound); read-only."""
    check_header(path)
    conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=10)
    try:
        pragma = "integrity_check(20)" if full else "quick_check(20)"
        rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        rows += [
            f"foreign key violation in {row[0]}" for row in conn.execute("PRAGMA foreign_key_check")
        ]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else [r for r in rows if r != "ok"]


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy the live database *source* to *dest* and verify the copy.

    The copy is written beside *dest* under a temporary name, checked with
    ``PRAGMA integrity_check``, flushed to disk and only then renamed into place, so a
    half-written backup never carries the final name.
    """
    if not source.exists():
        raise StorageError(f"There is no database at {source} to back up.")
    check_header(source)
    dest = dest.expanduser().absolute()
    if dest.exists() and dest.is_dir():
        raise StorageError(f"{dest} is a folder; give a file name for the backup.")
    if dest.resolve() == source.resolve():
        raise StorageError(
            "The backup must not overwrite the database itself; choose another file."
        )
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"Cannot create the backup folder {dest.parent}: {exc.strerror}."
        ) from exc
    partial = dest.with_name(dest.name + ".partial")
    with contextlib.suppress(FileNotFoundError):
        partial.unlink()
    try:
        src = sqlite3.connect(readonly_uri(source), uri=True, timeout=30)
        try:
            out = sqlite3.connect(partial)
            try:
                src.backup(out, pages=4096)
                out.execute("PRAGMA journal_mode = DELETE")
            finally:
                out.close()
        finally:
            src.close()
        problems = integrity_problems(partial)
        if problems:
            raise DamagedDatabaseError(
                f"The backup of {source} failed its check ({'; '.join(problems)[:200]}); "
                "the database itself may be damaged. The old backups were kept."
            )
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, dest)
        _fsync_dir(dest.parent)
    except sqlite3.Error as exc:
        raise StorageError(f"The backup to {dest} failed: {exc}.") from exc
    except OSError as exc:
        raise StorageError(f"The backup to {dest} failed: {exc.strerror or exc}.") from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    return dest
