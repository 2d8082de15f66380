"""Appending rows to the audit trail's hash chain: the last row's hash, a new row chained
onto it, many rows for one bulk insert.

Below the services so that a migration writing audit events (0007's baselines) chains them
exactly as the app does; ``services.audit`` records events with it.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, select, text

from dnt_desktop.models import AuditEvent, utcnow

from .record_hashes import GENESIS_HASH, chain_hash

CHAIN_LOCK_KEY = 0x444E5441
"""PostgreSQL advisory lock that serialises appends to the chain ("DNTA")."""

_WORKSTATION = socket.gethostname()[:100]


def workstation() -> str:
    """This computer's name as the audit trail records it (at most 100 characters)."""
    return _WORKSTATION


_AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
_LAST_HASH = select(_AUDIT.c.row_hash).order_by(_AUDIT.c.id.desc()).limit(1)
_CHAIN_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def last_hash(connection: Connection) -> str:
    """The chain's last row hash, with the chain locked for this transaction on PostgreSQL."""
    if connection.dialect.name == "postgresql":
        connection.execute(_CHAIN_LOCK, {"key": CHAIN_LOCK_KEY})
    prev = connection.execute(_LAST_HASH).scalar()
    return GENESIS_HASH if prev is None else str(prev)


def chained(prev: str, occurred_at: datetime, event: dict[str, Any]) -> dict[str, Any]:
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
    prev = last_hash(connection)
    occurred_at = utcnow()
    rows = []
    for event in events:
        row = chained(prev, occurred_at, event)
        rows.append(row)
        prev = row["row_hash"]
    return rows
