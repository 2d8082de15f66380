"""Read-only inspection of a SQLite file before the app opens it for writing.

Nothing here writes to the file: a damaged or foreign file must be reported and left
exactly as it was.
"""

from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import DamagedDatabaseError, NotADatabaseError, StorageError

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class FileFacts:
    """What a read-only look at a database file found."""

    exists: bool
    empty: bool
    tables: frozenset[str]
    revision: str | None


def readonly_uri(path: Path) -> str:
    """A ``file:`` URI that opens *path* strictly read-only."""
    return f"file:{quote(str(path.absolute()))}?mode=ro"


def check_header(path: Path) -> None:
    """Raise unless *path* starts with a sane SQLite header and is not truncated."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
        size = path.stat().st_size
    except IsADirectoryError as exc:
        raise NotADatabaseError(f"{path} is a folder, not a database file.") from exc
    except OSError as exc:
        raise StorageError(f"Cannot read {path}: {exc.strerror or exc}.") from exc
    if not header.startswith(SQLITE_HEADER):
        raise NotADatabaseError(
            f"{path} is not a dnt-desktop database (it is not a SQLite file). "
            "Choose the right file; this one was left untouched."
        )
    if len(header) < 100:
        raise DamagedDatabaseError(
            f"{path} is damaged (its header is cut short). {_restore_hint()}"
        )
    page_size = struct.unpack(">H", header[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise DamagedDatabaseError(f"{path} is damaged (invalid page size). {_restore_hint()}")
    page_count = struct.unpack(">I", header[28:32])[0]
    change_counter = header[24:28]
    valid_for = header[92:96]
    # The in-header page count is valid when the two counters agree (SQLite >= 3.7.0).
    # A checkpoint cut short (a crash) writes page 1 before the pages that grow the file;
    # those are still in the -wal file, and SQLite finishes the job on the next open.
    if (
        change_counter == valid_for
        and page_count
        and size < page_count * page_size
        and not _wal_has_frames(path)
    ):
        raise DamagedDatabaseError(
            f"{path} is damaged: the file is shorter than its own header says "
            f"({size} of {page_count * page_size} bytes). {_restore_hint()}"
        )
    if size % page_size:
        raise DamagedDatabaseError(
            f"{path} is damaged: its size is not a whole number of pages. {_restore_hint()}"
        )


WAL_HEADER_SIZE = 32


def _wal_has_frames(path: Path) -> bool:
    """True when the database's write-ahead log holds frames not yet checkpointed."""
    try:
        return Path(f"{path}-wal").stat().st_size > WAL_HEADER_SIZE
    except OSError:
        return False


def _restore_hint() -> str:
    return (
        "The file was left untouched. Restore the latest backup "
        "(dnt-desktop restore BACKUP) or ask your IT support for help."
    )


def inspect_file(path: Path, *, integrity: bool) -> FileFacts:
    """Look at a database file read-only; raise a StorageError naming what is wrong."""
    if not path.exists():
        return FileFacts(exists=False, empty=True, tables=frozenset(), revision=None)
    if path.is_file() and path.stat().st_size == 0:
        return FileFacts(exists=True, empty=True, tables=frozenset(), revision=None)
    check_header(path)
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot open {path}: {exc}.") from exc
    try:
        if integrity:
            _quick_check(conn, path)
        tables = frozenset(
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        )
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise _reading_error(path, exc) from exc
    finally:
        conn.close()
    return FileFacts(exists=True, empty=not tables, tables=tables, revision=revision)


def check_integrity(path: Path) -> None:
    """Run SQLite's ``quick_check`` over the whole file, read-only; raise if it is damaged.

    A missing or empty file passes (there is nothing to check yet). The time it takes
    grows with the file (about 350 ms for 20,000 patients), so the app starts it early,
    in the background (see ``file_check``).
    """
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return
    check_header(path)
    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True, timeout=10)
    except sqlite3.Error as exc:
        raise StorageError(f"Cannot open {path}: {exc}.") from exc
    try:
        _quick_check(conn, path)
    except sqlite3.DatabaseError as exc:
        raise _reading_error(path, exc) from exc
    finally:
        conn.close()


def _quick_check(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
    if problems != ["ok"]:
        raise DamagedDatabaseError(
            f"{path} is damaged ({'; '.join(problems)[:200]}). {_restore_hint()}"
        )


def _reading_error(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    """The user-facing error for a failure while reading *path* read-only."""
    message = str(exc)
    if "locked" in message or "busy" in message:
        return StorageError(f"{path} is locked by another program. Close it there and try again.")
    if "not a database" in message or "encrypted" in message:
        return NotADatabaseError(
            f"{path} is not a dnt-desktop database ({message}). The file was left untouched."
        )
    return DamagedDatabaseError(f"{path} is damaged ({message}). {_restore_hint()}")
