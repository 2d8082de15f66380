"""The audit trail is hash-chained: any altered or removed row is found."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from dnt_desktop.services import audit
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient, set_archived
from dnt_desktop.storage.engine import Database


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
