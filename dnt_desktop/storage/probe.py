"""Read-only inspection of a SQLite file before the app opens it for writing.

Nothing here writes to the file, creates anything beside it or opens it except through
SQLite (see ``readonly``): a damaged or foreign file must be reported and left exactly as
it was. Only the standard library is imported (the early start-up check uses this).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .errors import DamagedDatabaseError, NotADatabaseError, StorageError
from .readonly import (
    ReadOnlyView,
    connections_here,
    file_kind,
    readonly_uri,
    side_file,
    wal_has_changes,
)

__all__ = [
    "FileFacts",
    "ForeignWalError",
    "InterruptedWriteError",
    "check_integrity",
    "empty_file_message",
    "inspect_file",
    "integrity_problems",
    "read_file",
    "readonly_uri",
    "restore_hint",
]

T = TypeVar("T")


class InterruptedWriteError(StorageError):
    """A rollback journal beside the file: a write was cut short and must be undone first."""


class ForeignWalError(StorageError):
    """The file is sound on its own; the ``-wal`` beside it does not fit it."""


class ReadOnlyLocationError(StorageError):
    """SQLite needs to write beside the file to read it, and the location is read-only."""


@dataclass(frozen=True)
class FileFacts:
    """What a read-only look at a database file found."""

    exists: bool
    empty: bool
    tables: frozenset[str]
    revision: str | None


def empty_file_message(path: Path) -> str:
    """Why an empty file (or a SQLite file holding nothing) is refused: a new database is
    only created where there is no file."""
    try:
        what = "an empty file" if path.stat().st_size == 0 else "a SQLite file that holds nothing"
    except OSError:
        what = "an empty file"
    return (
        f"{path} is {what}, not a dnt-desktop database. dnt-desktop creates a new "
        "database only where there is no file at all, so it left this one untouched: if "
        "your clinic's database should be here, look for the real file or restore a backup "
        "(dnt-desktop restore BACKUP --db PATH); if the empty file is not needed, delete it."
    )


def restore_hint() -> str:
    """What to do about a damaged file."""
    return (
        "The file was left untouched. Restore the latest backup "
        "(dnt-desktop restore BACKUP) or ask your IT support for help."
    )


def read_file(path: Path, read: Callable[[sqlite3.Connection], T]) -> T:
    """``read(connection)`` on a read-only connection to *path*; errors as StorageError.

    A lock-free read that a writer spoiled (see ``readonly``) is done again through
    SQLite's locks. A failure of the file together with its ``-wal`` is blamed on the
    ``-wal`` when the file alone is sound (``ForeignWalError``).
    """
    view = ReadOnlyView(path)
    try:
        try:
            result = _read(view, read)
        except StorageError:
            if view.unchanged():
                raise
            return _read(view.locked(), read)
        return result if view.unchanged() else _read(view.locked(), read)
    except (DamagedDatabaseError, NotADatabaseError) as exc:
        _blame_the_wal(view.path, exc)
        raise


def _read(view: ReadOnlyView, read: Callable[[sqlite3.Connection], T]) -> T:
    try:
        conn = view.connect()
    except sqlite3.Error as exc:
        raise _reading_error(view.path, exc) from exc
    try:
        return read(conn)
    except sqlite3.DatabaseError as exc:
        raise _reading_error(view.path, exc) from exc
    finally:
        conn.close()


def _blame_the_wal(path: Path, error: StorageError) -> None:
    """Raise ForeignWalError when *path* alone is a sound dnt-desktop file but not with its -wal."""
    if not wal_has_changes(path) or connections_here(path):
        return
    alone = ReadOnlyView(path).main_file_alone()
    try:
        alone_facts = _read(alone, _facts_and_quick_check)
    except StorageError:
        return
    if "alembic_version" not in alone_facts.tables:
        return
    wal = side_file(path, "-wal")
    raise ForeignWalError(
        f"{path} is sound, but the write-ahead log beside it ({wal.name}) does not fit it "
        f"({error_detail(error)}): it belongs to another database, or it was spoiled. Nothing "
        f"was changed. Make sure no program has the database open, then move {wal.name} (and "
        f"{path.name}-shm, if there is one) into another folder, keep them for your IT "
        "support, and start dnt-desktop again."
    ) from error


def error_detail(error: BaseException) -> str:
    """The cause in brackets of a storage message, for quoting it in another one."""
    text = str(error)
    start, end = text.find("("), text.find(")")
    return text[start + 1 : end] if 0 <= start < end else text.rstrip(".")


def _facts_and_quick_check(conn: sqlite3.Connection) -> FileFacts:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError("; ".join(problems))
    return _facts(conn)


def _facts(conn: sqlite3.Connection) -> FileFacts:
    tables = frozenset(
        row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    )
    revision = None
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = None if row is None else str(row[0])
    return FileFacts(exists=True, empty=not tables, tables=tables, revision=revision)


def _whole_pages(path: Path, conn: sqlite3.Connection) -> None:
    """Raise unless the file's size is a whole number of its pages (SQLite reads the rest).

    SQLite itself refuses a file shorter than its header says; a file cut (or padded)
    inside its last page reads as sound, so its size is compared here, by ``stat``.
    """
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    size = path.stat().st_size
    if page_size and size % page_size:
        raise DamagedDatabaseError(
            f"{path} is damaged (its size is not a whole number of pages). {restore_hint()}"
        )


def inspect_file(path: Path, *, integrity: bool) -> FileFacts:
    """Look at a database file read-only; raise a StorageError naming what is wrong.

    A missing path gives ``exists=False``; an empty file ``empty=True`` (callers decide
    what that means). ``integrity`` adds SQLite's ``quick_check`` of the whole file.
    """
    info = file_kind(path)
    if info is None:
        return FileFacts(exists=False, empty=True, tables=frozenset(), revision=None)
    if info.st_size == 0:
        return FileFacts(exists=True, empty=True, tables=frozenset(), revision=None)

    def read(conn: sqlite3.Connection) -> FileFacts:
        if integrity:
            _quick_check(conn, path)
        facts = _facts(conn)
        _whole_pages(path, conn)
        return facts

    facts = read_file(path, read)
    if facts.revision is None and facts.tables - {"alembic_version"}:
        _blame_the_wal(path, NotADatabaseError("together they hold no dnt-desktop schema"))
    return facts


def check_integrity(path: Path) -> None:
    """Run SQLite's ``quick_check`` over the whole file, read-only; raise if it is damaged.

    A missing or empty file passes (there is nothing to check yet). The time it takes
    grows with the file (about 350 ms for 20,000 patients), so the app starts it early,
    in the background (see ``file_check``).
    """
    info = file_kind(path)
    if info is None or info.st_size == 0:
        return

    def read(conn: sqlite3.Connection) -> None:
        _quick_check(conn, path)
        _whole_pages(path, conn)

    read_file(path, read)


def integrity_problems(path: Path, *, full: bool = True) -> list[str]:
    """The integrity check's complaints about *path* (empty when sound); read-only.

    ``full`` runs ``integrity_check`` (indexes against their tables too) instead of
    ``quick_check``; both add ``foreign_key_check``. A file that cannot be read at all
    raises its StorageError (not a database, a ``-wal`` that does not fit, ...).
    """
    file_kind(path)

    def read(conn: sqlite3.Connection) -> list[str]:
        pragma = "integrity_check(20)" if full else "quick_check(20)"
        rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
        rows += [
            f"foreign key violation in {row[0]}" for row in conn.execute("PRAGMA foreign_key_check")
        ]
        _whole_pages(path, conn)
        return [] if rows == ["ok"] else [r for r in rows if r != "ok"]

    try:
        return read_file(path, read)
    except DamagedDatabaseError as exc:
        return [error_detail(exc)]


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise DamagedDatabaseError(
            f"{path} is damaged ({'; '.join(problems)[:200]}). {restore_hint()}"
        )


def _reading_error(path: Path, exc: sqlite3.Error) -> StorageError:
    """The user-facing error for a failure while reading *path* read-only."""
    message = str(exc)
    name = getattr(exc, "sqlite_errorname", "")
    journal = side_file(path, "-journal").name
    if name == "SQLITE_READONLY_ROLLBACK":
        return InterruptedWriteError(
            f"{path} holds a change that was cut short (by a crash, a power cut or an "
            f"interrupted restore): {journal} beside it keeps what the file held before. "
            "The file is not damaged; dnt-desktop puts it back to its last complete state "
            "when it opens it."
        )
    if name in {"SQLITE_READONLY_RECOVERY", "SQLITE_READONLY_CANTINIT"} or (
        name == "SQLITE_CANTOPEN" and not os.access(path.parent, os.W_OK)
    ):
        return ReadOnlyLocationError(
            f"{path} cannot be read where it is: SQLite needs to finish its last changes "
            f"(kept in {path.name}-wal) and the folder or drive cannot be written to. Copy "
            "the database together with the files beside it that start with its name to a "
            "folder you can write to, and open the copy."
        )
    if name == "SQLITE_CANTOPEN":
        return StorageError(f"Cannot open {path} ({message}): check that you may read it.")
    if "locked" in message or "busy" in message:
        return StorageError(f"{path} is locked by another program. Close it there and try again.")
    if "not a database" in message or "encrypted" in message:
        return NotADatabaseError(
            f"{path} is not a dnt-desktop database (it is not a SQLite database file). Choose "
            "the right file; this one was left untouched."
        )
    return DamagedDatabaseError(f"{path} is damaged ({message}). {restore_hint()}")
