"""The heavy part of ``dnt-desktop check`` on SQLite, run in worker processes.

Each call reads one window of ids through its own read-only connection and hashes it:
signed sessions (``signature_check`` builds the SQL) or a range of the audit chain
(``audit_chain``). Threads do not help here: every row fetched takes Python's lock, so
two threads mostly wait for each other; processes use every core. Standard library only,
so that a worker starts in a moment. The caller judges what the workers could not prove.

The same functions also run in the caller's process, on its own connection, for a small
database (starting processes would cost more than they save) and for PostgreSQL-free
unit use.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from dnt_desktop.storage.record_hashes import seal_of_text

MMAP_BYTES = 1 << 32
"""Workers read the file memory-mapped: much faster through an index than read calls."""
_connections: dict[str, sqlite3.Connection] = {}
T = TypeVar("T")


def _connection(source: str | sqlite3.Connection) -> sqlite3.Connection:
    """*source* itself, or this process's read-only connection to the URI *source*."""
    if isinstance(source, sqlite3.Connection):
        return source
    conn = _connections.get(source)
    if conn is None:
        conn = sqlite3.connect(source, uri=True, check_same_thread=False)
        conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        _connections[source] = conn
    return conn


@dataclass(frozen=True)
class SessionStatements:
    """The SQL of one window of signed sessions (``signature_check``)."""

    sessions: str
    """(id, content hash, the session's own JSON or NULL) of the signed sessions."""
    lists: tuple[str, ...]
    """(session id, JSON list or NULL) per list of the content, in ``keys`` order."""
    keys: tuple[str, ...]
    """The content document's keys, sorted; "session" is the session's own JSON."""
    acknowledgements: str
    signatures: str
    """(session id, "event:seal event:seal") of the signature events."""


def hash_sessions(
    source: str | sqlite3.Connection, sql: SessionStatements, low: int, high: int
) -> list[tuple[int, str | None, str | None, str | None, str | None]]:
    """Each signed session with id in [low, high): (id, stored content hash, content hash
    of the SQL-built text or None, seal or None, its signature events as text)."""
    conn = _connection(source)
    sessions = conn.execute(sql.sessions, (low, high)).fetchall()
    lists = [dict(conn.execute(statement, (low, high)).fetchall()) for statement in sql.lists]
    acks = dict(conn.execute(sql.acknowledgements, (low, high)).fetchall())
    signatures = dict(conn.execute(sql.signatures, (low, high)).fetchall())
    own_at = sql.keys.index("session")
    getters = [found_list.get for found_list in lists]
    before, after = getters[:own_at], getters[own_at:]
    template = "{" + ",".join(f'"{key}":%s' for key in sql.keys) + "}"
    sha256 = hashlib.sha256
    get_acks, get_signatures = acks.get, signatures.get
    found = []
    for session_id, stored, own in sessions:
        parts = (
            *[get(session_id, "[]") for get in before],
            own,
            *[get(session_id, "[]") for get in after],
        )
        computed = None if None in parts else sha256((template % parts).encode()).hexdigest()
        ack_text = get_acks(session_id, "[]")
        seal = None if ack_text is None else seal_of_text(stored, ack_text)
        found.append((session_id, stored, computed, seal, get_signatures(session_id)))
    return found


@dataclass
class ChainPart:
    """What one range of the audit chain holds; ranges are joined by ``prev_hash``."""

    count: int = 0
    first: tuple[int, str, str] | None = None
    """(id, prev_hash, row_hash) of the range's first row."""
    last: tuple[int, str] | None = None
    """(id, row_hash) of its last row."""
    broken: list[tuple[int, int]] = field(default_factory=list)
    """(id, previous id) of rows that do not follow the row before them."""
    altered: list[int] = field(default_factory=list)
    unproven: list[int] = field(default_factory=list)
    """Rows whose stored values the SQL text does not cover: to hash the typed way."""
    hashes: dict[int, str] = field(default_factory=dict)


def verify_chain_range(
    source: str | sqlite3.Connection, statement: str, low: int, high: int, wanted: frozenset[int]
) -> ChainPart:
    """Verify the audit rows with id in [low, high); *statement* gives (id, prev_hash,
    row_hash, hashed text or NULL) in id order (``audit_chain``)."""
    conn = _connection(source)
    part = ChainPart()
    sha256 = hashlib.sha256
    prev: str | None = None
    previous_id = 0
    cursor = conn.execute(statement, (low, high))
    while batch := cursor.fetchmany(5000):
        for event_id, prev_hash, row_hash, content in batch:
            if part.first is None:
                part.first = (event_id, prev_hash, row_hash)
            elif prev_hash != prev:
                part.broken.append((event_id, previous_id))
            if content is None:
                part.unproven.append(event_id)
            elif sha256(content.encode("utf-8")).hexdigest() != row_hash:
                part.altered.append(event_id)
            if event_id in wanted:
                part.hashes[event_id] = row_hash
            prev, previous_id = row_hash, event_id
            part.count += 1
    if part.first is not None and prev is not None:
        part.last = (previous_id, prev)
    return part


class Runner:
    """Runs the functions above in worker processes, or here on the caller's connection.

    *processes* (with the file's read-only *uri*) is a process pool; without one the
    work is done when it is asked for, on *local*, the caller's own connection.
    """

    def __init__(
        self,
        local: sqlite3.Connection,
        uri: str | None = None,
        processes: Executor | None = None,
    ) -> None:
        self.local = local
        self.uri = uri if processes is not None else None
        self.processes = processes

    @property
    def parallel(self) -> bool:
        """True when the work runs in worker processes."""
        return self.uri is not None

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """``fn(source, *args)`` in a worker, or done at once here."""
        if self.processes is not None and self.uri is not None:
            return self.processes.submit(fn, self.uri, *args)
        done: Future[T] = Future()
        try:
            done.set_result(fn(self.local, *args))
        except BaseException as exc:  # handed to whoever asks for the result
            done.set_exception(exc)
        return done
