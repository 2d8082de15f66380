"""Putting a checked backup in the database file's place, the current content kept beside it.

A sound database is replaced through SQLite while nobody has it open (``replace_sound``):
the copy-in is one SQLite transaction, so a crash midway leaves a rollback journal that
SQLite undoes at the next open, giving back the old content intact. A damaged one is
renamed, bytes unchanged, and a verified copy of the backup renamed into its place
(``replace_damaged``). Neither opens the database file other than through SQLite.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from . import readonly
from .errors import RestoreRefusedError, StorageError
from .online_backup import copy_into, fsync_folder, partial_path, remove_partial, stage_copy
from .probe import integrity_problems
from .readonly import SIDE_SUFFIXES, ReadOnlyView, side_file


def is_sound(path: Path) -> bool:
    """True when *path* passes SQLite's ``quick_check`` (read-only)."""
    try:
        return integrity_problems(path, full=False) == []
    except (StorageError, sqlite3.Error):
        return False


def _keep_current(conn: sqlite3.Connection, keep_as: Path) -> None:
    """Copy what *conn* holds to *keep_as*, verified, before it is replaced."""
    partial = partial_path(keep_as)
    try:
        copy_into(conn, partial)
        problems = integrity_problems(partial)
        if problems:
            raise StorageError(
                f"The copy of the current database failed its check ({problems[0]}); "
                "nothing was restored."
            )
        os.replace(partial, keep_as)
        fsync_folder(keep_as.parent)
    finally:
        remove_partial(partial)


def replace_sound(target: Path, backup: Path, keep_as: Path) -> None:
    """Copy *backup* into the sound database *target* through SQLite, under an exclusive lock.

    Switching the journal out of WAL only succeeds when no other connection has the file
    open, so a running dnt-desktop is detected (RestoreRefusedError) and nothing is
    changed. The lock is then held while the current content is copied to *keep_as* and
    the backup copied in. The file is left in rollback mode with no journal beside it;
    the app switches it back to WAL when it opens it.
    """
    conn = sqlite3.connect(target, timeout=2, isolation_level=None)
    readonly.connection_opened(target)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            mode = str(exc)
        if str(mode).lower() != "delete":
            raise RestoreRefusedError(
                f"{target} is in use (dnt-desktop is open on it, here or on another computer). "
                "Close it everywhere, then restore again. The current database was not changed."
            )
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        _keep_current(conn, keep_as)
        source = ReadOnlyView(backup).connect()
        try:
            source.backup(conn)
        finally:
            source.close()
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if rows != ["ok"]:
            raise StorageError(
                f"The restored database failed its check ({rows[0]}). The previous database "
                f"is kept as {keep_as}."
            )
        # In exclusive locking mode the journal is kept (emptied) after each transaction.
        # Back in normal mode, SQLite deletes a kept journal when the mode switches from
        # "persist" to "delete": nothing is left beside the restored file.
        conn.execute("PRAGMA locking_mode = NORMAL")
        conn.execute("PRAGMA journal_mode = PERSIST")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
        readonly.connection_closed(target)


def move_aside(target: Path, keep_as: Path) -> None:
    """Rename a database (and its journal files) to *keep_as*, bytes unchanged."""
    os.replace(target, keep_as)
    for suffix in SIDE_SUFFIXES:
        side = side_file(target, suffix)
        if side.exists():
            os.replace(side, side_file(keep_as, suffix))


def replace_damaged(target: Path, backup: Path, keep_as: Path | None) -> None:
    """Put a verified copy of *backup* at *target*, moving what is there to *keep_as*.

    The copy is written and checked under a temporary name first, so the damaged file
    stays in place until the copy is ready; then two renames swap them.
    """
    staged = stage_copy(backup, target)
    try:
        if keep_as is not None:
            move_aside(target, keep_as)
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
        os.replace(staged, target)
        fsync_folder(target.parent)
    finally:
        remove_partial(staged)
