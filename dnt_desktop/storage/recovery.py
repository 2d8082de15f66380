"""Undoing a write that was cut short, the way SQLite itself does, before a file is judged.

A rollback-mode write (a restore copying a backup in, an old file, another program)
keeps the original content of every page it changes in ``NAME-journal`` until it
commits. Killed midway, it leaves that journal "hot": the main file is half old, half
new, and only the journal makes it whole. Any read-write SQLite connection rolls the
journal back before it reads anything and then deletes it; a read-only connection cannot,
and reports "attempt to write a readonly database", which is not damage. So the app lets
SQLite finish the job (a read-write connection that reads one page, nothing else) and
only then checks the file: a recoverable file is recovered, never called damaged.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from . import readonly
from .errors import StorageError
from .probe import FileFacts, InterruptedWriteError, inspect_file
from .readonly import side_file
from .writable import why_not_writable


def finish_interrupted_write(path: Path) -> str:
    """Let SQLite roll back the hot journal beside *path*; returns a note saying so.

    Raises a StorageError when the file cannot be written where it is (the journal
    stays, untouched) or when the journal is still there afterwards.
    """
    journal = side_file(path, "-journal")
    blocked = why_not_writable(path)
    if blocked is not None:
        raise StorageError(
            f"{path} holds a change that was cut short ({journal.name} beside it keeps what "
            "the file held before), and it can only be put back where the file can be "
            f"written: {blocked}"
        )
    conn = sqlite3.connect(path, timeout=10, isolation_level=None)
    readonly.connection_opened(path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise StorageError(
            f"{path} holds a change that was cut short and SQLite could not undo it ({exc}). "
            f"The file and {journal.name} were left as they were; ask your IT support for help."
        ) from exc
    finally:
        conn.close()
        readonly.connection_closed(path)
    if journal.exists() and journal.stat().st_size > 0:
        raise StorageError(
            f"{path} holds a change that was cut short, and {journal.name} is still beside it "
            "after SQLite undid it. Close every program that has the database open and try again."
        )
    return (
        f"a change to {path.name} had been cut short (a crash, a power cut or an interrupted "
        f"restore); SQLite undid it from {journal.name}, so the file is back as it was before "
        "that change"
    )


def inspect_recovering(path: Path, *, integrity: bool) -> tuple[FileFacts, str | None]:
    """``inspect_file``, first undoing a write that was cut short; the note says if it was."""
    try:
        return inspect_file(path, integrity=integrity), None
    except InterruptedWriteError:
        note = finish_interrupted_write(path)
        return inspect_file(path, integrity=integrity), note
