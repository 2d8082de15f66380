"""Reading the audit trail's hash chain: every row verified, its first and last row known.

On SQLite each row's hashed text is put together in SQL and only hashed in Python, a
range of ids at a time (in worker processes for a large trail, ``check_workers``), and
the ranges are joined by their ``prev_hash``. A row whose stored values are not in the
form the app writes is hashed the portable way (typed columns through
``audit.row_hash``), which is also how PostgreSQL is read.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError

from dnt_desktop.models import AuditEvent
from dnt_desktop.storage.witness import Head

from .audit import GENESIS_HASH, row_hash
from .canonical_sql import STORED_TIMESTAMP
from .check_workers import ChainPart, Runner, verify_chain_range

_AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]


@dataclass
class Chain:
    """What reading the chain found."""

    problems: list[str] = field(default_factory=list)
    count: int = 0
    first: Head | None = None
    head: Head | None = None
    hashes: dict[int, str] = field(default_factory=dict)
    """The row hashes of the events asked for (``wanted``) that exist."""


_UNIT = "'\x1f'"
"""The separator of ``audit.chain_hash``'s parts, as a SQL literal (no char() call)."""


def _text(column: str) -> str:
    """*column* holds text (operators, not functions: this runs for every row)."""
    return f"{column} >= '' AND {column} < x''"  # numbers sort before text, blobs after


def _integer(column: str, nullable: bool = True) -> str:
    check = f"CAST({column} AS INTEGER) = {column}"
    return f"({column} IS NULL OR {check})" if nullable else check


_SQLITE_TEXT = (
    "SELECT id, prev_hash, row_hash, CASE WHEN "
    + " AND ".join(
        (
            _text("prev_hash"),
            f"occurred_at < x'' AND occurred_at GLOB '{STORED_TIMESTAMP}'",
            _integer("actor_id"),
            _text("action"),
            _text("entity_type"),
            _integer("entity_id"),
            _integer("patient_id"),
            _text("summary"),
            _text("workstation"),
            f"(record_hash IS NULL OR ({_text('record_hash')}))",
        )
    )
    + " THEN "
    + f" || {_UNIT} || ".join(
        (
            "prev_hash",
            "replace(occurred_at, ' ', 'T')",
            "CASE WHEN actor_id IS NULL OR actor_id = 0 THEN '' ELSE actor_id END",
            "action",
            "entity_type",
            "coalesce(entity_id, '')",
            "coalesce(patient_id, '')",
            "summary",
            "workstation",
        )
    )
    + f" || coalesce({_UNIT} || record_hash, '') END FROM audit_event "
    "WHERE id >= ? AND id < ? ORDER BY id"
)
"""Each row's id, prev_hash, row_hash and the text ``audit.chain_hash`` hashes (or NULL)."""


RANGE = 250_000
"""Audit event ids per range (one worker's share of a long trail)."""


def _typed_hash(connection: Connection, event_id: int) -> tuple[str | None, str | None]:
    """(recomputed, stored) row hash of one event read through its typed columns."""
    try:
        row = connection.execute(select(_AUDIT).where(_AUDIT.c.id == event_id)).one()
        return row_hash(row, row.prev_hash), row.row_hash
    except (ValueError, TypeError, LookupError, AttributeError, DBAPIError):
        return None, ""


def _typed_rows(connection: Connection) -> Iterator[tuple[int, str, str, Any]]:
    result = connection.execution_options(yield_per=2000).execute(
        select(_AUDIT).order_by(_AUDIT.c.id)
    )
    for row in result:
        yield row.id, row.prev_hash, row.row_hash, row


def start_chain(
    connection: Connection, wanted: Collection[int] = (), runner: Runner | None = None
) -> list[Future[ChainPart]]:
    """On SQLite: begin verifying the chain in ranges (``read_chain`` collects them)."""
    low, high = connection.execute(select(func.min(_AUDIT.c.id), func.max(_AUDIT.c.id))).one()
    if low is None:
        return []
    runner = runner or Runner(connection.connection.driver_connection)  # type: ignore[arg-type]
    size = RANGE if runner.parallel else high - low + 1
    return [
        runner.submit(verify_chain_range, _SQLITE_TEXT, start, start + size, frozenset(wanted))
        for start in range(low, high + 1, size)
    ]


def read_chain(
    connection: Connection,
    wanted: Collection[int] = (),
    started: list[Future[ChainPart]] | None = None,
) -> Chain:
    """Verify every row of the chain in id order, inside the caller's read transaction.

    Reports a row whose content no longer matches its hash ("content altered") and a row
    that does not follow the one before it ("chain broken", a row removed or inserted).
    A row removed from the *end* leaves a sound chain: compare ``head`` with a head kept
    outside the database (the witness, a backup's head record, a printed ``check``).
    On SQLite *started* are the ranges ``start_chain`` began (else they begin here).
    """
    if connection.dialect.name != "sqlite":
        return _typed_chain(connection, wanted)
    if started is None:
        started = start_chain(connection, wanted)
    chain = Chain()
    found: list[tuple[int, int, str]] = []
    previous: tuple[int, str] = (0, GENESIS_HASH)
    for future in started:
        part = future.result()
        if part.first is None or part.last is None:
            continue
        first_id, first_prev, first_hash = part.first
        if first_prev != previous[1]:
            found.append(
                (first_id, 0, f"audit event {first_id}: chain broken after event {previous[0]}")
            )
        found += [(i, 0, f"audit event {i}: chain broken after event {p}") for i, p in part.broken]
        found += [(i, 1, f"audit event {i}: content altered") for i in part.altered]
        for event_id in part.unproven:
            computed, stored = _typed_hash(connection, event_id)
            if computed != stored:
                found.append((event_id, 1, f"audit event {event_id}: content altered"))
        if chain.first is None:
            chain.first = Head(first_id, first_hash)
        chain.count += part.count
        chain.hashes.update(part.hashes)
        previous = part.last
    chain.problems = [message for _i, _o, message in sorted(found)]
    if previous[0]:
        chain.head = Head(*previous)
    return chain


def _typed_chain(connection: Connection, wanted: Collection[int]) -> Chain:
    """The chain read through typed rows (PostgreSQL)."""
    chain = Chain()
    prev, previous_id = GENESIS_HASH, 0
    stored_hash = ""
    for event_id, prev_hash, stored_hash, row in _typed_rows(connection):
        try:
            computed: str | None = row_hash(row, row.prev_hash)
        except (ValueError, TypeError, AttributeError):
            computed = None
        if prev_hash != prev:
            chain.problems.append(f"audit event {event_id}: chain broken after event {previous_id}")
        if computed != stored_hash:
            chain.problems.append(f"audit event {event_id}: content altered")
        if chain.first is None:
            chain.first = Head(event_id, stored_hash)
        if event_id in wanted:
            chain.hashes[event_id] = stored_hash
        chain.count += 1
        prev, previous_id = stored_hash, event_id
    if previous_id:
        chain.head = Head(previous_id, stored_hash)
    return chain
