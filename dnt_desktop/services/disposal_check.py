"""What ``check`` no longer asks for after an erasure: the sealed events of erased records.

A sealed audit event (a signature, an amendment, a late event, an outcome measure, its
"entered in error" note, a sent letter, an attached file: those with a ``record_hash``)
asks ``check`` for its record. An erased record's rows are gone by design; its events
stay in the append-only chain. The erasure's tombstone (action ``erase``, entity
``patient``) vouches for them: every sealed event of that patient that comes before the
tombstone in the chain is *retired*, and the checks leave it out. The chain itself is
verified end to end as before, so neither the tombstone nor the events it retires can be
written, changed or moved without the chain (and every head kept outside it) showing it.

What this does not retire: the events of another patient (a signed session deleted
without a tombstone of its own patient is still reported missing), and the events
written after the tombstone (a new record that later took the same id on SQLite is
checked in full).
"""

from __future__ import annotations

from sqlalchemy import Connection, Table, select

from dnt_desktop.models import AuditEvent

from .disposal_erase import ERASE_ACTION

_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]


def erased_events(connection: Connection) -> frozenset[int]:
    """The ids of the sealed audit events that erasures vouch for (usually none: one
    look at the partial index ``ix_audit_event_erased``)."""
    tombstones: dict[int, int] = {}
    for event_id, patient_id, entity_type in connection.execute(
        # action alone: the planner then reads the partial index of the tombstones only
        select(_EVENTS.c.id, _EVENTS.c.patient_id, _EVENTS.c.entity_type).where(
            _EVENTS.c.action == ERASE_ACTION
        )
    ):
        if entity_type == "patient" and patient_id is not None:
            tombstones[patient_id] = max(event_id, tombstones.get(patient_id, 0))
    retired: set[int] = set()
    for patient_id, tombstone_id in tombstones.items():
        retired.update(
            connection.scalars(
                select(_EVENTS.c.id).where(
                    _EVENTS.c.patient_id == patient_id,
                    _EVENTS.c.id < tombstone_id,
                    _EVENTS.c.record_hash.is_not(None),
                )
            )
        )
    return frozenset(retired)


def retired_or_read(connection: Connection, retired: frozenset[int] | None) -> frozenset[int]:
    """*retired* as given by the caller, or read now."""
    return erased_events(connection) if retired is None else retired


__all__ = ["erased_events", "retired_or_read"]
