"""Writing the audit trail: one hash-chained row per change, in the change's transaction."""

from __future__ import annotations

import hashlib
import socket
from datetime import datetime

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, utcnow

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x444E5441
"""PostgreSQL advisory lock that serialises appends to the chain ("DNTA")."""


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
) -> str:
    """The SHA-256 over an audit row's content and the previous row's hash.

    The row id is not part of it (it is known only after the insert, and rows are never
    updated); a removed or reordered row still breaks the chain through ``prev_hash``.
    """
    parts = (
        prev_hash,
        occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        str(actor_id or ""),
        action,
        entity_type,
        str(entity_id if entity_id is not None else ""),
        str(patient_id if patient_id is not None else ""),
        summary,
        workstation,
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def row_hash(event: AuditEvent, prev_hash: str) -> str:
    """``chain_hash`` of a stored audit row."""
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
    )


_WORKSTATION = socket.gethostname()[:100]
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
) -> int:
    """As ``record``, on the connection of a write transaction (no ORM); returns the id."""
    if connection.dialect.name == "postgresql":
        connection.execute(_CHAIN_LOCK, {"key": CHAIN_LOCK_KEY})
    prev = connection.execute(_LAST_HASH).scalar()
    if prev is None:
        prev = GENESIS_HASH
    occurred_at = utcnow()
    summary = summary[:2000]
    values = {
        "occurred_at": occurred_at,
        "actor_id": actor_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "patient_id": patient_id,
        "summary": summary,
        "workstation": _WORKSTATION,
        "prev_hash": prev,
        "row_hash": chain_hash(
            prev,
            occurred_at,
            actor_id,
            action,
            entity_type,
            entity_id,
            patient_id,
            summary,
            _WORKSTATION,
        ),
    }
    return int(connection.execute(_INSERT, values).inserted_primary_key[0])


def verify_chain(session: Session) -> list[str]:
    """Problems found in the audit chain (altered, inserted or removed rows); empty if sound."""
    problems: list[str] = []
    prev = GENESIS_HASH
    previous_id = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000):
        if event.prev_hash != prev:
            problems.append(f"audit event {event.id}: chain broken after event {previous_id}")
        if row_hash(event, event.prev_hash) != event.row_hash:
            problems.append(f"audit event {event.id}: content altered")
        prev = event.row_hash
        previous_id = event.id
    return problems
