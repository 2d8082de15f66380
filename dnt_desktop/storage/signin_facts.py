"""What the sign-in dialog shows, read before the app loads SQLAlchemy.

The dialog needs only the clinic's name, and it can come first only when the file is a
set-up clinic database with an active account: then the user types the password while
the app loads and opens the database (``ui.app``). Anything else (no file, an empty,
foreign or damaged one, a network share, one to migrate or at an unknown schema, a place
where nothing can be saved, no clinic or no active account yet) gives None, and the app
starts in the usual order, which reports, migrates or sets up what it finds: the dialog
never shows for a file the app then refuses.

Read-only through SQLite like every look at the file (``probe.read_file``); only the
standard library is imported.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .errors import StorageError
from .local_disk import check_local_path
from .probe import read_file
from .readonly import file_kind
from .writable import why_not_writable

NEEDED_TABLES = frozenset({"alembic_version", "clinic", "practitioner"})
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"


def newest_revision() -> str:
    """The newest migration's revision, by its script's name (``NNNN_what_it_does.py``)."""
    return max((p.name.split("_", 1)[0] for p in VERSIONS.glob("[0-9]*_*.py")), default="")


def _read(conn: sqlite3.Connection) -> str | None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables >= NEEDED_TABLES:
        return None
    revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if revision is None or str(revision[0]) != newest_revision():
        return None
    clinic = conn.execute("SELECT name FROM clinic ORDER BY id LIMIT 1").fetchone()
    active = conn.execute("SELECT 1 FROM practitioner WHERE active LIMIT 1").fetchone()
    if clinic is None or active is None:
        return None
    return str(clinic[0] or "")


def sign_in_facts(path: Path) -> str | None:
    """The clinic's name when *path* is a set-up database with an active account; None
    when the usual start must look at the file first."""
    try:
        check_local_path(path)
        info = file_kind(path)
        if info is None or info.st_size == 0 or why_not_writable(path) is not None:
            return None
        return read_file(path, _read)
    except (StorageError, sqlite3.Error, OSError):
        return None
