"""Writing the demo's chunks: one transaction each, one ``executemany`` per table.

On SQLite the tuples of ``demo.rows`` go straight to the driver's cursor (they are
already what the columns store), the children before their session with the foreign
keys checked at the commit (``PRAGMA defer_foreign_keys``), so that a signed session is
inserted signed once its children are in, as signing leaves it. Each signature's audit
event is chained onto the trail as ``services.audit`` does.

Only a database that holds no patient and no session yet (a demo file being built) is
written with ``synchronous = OFF`` and a large page cache; both are set back to the app's
settings and the file checkpointed with ``synchronous = FULL`` before it is handed over
(``BulkWriter.finish``). A database that holds records is written with the app's own
settings.

On PostgreSQL (and any other back end) the rows go through the columns' bind processors
as the app's Core inserts do, each session inserted as a draft and signed once its
children are in (the signed-session triggers refuse children of a signed session).
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, insert
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, TreatmentSession, utcnow
from dnt_desktop.services import audit
from dnt_desktop.storage.engine import Database

from .rows import TABLES, Chunk

BUILD_CACHE_KIB = 256 * 1024
"""The page cache while a new demo file is built (256 MB; SQLite's default is 2 MB)."""
APP_SYNCHRONOUS = "FULL"
"""What ``storage.engine`` sets on every connection, restored after the build."""
CHILD_TABLES = ("session_condition", "session_adjunct", "needling_point", "side_effect")
_AUDIT_COLUMNS = (
    "occurred_at",
    "actor_id",
    "action",
    "entity_type",
    "entity_id",
    "patient_id",
    "summary",
    "workstation",
    "prev_hash",
    "row_hash",
    "record_hash",
)
_PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_SIGNED_FIELDS = ("status", "signed_at", "signed_by_id", "content_hash")


def _insert_sql(table: str, columns: tuple[str, ...], mark: str = "?") -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([mark] * len(columns))})"


class BulkWriter:
    """Writes chunks to *db*; ``build`` when the database holds no records yet."""

    def __init__(self, db: Database, *, build: bool) -> None:
        self.db = db
        self.sqlite = db.is_sqlite
        self.build = build and self.sqlite
        self._tuned: dict[int, tuple[sqlite3.Connection, int]] = {}
        if self.build:  # outside any transaction: SQLite refuses the change inside one
            with db.engine.connect() as connection:
                self._tune(connection.connection.driver_connection)

    def write(self, chunk: Chunk) -> None:
        """Insert one chunk and its signatures' audit events in one transaction."""
        with self.db.transaction() as session:
            if self.sqlite:
                self._write_sqlite(session.connection(), chunk)
            else:
                self._write_generic(session, chunk)

    # SQLite: the driver's cursor, values as stored

    def _write_sqlite(self, connection: Connection, chunk: Chunk) -> None:
        raw = connection.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        cursor = raw.cursor()
        try:
            cursor.execute("PRAGMA defer_foreign_keys = ON")  # until this commit
            rows = chunk.rows
            for table in (
                "patient",
                "screening",
                "screening_answer",
                "consent",
                *CHILD_TABLES,
                "treatment_session",
            ):
                if rows[table]:
                    cursor.executemany(_insert_sql(table, TABLES[table]), rows[table])
            if chunk.signatures:
                cursor.execute("SELECT row_hash FROM audit_event ORDER BY id DESC LIMIT 1")
                last = cursor.fetchone()
                prev = audit.GENESIS_HASH if last is None else str(last[0])
                cursor.executemany(
                    _insert_sql("audit_event", _AUDIT_COLUMNS),
                    signature_events(prev, utcnow(), chunk.signatures),
                )
        finally:
            cursor.close()

    def _tune(self, raw: sqlite3.Connection) -> None:
        """The build's settings on *raw* (the pooled connection the writes will use; were
        it another, that one would simply write with the app's settings)."""
        (cache_size,) = raw.execute("PRAGMA cache_size").fetchone()
        raw.execute("PRAGMA synchronous = OFF")
        raw.execute(f"PRAGMA cache_size = -{BUILD_CACHE_KIB}")
        self._tuned[id(raw)] = (raw, int(cache_size))

    def finish(self) -> None:
        """Give every connection tuned for the build the app's settings back, and make the
        file durable (a checkpoint with ``synchronous = FULL``)."""
        tuned, self._tuned = self._tuned, {}
        for raw, cache_size in tuned.values():
            raw.execute(f"PRAGMA synchronous = {APP_SYNCHRONOUS}")
            raw.execute(f"PRAGMA cache_size = {cache_size}")
            if not raw.in_transaction:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    # Any other back end: through the bind processors, drafts signed after their children

    def _write_generic(self, session: Session, chunk: Chunk) -> None:
        connection = session.connection()
        rows = {table: as_values(table, found) for table, found in chunk.rows.items()}
        sessions = rows.pop("treatment_session")
        drafts = [
            row | {"status": "draft", "signed_at": None, "signed_by_id": None, "content_hash": None}
            for row in sessions
        ]
        for table in ("patient", "screening", "screening_answer", "consent"):
            insert_rows(connection, _table(table), rows[table])
        insert_rows(connection, _table("treatment_session"), drafts)
        for table in CHILD_TABLES:
            insert_rows(connection, _table(table), rows[table])
        _sign(connection, [row for row in sessions if row["status"] == "signed"])
        if chunk.signatures:
            events = [
                {
                    "actor_id": signer,
                    "action": "sign",
                    "entity_type": "session",
                    "entity_id": session_id,
                    "patient_id": patient_id,
                    "summary": summary,
                    "record_hash": sealed,
                }
                for session_id, patient_id, signer, summary, sealed in chunk.signatures
            ]
            insert_rows(connection, AuditEvent.__table__, audit.chained_rows(connection, events))
        _advance_id_sequences(connection)


