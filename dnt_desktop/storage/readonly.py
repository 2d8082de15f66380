"""Reading a SQLite file without changing it, creating anything beside it, or touching locks.

The app never opens a database file (or its ``-wal``, ``-shm`` or ``-journal``) except
through SQLite. SQLite's locks are POSIX advisory locks, which belong to the *process*:
closing any other handle on the same file silently drops every lock the process's SQLite
connections hold (sqlite.org, "How To Corrupt An SQLite Database File", 2.2). Another
program then takes the database for unused, checkpoints it and deletes its ``-wal`` under
the running app, and the app's later commits are lost. A second SQLite connection in the
same process is safe: SQLite keeps one record per file for the whole process, and a
connection that closes while another holds locks on the file keeps its descriptor open
until the last lock is gone.

Only the standard library is imported: the app checks its file before it loads SQLAlchemy.

How a file is read (``ReadOnlyView``)
--------------------------------------
``mode=ro`` opens the file read-only through the normal locking protocol, but on a file in
WAL mode SQLite still creates an empty ``-wal`` and a 32 KiB ``-shm`` beside it (and cannot
open it at all where they cannot be created: a read-only drive). So a view picks one of
three ways, the first that is exact:

``immutable``
    ``immutable=1`` reads the main file alone, with no locks and no side files. It is
    exact when the main file holds every committed change and nothing writes to it during
    the read, which is known when all of these hold:

    1. No connection to the file is open in this process (``connections_here``). Our own
       connections may hold changes in the ``-wal`` that the main file does not have yet.
       So immutable is for looking at a file *before* the process opens it (the start-up
       check, ``check``, a backup file), never after.
    2. No ``-wal`` with changes, ``-shm`` or ``-journal`` is beside the file. A WAL
       connection anywhere keeps its ``-wal`` and ``-shm`` for as long as it is open, and
       the last one to close copies every change into the main file before it deletes
       them; a rollback writer keeps a ``-journal`` while it changes the file.
    3. The file is the same after the read (``unchanged``): same inode, size,
       modification and change times, and the same side files. A writer that arrived
       during the read changed at least one of them; the read is then done again through
       SQLite's locks, or reported as "changed while it was being checked".

``private_wal``
    A ``-wal`` holding changes but no ``-shm``: left by a crash (or copied there), and used
    by nobody, since every WAL connection keeps a ``-shm``. SQLite reads it without
    creating a ``-shm`` when the connection uses exclusive locking mode (the WAL index is
    then kept in memory) on the VFS without locks. That VFS closes its file handles
    without regard for other connections' locks, so it too is used only when no
    connection to the file is open in this process, and checked with ``unchanged``.

``mode=ro``
    Everything else (the file is in use here or elsewhere, or a rollback journal is
    beside it): the side files exist already, so nothing new is created, and SQLite's
    locks coordinate with the other connections.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from .errors import NotADatabaseError, StorageError

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
WAL_HEADER_SIZE = 32
"""A ``-wal`` no longer than its header holds no change."""

_here: Counter[str] = Counter()
_here_lock = threading.Lock()


def _key(path: Path) -> str:
    return os.path.normcase(os.path.realpath(path))


def connection_opened(path: Path) -> None:
    """Note that this process opened a read-write connection to *path* (see the engine)."""
    with _here_lock:
        _here[_key(path)] += 1


def connection_closed(path: Path) -> None:
    """Note that one of this process's connections to *path* was closed."""
    with _here_lock:
        key = _key(path)
        _here[key] -= 1
        if _here[key] <= 0:
            del _here[key]


def connections_here(path: Path) -> int:
    """How many read-write connections this process has open on *path*."""
    with _here_lock:
        return _here.get(_key(path), 0)


def side_file(path: Path, suffix: str) -> Path:
    """``PATH-wal``, ``PATH-shm`` or ``PATH-journal``."""
    return Path(f"{path}{suffix}")


def side_files(path: Path) -> dict[str, int]:
    """The side files beside *path* and their sizes (by ``stat``: no file is opened)."""
    found = {}
    for suffix in SIDE_SUFFIXES:
        try:
            found[suffix] = side_file(path, suffix).stat().st_size
        except OSError:
            continue
    return found


def wal_has_changes(path: Path) -> bool:
    """True when a ``-wal`` beside *path* holds changes (more than its header)."""
    return side_files(path).get("-wal", 0) > WAL_HEADER_SIZE


