"""Opening the database: SQLite pragmas, explicit transactions, and friendly errors."""

from __future__ import annotations

import random
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from . import readonly
from .errors import (
    ConcurrentChangeError,
    DatabaseBusyError,
    DatabaseWriteError,
    StorageError,
    WritesStoppedError,
)
from .location import sqlite_path
from .witness import Witness, location_of

BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "dnt_write"
PROTECTED_MARKERS = ("signed sessions cannot be changed", "append-only and cannot be changed")
"""Messages of the database triggers that guard signed sessions and the audit trail."""
SERVER_UNREACHABLE_MARKERS = (
    "connection failed",
    "could not connect",
    "server closed the connection",
    "terminating connection",
    "consuming input failed",
)
"""PostgreSQL (libpq) messages of a server that cannot be reached or went away."""

T = TypeVar("T")


def _configure_sqlite(engine: Engine) -> None:
    """SQLAlchemy's pysqlite recipe: the app, not the driver, emits BEGIN.

    Writes start with ``BEGIN IMMEDIATE`` so that two writers queue on the busy timeout
    instead of one failing later with SQLITE_BUSY_SNAPSHOT.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = FULL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _count_connections(engine: Engine, path: Path) -> None:
    """Keep ``readonly.connections_here`` right: while this process has the file open,
    it is read only through SQLite's locks, never as an immutable snapshot."""

    @event.listens_for(engine, "connect")
    def _opened(_dbapi_connection: Any, _record: Any) -> None:
        readonly.connection_opened(path)

    @event.listens_for(engine, "close")
    def _closed(_dbapi_connection: Any, _record: Any) -> None:
        readonly.connection_closed(path)

    @event.listens_for(engine, "close_detached")
    def _closed_detached(_dbapi_connection: Any) -> None:
        readonly.connection_closed(path)


WRITE_LOCK_KEY = 0x444E5457
"""PostgreSQL advisory lock ("DNTW") that every write transaction holds, as BEGIN IMMEDIATE."""
LOCK_TIMEOUT_MS = BUSY_TIMEOUT_MS


def _configure_postgresql(engine: Engine) -> None:
    """Writes queue one after another on PostgreSQL too, as on SQLite.

    A write transaction first takes a transaction-scoped advisory lock, so that what it
    read (the next chart number, an account's failed sign-ins, a version) cannot change
    under it before it commits; two workstations registering at once would otherwise be
    given the same chart number. A write waits at most LOCK_TIMEOUT_MS for a lock, then
    fails as "busy" (and is retried) instead of hanging behind a stuck workstation.
    """

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(_WRITE_OPTION, False):
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {LOCK_TIMEOUT_MS}")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def translate_error(exc: BaseException) -> StorageError | None:
    """A user-facing StorageError for a database failure, or None if it is a bug."""
    if isinstance(exc, StorageError):
        return exc
    if isinstance(exc, StaleDataError):
        return ConcurrentChangeError(
            "This record was changed on another workstation after you opened it. "
            "Your entries are still on screen: copy what you need, reopen the record and "
            "enter them again."
        )
    if isinstance(exc, OperationalError | DBAPIError):
        text = str(getattr(exc, "orig", exc)).lower()
        if any(marker in text for marker in PROTECTED_MARKERS):
            return StorageError(
                "This record is signed (or part of the audit trail) and the database refused "
                "to change it. Nothing was saved: add an amendment instead."
            )
        if any(word in text for word in ("locked", "busy", "lock timeout", "deadlock detected")):
            return DatabaseBusyError(
                "The database is busy (another workstation or program is saving). "
                "Nothing was lost: try again in a moment."
            )
        if ("disk" in text and ("full" in text or "i/o" in text)) or "readonly" in text:
            return DatabaseWriteError(
                f"The save could not be written ({text}). Nothing on screen was lost: free disk "
                "space or check the drive, then save again."
            )
        if "malformed" in text or "not a database" in text:
            return StorageError(
                f"The database file is damaged ({text}). Restore the latest backup."
            )
        if "unable to open" in text:
            return StorageError(f"The database file cannot be opened ({text}).")
        if any(marker in text for marker in SERVER_UNREACHABLE_MARKERS):
            detail = " ".join(str(getattr(exc, "orig", exc)).split())
            return StorageError(
                f"Cannot connect to the database server ({detail}). Nothing on screen was lost: "
                "check that the server is running, that this computer is on the clinic network "
                "and that the database address is right, then try again."
            )
    return None


