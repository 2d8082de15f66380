"""The audit trail is hash-chained: any altered or removed row is found."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Practitioner
from dnt_desktop.services import audit
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient, set_archived
from dnt_desktop.storage.engine import Database

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


def _events(db: Database, practitioner_id: int) -> None:
    pid = register_patient(db, practitioner_id, PatientForm("Doe", "Jo", date(1990, 1, 1)))
    set_archived(db, practitioner_id, pid, True)
    set_archived(db, practitioner_id, pid, False)


def test_intact_chain_verifies(db: Database, practitioner_id: int) -> None:
    _events(db, practitioner_id)
    with db.reading() as s:
        assert audit.verify_chain(s) == []


def test_altered_row_is_found(db: Database, db_path: Path, practitioner_id: int) -> None:
    _events(db, practitioner_id)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")  # tampering needs the guard gone
        conn.execute("UPDATE audit_event SET summary = 'nothing happened' WHERE id = 3")
    with db.reading() as s:
        assert audit.verify_chain(s) == ["audit event 3: content altered"]


def test_removed_row_is_found(db: Database, db_path: Path, practitioner_id: int) -> None:
    _events(db, practitioner_id)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER audit_event_no_delete")  # tampering needs the guard gone
        conn.execute("DELETE FROM audit_event WHERE id = 3")
    with db.reading() as s:
        assert audit.verify_chain(s) == ["audit event 4: chain broken after event 2"]


def test_the_chain_hash_format_is_unchanged() -> None:
    """Databases written by earlier versions must still verify: pin the hashed content."""
    moment = datetime(2026, 11, 20, 14, 15, 30, 123456, tzinfo=UTC)
    summary = "10 point(s), 2 side effect(s); Neck pain"
    assert (
        audit.chain_hash("ab" * 32, moment, 3, "create", "session", 42, 7, summary, "clinic-pc-1")
        == "9296b65c55fb40fa8a513faa44af0d5b32690ac016eac0642da7421d46b89d81"
    )
    event = AuditEvent(
        occurred_at=moment.replace(microsecond=0),
        actor_id=None,
        action="restore",
        entity_type="database",
        entity_id=None,
        patient_id=None,
        summary="Restored",
        workstation="pc",
    )
    assert (
        audit.row_hash(event, audit.GENESIS_HASH)
        == "643dd1875c95a9372522613b5dfbf81ba1c081e21b57b980ecd4be14290a54aa"
    )


def test_record_writes_after_the_pending_change_and_returns_the_new_id(
    db: Database, practitioner_id: int
) -> None:
    with db.transaction() as s:
        practitioner = s.get(Practitioner, practitioner_id)
        assert practitioner is not None
        practitioner.full_name = "Renamed Physio"  # pending in the session, not yet flushed
        event_id = audit.record(s, practitioner_id, "update", entity_type="practitioner")
        stored = (
            s.connection()
            .execute(  # no autoflush: what the database holds
                select(Practitioner.__table__.c.full_name).where(
                    Practitioner.__table__.c.id == practitioner_id
                )
            )
            .scalar_one()
        )
        assert stored == "Renamed Physio"
    with db.reading() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        assert (last.id, last.action, last.actor_id) == (event_id, "update", practitioner_id)
        assert audit.verify_chain(s) == []


@pytest.mark.parametrize(
    "change",
    [
        "summary = CAST(summary AS BLOB)",  # the same bytes, stored as a BLOB
        "actor_id = CAST(actor_id AS TEXT) || 'x'",
    ],
)
def test_a_value_stored_otherwise_is_altered_content(
    db: Database, db_path: Path, practitioner_id: int, change: str
) -> None:
    """What the fast SQL text would not prove is hashed from the typed columns."""
    _events(db, practitioner_id)
    with sqlite3.connect(db_path) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute(f"UPDATE audit_event SET {change} WHERE id = 3")
    with db.reading() as s:
        assert audit.verify_chain(s) == ["audit event 3: content altered"]