def file_kind(path: Path) -> os.stat_result | None:
    """The ``stat`` of the regular file at *path*; None when there is nothing at all.

    Raises for what must never be opened as a database: a link whose target is missing
    (a new database would be created at the far end), a folder, or a named pipe, socket
    or device (opening a named pipe waits for a writer forever).
    """
    try:
        link = path.lstat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StorageError(f"Cannot look at {path}: {exc.strerror or exc}.") from exc
    try:
        info = path.stat()
    except FileNotFoundError:
        if stat.S_ISLNK(link.st_mode):
            try:
                target = os.readlink(path)
            except OSError:
                target = "a file"
            raise StorageError(
                f"{path} is a link to {target}, which does not exist (a drive or share that "
                "is not connected?). Nothing was created there: connect the drive, or choose "
                "the database file with --db."
            ) from None
        return None
    except OSError as exc:
        raise StorageError(f"Cannot look at {path}: {exc.strerror or exc}.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise NotADatabaseError(f"{path} is a folder, not a database file.")
    if not stat.S_ISREG(info.st_mode):
        kind = (
            "a named pipe"
            if stat.S_ISFIFO(info.st_mode)
            else "a socket"
            if stat.S_ISSOCK(info.st_mode)
            else "a device"
        )
        raise NotADatabaseError(
            f"{path} is not a file but {kind}, so it is not a dnt-desktop database. Nothing "
            "was read from it or changed; choose the database file with --db."
        )
    return info


@dataclass(frozen=True)
class FileState:
    """What ``stat`` says about a file and its side files: equal states, no writer between."""

    device: int
    inode: int
    size: int
    modified_ns: int
    changed_ns: int
    sides: tuple[tuple[str, int], ...]


def file_state(path: Path) -> FileState | None:
    """The state of the file at *path* (None when it is gone); never opens it."""
    try:
        info = path.stat()
    except OSError:
        return None
    sides = tuple(sorted(side_files(path).items()))
    return FileState(
        info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns, sides
    )


def readonly_uri(path: Path, *, immutable: bool = False) -> str:
    """A ``file:`` URI that opens *path* read-only (``immutable``: see the module's notes)."""
    query = "immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(Path(path).absolute()))}?{query}"


IMMUTABLE = "immutable"
PRIVATE_WAL = "private_wal"
LOCKED = "mode=ro"
_NO_LOCK_VFS = "win32-none" if os.name == "nt" else "unix-none"


def _how_to_read(path: Path, before: FileState | None) -> str:
    """Which way of reading *path* is exact now (see the module's notes)."""
    if before is None or connections_here(path):
        return LOCKED
    sides = dict(before.sides)
    if not sides or sides == {"-wal": sides.get("-wal", 0)}:
        return PRIVATE_WAL if sides.get("-wal", 0) > WAL_HEADER_SIZE else IMMUTABLE
    return LOCKED


class ReadOnlyView:
    """One way of reading *path* (see the module's notes): immutable, private WAL or locked.

    ``connect()`` gives SQLite connections that can only read; ``unchanged()`` says whether
    what they read can be trusted (always True for ``mode=ro``).
    """

    def __init__(self, path: Path, *, how: str | None = None) -> None:
        self.path = Path(path).absolute()
        self.before = file_state(self.path)
        self.how = how or _how_to_read(self.path, self.before)

    @property
    def immutable(self) -> bool:
        """True when the file is read without SQLite's locks (immutable or private WAL)."""
        return self.how != LOCKED

    @property
    def shareable(self) -> bool:
        """True when another process reads the file the same way by ``uri`` alone (the
        private WAL index needs a pragma on every connection: this process reads it)."""
        return self.how != PRIVATE_WAL

    @property
    def uri(self) -> str:
        """The URI every connection of this view opens."""
        if self.how == PRIVATE_WAL:
            return f"{readonly_uri(self.path)}&vfs={_NO_LOCK_VFS}"
        return readonly_uri(self.path, immutable=self.how == IMMUTABLE)

    def connect(self, timeout: float = 10.0) -> sqlite3.Connection:
        """A new read-only SQLite connection (the caller closes it)."""
        conn = sqlite3.connect(self.uri, uri=True, timeout=timeout, check_same_thread=False)
        if self.how == PRIVATE_WAL:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")  # the WAL index in memory
        return conn

    def unchanged(self) -> bool:
        """True unless the file was read without locks and changed since the view was made."""
        return not self.immutable or file_state(self.path) == self.before

    def locked(self) -> ReadOnlyView:
        """The same file read through SQLite's locks (after a lock-free read was spoiled)."""
        return ReadOnlyView(self.path, how=LOCKED)

    def main_file_alone(self) -> ReadOnlyView:
        """The main file without its ``-wal`` (to tell which of the two is at fault)."""
        return ReadOnlyView(self.path, how=IMMUTABLE)
