"""Writing the audit trail: one hash-chained row per change, in the change's transaction."""

from __future__ import annotations

import hashlib
import socket
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, utcnow

GENESIS_HASH = "0" * 64
CHAIN_LOCK_KEY = 0x444E5441
"""PostgreSQL advisory lock that serialises appends to the chain ("DNTA")."""


def row_hash(event: AuditEvent, prev_hash: str) -> str:
    """The SHA-256 over an audit row's content and the previous row's hash.

    The row id is not part of it (it is known only after the insert, and rows are never
    updated); a removed or reordered row still breaks the chain through ``prev_hash``.
    """
    occurred: datetime = event.occurred_at
    parts = [
        prev_hash,
        occurred.strftime("%Y-%m-%dT%H:%M:%S.%f"),
        str(event.actor_id or ""),
        event.action,
        event.entity_type,
        str(event.entity_id if event.entity_id is not None else ""),
        str(event.patient_id if event.patient_id is not None else ""),
        event.summary,
        event.workstation,
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


_WORKSTATION = socket.gethostname()[:100]


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    *,
    entity_type: str = "",
    entity_id: int | None = None,
    patient_id: int | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append an audit event inside the caller's transaction.

    SQLite's BEGIN IMMEDIATE serialises writers; on PostgreSQL a transaction-scoped
    advisory lock does, so two workstations never chain onto the same previous row.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    last = session.execute(
        select(AuditEvent.id, AuditEvent.row_hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    prev = last.row_hash if last else GENESIS_HASH
    event = AuditEvent(
        occurred_at=utcnow(),
        actor_id=actor_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        patient_id=patient_id,
        summary=summary[:2000],
        workstation=_WORKSTATION,
        prev_hash=prev,
    )
    event.row_hash = row_hash(event, prev)
    session.add(event)
    session.flush()
    return event


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
