"""Writing the audit trail: one hash-chained row per change, in the change's transaction.

A signature and an amendment also carry the hash of the signed record (``record_hash``,
see ``signing.seal`` and ``signing.amendment_hash``): the chain then vouches for every
signed session and amendment, and ``dnt-desktop check`` compares the two.
"""

from __future__ import annotations

import hashlib
import socket
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, utcnow

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x444E5441
"""PostgreSQL advisory lock that serialises appends to the chain ("DNTA")."""
SIGNATURE_ACTIONS = ("sign", "sign_baseline")
"""Audit actions whose ``record_hash`` is the seal of the signed session ``entity_id``."""
AMENDMENT_ACTIONS = ("amend", "amend_baseline")
"""Audit actions whose ``record_hash`` is the hash of an amendment of session ``entity_id``."""
DISPOSE_SESSION_ACTION = "dispose_session"
"""A disposal anonymised signed session ``entity_id``; ``record_hash`` is its new seal."""
DISPOSE_AMENDMENT_ACTION = "dispose_amendment"
"""A disposal anonymised an amendment of session ``entity_id``; ``record_hash`` is its new
hash. Once a session has such events, they alone vouch for its amendments."""


def chain_hash(
    prev_hash: str,
    occurred_at: datetime,
    actor_id: int | None,
    action: str,
    entity_type: str,
    entity_id: int | None,
    patient_id: int | None,
    summary: str,
    workstation: str,
    record_hash: str | None = None,
) -> str:
    """The SHA-256 over an audit row's content and the previous row's hash.

    The row id is not part of it (it is known only after the insert, and rows are never
    updated); a removed or reordered row still breaks the chain through ``prev_hash``.
    A ``record_hash`` is appended only when there is one, so rows written before it
    existed keep their hashes.
    """
    parts = [
        prev_hash,
        occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        str(actor_id or ""),
        action,
        entity_type,
        str(entity_id if entity_id is not None else ""),
        str(patient_id if patient_id is not None else ""),
        summary,
        workstation,
    ]
    if record_hash is not None:
        parts.append(record_hash)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def row_hash(event: Any, prev_hash: str) -> str:
    """``chain_hash`` of a stored audit row (an AuditEvent or a row with its columns)."""
    return chain_hash(
        prev_hash,
        event.occurred_at,
        event.actor_id,
        event.action,
        event.entity_type,
        event.entity_id,
        event.patient_id,
        event.summary,
        event.workstation,
        event.record_hash,
    )


_WORKSTATION = socket.gethostname()[:100]


def workstation() -> str:
    """This computer's name as the audit trail records it (at most 100 characters)."""
    return _WORKSTATION


_AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
_LAST_HASH = select(_AUDIT.c.row_hash).order_by(_AUDIT.c.id.desc()).limit(1)
_INSERT = insert(_AUDIT)
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    *,
    entity_type: str = "",
    entity_id: int | None = None,
    patient_id: int | None = None,
    summary: str = "",
    record_hash: str | None = None,
) -> int:
    """Append an audit event inside the caller's transaction; returns its id.

    The session's pending changes are flushed first, so the event follows the change it
    records. SQLite's BEGIN IMMEDIATE serialises writers; on PostgreSQL a transaction-scoped
    advisory lock does, so two workstations never chain onto the same previous row.
    """
    session.flush()
    return _append(
        session.connection(),
        actor_id,
        action,
        entity_type=entity_type,
        entity_id=entity_id,
        patient_id=patient_id,
        summary=summary,
        record_hash=record_hash,
    )


def _append(
    connection: Connection,
    actor_id: int | None,
    action: str,
    *,
    entity_type: str = "",
    entity_id: int | None = None,
    patient_id: int | None = None,
    summary: str = "",
    record_hash: str | None = None,
) -> int:
    """As ``record``, on the connection of a write transaction (no ORM); returns the id."""
    prev = _last_hash(connection)
    values = _chained(
        prev,
        utcnow(),
        {
            "actor_id": actor_id,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "patient_id": patient_id,
            "summary": summary,
            "record_hash": record_hash,
        },
    )
    if record_hash is None:  # left out, not NULL: a database before 0005 has no such column
        del values["record_hash"]
    return int(connection.execute(_INSERT, values).inserted_primary_key[0])


def _last_hash(connection: Connection) -> str:
    """The chain's last row hash, with the chain locked for this transaction on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        connection.execute(_CHAIN_LOCK, {"key": CHAIN_LOCK_KEY})
    prev = connection.execute(_LAST_HASH).scalar()
    return GENESIS_HASH if prev is None else str(prev)


def _chained(prev: str, occurred_at: datetime, event: dict[str, Any]) -> dict[str, Any]:
    """The full row of *event* (actor_id, action, ... record_hash) chained onto *prev*."""
    summary = str(event.get("summary", ""))[:2000]
    values = {
        "occurred_at": occurred_at,
        "actor_id": event.get("actor_id"),
        "action": event["action"],
        "entity_type": event.get("entity_type", ""),
        "entity_id": event.get("entity_id"),
        "patient_id": event.get("patient_id"),
        "summary": summary,
        "workstation": _WORKSTATION,
        "prev_hash": prev,
        "record_hash": event.get("record_hash"),
    }
    values["row_hash"] = chain_hash(
        prev,
        occurred_at,
        values["actor_id"],
        values["action"],
        values["entity_type"],
        values["entity_id"],
        values["patient_id"],
        summary,
        _WORKSTATION,
        values["record_hash"],
    )
    return values


def chained_rows(connection: Connection, events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Many events (dicts of ``record``'s arguments) as chained rows, for one bulk insert.

    Call inside the write transaction that inserts them, and insert them in this order
    before anything else is appended: each row chains onto the one before.
    """
    prev = _last_hash(connection)
    occurred_at = utcnow()
    rows = []
    for event in events:
        row = _chained(prev, occurred_at, event)
        rows.append(row)
        prev = row["row_hash"]
    return rows


def verify_chain(session: Session) -> list[str]:
    """Problems found in the audit chain (altered, inserted or removed rows); empty if sound."""
    from .audit_chain import read_chain

    return read_chain(session.connection()).problems
