"""Writing the audit trail: one hash-chained row per change, in the change's transaction.

A signature and an amendment also carry the hash of the signed record (``record_hash``,
see ``signing.seal`` and ``signing.amendment_hash``): the chain then vouches for every
signed session and amendment, and ``dnt-desktop check`` compares the two.
"""

from __future__ import annotations

# The chain's formulas and its appending live in storage (record_hashes, audit_rows), where
# migrations can use them too; they are named here as well, as the audit trail's API.
from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, utcnow
from dnt_desktop.storage.audit_rows import CHAIN_LOCK_KEY as CHAIN_LOCK_KEY
from dnt_desktop.storage.audit_rows import chained, last_hash
from dnt_desktop.storage.audit_rows import chained_rows as chained_rows
from dnt_desktop.storage.audit_rows import workstation as workstation
from dnt_desktop.storage.record_hashes import AMENDMENT_ACTIONS as AMENDMENT_ACTIONS
from dnt_desktop.storage.record_hashes import GENESIS_HASH as GENESIS_HASH
from dnt_desktop.storage.record_hashes import SIGNATURE_ACTIONS as SIGNATURE_ACTIONS
from dnt_desktop.storage.record_hashes import chain_hash as chain_hash
from dnt_desktop.storage.record_hashes import row_hash as row_hash

DISPOSE_SESSION_ACTION = "dispose_session"
"""A disposal anonymised signed session ``entity_id``; ``record_hash`` is its new seal."""
DISPOSE_AMENDMENT_ACTION = "dispose_amendment"
"""A disposal anonymised an amendment of session ``entity_id``; ``record_hash`` is its new
hash. Once a session has such events, they alone vouch for its amendments."""


_INSERT = insert(AuditEvent.__table__)


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
    prev = last_hash(connection)
    values = chained(
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


def verify_chain(session: Session) -> list[str]:
    """Problems found in the audit chain (altered, inserted or removed rows); empty if sound."""
    from .audit_chain import read_chain

    return read_chain(session.connection()).problems