class Database:
    """An open database: read sessions, write transactions and its location."""

    def __init__(self, url: URL, *, engine: Engine | None = None) -> None:
        self.url = url
        self.path: Path | None = sqlite_path(url)
        if engine is None:
            if url.get_backend_name() == "sqlite":
                engine = create_engine(
                    url,
                    connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
                    pool_pre_ping=False,
                )
                _configure_sqlite(engine)
                if self.path is not None:
                    _count_connections(engine, self.path)
            else:
                engine = create_engine(url, pool_pre_ping=True)
                if url.get_backend_name() == "postgresql":
                    _configure_postgresql(engine)
        self.engine = engine
        location = location_of(url)
        self.witness: Witness | None = Witness(location) if location else None
        """This computer's witness of the audit trail's head (``storage.witness``)."""
        self._read_factory = sessionmaker(engine, expire_on_commit=False)
        self._write_factory = sessionmaker(
            engine.execution_options(**{_WRITE_OPTION: True}), expire_on_commit=False
        )
        self.writes_stopped: str | None = None
        """Why saving is stopped (the full check found a problem); None while it is not."""
        self._verdict = threading.Event()
        self._verdict.set()
        self.verdict_waiter: Callable[[Callable[[], bool]], None] | None = None
        """How the GUI thread waits for a held write: called with a "verdict is in" test,
        it returns once that is True (the app shows that the save is held meanwhile)."""
        self._on_dispose: list[Callable[[], None]] = []

    def stop_writes(self, message: str) -> None:
        """Refuse every write transaction from now on, with *message* (what to do)."""
        self.writes_stopped = message

    def hold_writes(self) -> None:
        """Make every write transaction wait until ``give_verdict`` (the file is being
        checked; reading goes on)."""
        self._verdict.clear()

    def give_verdict(self, stopped: str | None = None) -> None:
        """Let the held writes go on, or refuse them all with *stopped* (what to do)."""
        if stopped is not None:
            self.stop_writes(stopped)
        self._verdict.set()

    @property
    def writes_held(self) -> bool:
        """True while writes wait for the file check's verdict."""
        return not self._verdict.is_set()

    def wait_for_verdict(self) -> None:
        """Return once writes are no longer held (at once when they are not)."""
        if not self._verdict.is_set():
            self._await_verdict()

    def _await_verdict(self) -> None:
        waiter = self.verdict_waiter
        if waiter is not None and threading.current_thread() is threading.main_thread():
            waiter(self._verdict.is_set)
        self._verdict.wait()

    def when_disposed(self, action: Callable[[], None]) -> None:
        """Run *action* when the database is disposed (e.g. stop a check reading the file)."""
        self._on_dispose.append(action)

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded SQLite back end."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def write_engine(self) -> Engine:
        """An engine whose transactions take the write lock at BEGIN."""
        return self.engine.execution_options(**{_WRITE_OPTION: True})

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries; it is closed (and its read transaction ended) on exit."""
        try:
            with self._read_factory() as session:
                yield session
        except (OperationalError, DBAPIError) as exc:
            raise (translate_error(exc) or exc) from exc

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One write transaction: committed on a normal exit, rolled back on any error.

        Database failures come out as StorageError subclasses with a message to show;
        once saving is stopped (``stop_writes``), WritesStoppedError before anything else.
        While writes are held (``hold_writes``: the file is being checked) it first waits
        for the verdict, and then begins or refuses. Once it has committed, the audit
        trail's new head is written to this computer's witness (``storage.witness``).
        """
        self.wait_for_verdict()
        if self.writes_stopped is not None:
            raise WritesStoppedError(self.writes_stopped)
        head = None
        try:
            with self._write_factory() as session, session.begin():
                yield session
                if self.witness is not None:
                    head = self.witness.head_in(session.connection())
        except (OperationalError, DBAPIError, StaleDataError) as exc:
            raise (translate_error(exc) or exc) from exc
        if head is not None and self.witness is not None:
            self.witness.record(head)

    def run_in_transaction(
        self, fn: Callable[[Session], T], *, retries: int = 3, base_delay: float = 0.05
    ) -> T:
        """Run ``fn(session)`` in one write transaction, retrying when the database is busy.

        Each attempt is a fresh transaction (a busy one was rolled back), so *fn* must do
        nothing but database work. After *retries* retries, spaced by a growing random
        delay, the DatabaseBusyError ("busy, try again") reaches the caller.
        """
        attempt = 0
        while True:
            try:
                with self.transaction() as session:
                    return fn(session)
            except DatabaseBusyError:
                if attempt >= retries:
                    raise
                time.sleep(random.uniform(base_delay, 3 * base_delay) * 2**attempt)
                attempt += 1

    def dispose(self) -> None:
        """Close every pooled connection (SQLite then checkpoints and removes its WAL)."""
        actions, self._on_dispose = self._on_dispose, []
        for action in actions:
            action()
        if self.writes_held:  # nothing waits for a verdict that will never come
            self.give_verdict("The database was closed before its check had finished.")
        self.engine.dispose()
