"""How a stored record is hashed: canonical JSON, a signed session's seal, an amendment's
hash and the audit chain's row hash.

These are the formats the database holds: the services write them, ``check`` recomputes
them, and migration 0007 wrote the baseline events with them. They sit below the services
so that a migration can use the one definition (a copy could drift from what ``check``
computes) without importing a use case. Standard library only, so that the worker
processes of ``dnt-desktop check`` import it in a moment.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any

ACKNOWLEDGEMENT_FIELDS = ("code", "message", "acknowledged_by_id", "acknowledged_at")
"""An alert acknowledgement's columns in a signed session's seal."""
AMENDMENT_FIELDS = ("id", "session_id", "author_id", "created_at", "text")
"""An amendment's columns in its hash."""
GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the audit trail's first row."""
SIGNATURE_ACTIONS = ("sign", "sign_baseline")
"""Audit actions whose ``record_hash`` is the seal of the signed session ``entity_id``."""
AMENDMENT_ACTIONS = ("amend", "amend_baseline")
"""Audit actions whose ``record_hash`` is the hash of an amendment of session ``entity_id``."""


def canonical_text(document: Any) -> str:
    """The canonical JSON of a document: sorted keys, no spaces, UTF-8 text unescaped."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_hex(text: str) -> str:
    """SHA-256 (hex) of *text* in UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_hash(document: Any) -> str:
    """SHA-256 (hex) of ``canonical_text(document)``."""
    return sha256_hex(canonical_text(document))


_AS_IS = (str, int, bool, type(None))


def plain(value: Any) -> Any:
    """A column's value as the canonical JSON holds it (enums by value, times to the
    microsecond, dates ISO, floats to six decimals)."""
    if type(value) in _AS_IS:  # the common case first: this runs for every field of every row
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def pick(row: Any, names: Sequence[str]) -> dict[str, Any]:
    """The columns *names* of *row* (an ORM object, a Row or a mapping), made plain."""
    if isinstance(row, Mapping):
        return {name: plain(row.get(name)) for name in names}
    return {name: plain(getattr(row, name)) for name in names}


def seal_of_text(content_hash: str | None, acknowledgements: str) -> str:
    """A signed session's seal from its content hash and its acknowledgements' JSON list.

    SHA-256 of ``{"acknowledgements": [...], "content_hash": "..."}`` in canonical JSON.
    """
    stored = (
        f'"{content_hash}"'  # the usual hex digest needs no escaping: spare json.dumps
        if content_hash is not None and content_hash.isalnum() and content_hash.isascii()
        else canonical_text(content_hash)
    )
    return sha256_hex('{"acknowledgements":' + acknowledgements + ',"content_hash":' + stored + "}")


def acknowledgements_text(acknowledgements: Sequence[Any]) -> str:
    """The canonical JSON list of a session's alert acknowledgements (in id order)."""
    return canonical_text([pick(a, ACKNOWLEDGEMENT_FIELDS) for a in acknowledgements])


def seal(content_hash: str | None, acknowledgements: Sequence[Any]) -> str:
    """What a signature's audit event records: the content hash with the acknowledgements.

    The acknowledgements (rows or dicts) are given in id order.
    """
    return seal_of_text(content_hash, acknowledgements_text(acknowledgements))


def amendment_hash(amendment: Any) -> str:
    """What an amendment's audit event records: SHA-256 of its canonical JSON."""
    return canonical_hash(pick(amendment, AMENDMENT_FIELDS))


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