def signature_events(
    prev: str, occurred_at: datetime, signatures: list[tuple[int, int, int, str, str]]
) -> list[tuple[object, ...]]:
    """The signatures' audit rows (``_AUDIT_COLUMNS``) as SQLite stores them, chained onto
    *prev* exactly as ``audit.chain_hash`` chains (a test compares the two)."""
    stamp = occurred_at.astimezone(UTC).replace(tzinfo=None)
    stored = stamp.isoformat(" ", "microseconds")
    hashed = occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f")
    workstation = audit.workstation()
    events = []
    for session_id, patient_id, signer, summary, sealed in signatures:
        text = "\x1f".join(
            (
                prev,
                hashed,
                str(signer or ""),
                "sign",
                "session",
                str(session_id),
                str(patient_id),
                summary,
                workstation,
                sealed,
            )
        )
        row_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        events.append(
            (
                stored,
                signer,
                "sign",
                "session",
                session_id,
                patient_id,
                summary,
                workstation,
                prev,
                row_hash,
                sealed,
            )
        )
        prev = row_hash
    return events


def _table(name: str) -> Table:
    from dnt_desktop.models import Base

    return Base.metadata.tables[name]


def as_values(table: str, rows: list[tuple[object, ...]]) -> list[dict[str, Any]]:
    """SQLite-form tuples of *table* as the Python values the app's columns take."""
    columns = TABLES[table]
    model = _table(table)
    converters = []
    for name in columns:
        kind = type(model.c[name].type).__name__
        converters.append(
            _aware
            if kind == "UTCDateTime"
            else _day
            if kind == "Date"
            else _flag
            if kind == "Boolean"
            else None
        )
    return [
        {
            name: value if convert is None or value is None else convert(value)
            for name, convert, value in zip(columns, converters, row, strict=True)
        }
        for row in rows
    ]


def _aware(value: Any) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _day(value: Any) -> date:
    return date.fromisoformat(value)


def _flag(value: Any) -> bool:
    return bool(value)


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert *rows* (all with the same keys) with one DB-API executemany.

    Values go through the columns' own bind processors, as a Core insert would, but
    without its per-row parameter machinery.
    """
    if not rows:
        return
    placeholder = _PLACEHOLDERS.get(connection.dialect.paramstyle)
    if placeholder is None:  # another driver: let SQLAlchemy format the parameters
        connection.execute(insert(table), rows)
        return
    names = tuple(rows[0])
    processors = [table.c[name].type._cached_bind_processor(connection.dialect) for name in names]
    values = [
        tuple(
            row[name] if process is None else process(row[name])
            for name, process in zip(names, processors, strict=True)
        )
        for row in rows
    ]
    connection.exec_driver_sql(_insert_sql(table.name, names, placeholder), values)


def _sign(connection: Connection, signed: list[dict[str, Any]]) -> None:
    """Sign the drafts whose children are in (their final status, signer and hash)."""
    if not signed:
        return
    table: Table = TreatmentSession.__table__  # type: ignore[assignment]
    statement = (
        table.update()
        .where(table.c.id == bindparam("sid"))
        .values(
            updated_at=table.c.updated_at,
            **{name: bindparam(f"new_{name}") for name in _SIGNED_FIELDS},
        )
    )
    connection.execute(
        statement,
        [{"sid": row["id"], **{f"new_{n}": row[n] for n in _SIGNED_FIELDS}} for row in signed],
    )


_EXPLICIT_IDS = ("patient", "screening", "treatment_session")
"""Tables whose demo rows carry their own ids (children refer to them before inserting)."""


def _advance_id_sequences(connection: Connection) -> None:
    """On PostgreSQL, move the id sequences of _EXPLICIT_IDS past the ids written.

    Rows inserted with explicit ids do not advance a serial column's sequence: without
    this, the first patient registered after the demo would be given id 1 again and
    refused as a duplicate key. SQLite takes the next id from the table itself.
    """
    if connection.dialect.name != "postgresql":
        return
    advance_id_sequences(connection, _EXPLICIT_IDS)


def advance_id_sequences(connection: Connection, tables: tuple[str, ...]) -> None:
    """Move each table's id sequence past its largest id (PostgreSQL only)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        connection.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )
