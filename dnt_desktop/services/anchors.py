"""Heads of the audit trail kept outside the database, and checking the trail against them.

A head is one event of the chain (id and row hash). The chain itself shows any row
altered or removed in the middle; only a head kept elsewhere shows rows cut from the end
(or a trail rewritten with recomputed hashes): the kept event must still be in the
trail, unchanged. Heads come from this computer's witness (``storage.witness``), from
the record beside each backup (``storage.head_record``), from a backup file itself, and
from ``dnt-desktop check``'s own output, given back with ``--head``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.head_record import head_record_path, read_head_record, trail_ends
from dnt_desktop.storage.witness import Witnessed

from .audit_chain import Chain

MIN_HASH_DIGITS = 16
"""A kept head may give only the start of its hash, but no less than 64 bits of it."""
_GIVEN = re.compile(r"^\s*(\d+)\s*:\s*([0-9a-fA-F]+)\s*$")


@dataclass(frozen=True)
class KeptHead:
    """An event the trail must still hold: its id, (the start of) its hash, and where from."""

    event_id: int
    row_hash: str
    source: str


def parse_head(value: str) -> KeptHead:
    """A head given to ``check``: ``ID:HASH`` (as ``check`` prints it), or a backup file
    (its ``.head`` record, else the last event it holds), or a ``.head`` record itself.

    StorageError with what to give instead when *value* is none of these.
    """
    match = _GIVEN.match(value)
    if match is not None:
        digest = match[2].lower()
        if len(digest) < MIN_HASH_DIGITS or len(digest) > 64:
            raise StorageError(
                f"The head {value!r} needs at least {MIN_HASH_DIGITS} of the hash's 64 hex "
                "digits; copy it whole from the output of dnt-desktop check."
            )
        return KeptHead(int(match[1]), digest, f"the head {match[1]}:{digest[:12]}… given")
    path = Path(value).expanduser()
    if not path.is_file():
        raise StorageError(
            f"{value} is neither a head (ID:HASH, as dnt-desktop check prints it) nor a "
            "backup file."
        )
    for record in (path, head_record_path(path)):
        head = read_head_record(record) if record.is_file() else None
        if head is not None:
            return KeptHead(head.event_id, head.row_hash, f"the head record of {path.name}")
    try:
        ends = trail_ends(path)
    except sqlite3.Error as exc:
        raise StorageError(f"{path} is not a dnt-desktop backup ({exc}).") from exc
    if ends is None:
        raise StorageError(f"{path} holds no audit trail to compare with.")
    return KeptHead(ends[1].event_id, ends[1].row_hash, f"the backup {path.name}")


def kept_head_problems(chain: Chain, kept: KeptHead) -> list[str]:
    """The problem when *chain* (read with ``kept.event_id`` wanted) lacks *kept*."""
    found = chain.hashes.get(kept.event_id)
    last = chain.head.event_id if chain.head else 0
    if found is None:
        if kept.event_id > last:
            where = f"the trail ends at event {last}" if last else "the trail is empty"
            return [
                f"audit event {kept.event_id} ({kept.source}) is missing: {where}; events "
                "were removed from its end"
            ]
        return [f"audit event {kept.event_id} ({kept.source}) is missing"]
    if not found.startswith(kept.row_hash):
        return [
            f"audit event {kept.event_id} differs from {kept.source}: the trail was "
            "rewritten (its hashes recomputed)"
        ]
    return []


def witness_problems(chain: Chain, witnessed: Witnessed) -> list[str]:
    """The problems when *chain* does not extend what this computer witnessed."""
    source = f"this computer's witness of {witnessed.seen_at}"
    if chain.first is None:
        return [
            f"the audit trail is empty, but {source} saw it up to event {witnessed.event_id}: "
            "its events were removed"
        ]
    if chain.first.row_hash != witnessed.first_hash:
        return [
            f"the audit trail does not begin as {source} says: this is not the database this "
            f"computer last wrote to at {witnessed.location}, or its trail was rewritten from "
            "the start (after a deliberate restore outside dnt-desktop, run dnt-desktop check "
            "--reset-witness)"
        ]
    return kept_head_problems(chain, KeptHead(witnessed.event_id, witnessed.row_hash, source))
