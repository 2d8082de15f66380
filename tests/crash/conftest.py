"""A database for the crash tests and the bookkeeping of what the workers reported."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from dnt_desktop.models.enums import ConsentMethod
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.clinical import record_consent
from dnt_desktop.services.drafts import ConsentForm, PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.probe import readonly_uri

from ..services.conftest import (  # the signed records' fixtures, for the tampering table
    admin_id,
    draft_id,
    fast_hasher,
    patient,
    pract_id,
)

__all__ = ["admin_id", "draft_id", "fast_hasher", "patient", "pract_id"]

WORKER = Path(__file__).with_name("save_worker.py")
PASSWORD = "crash-test-password"  # as in save_worker.py


@pytest.fixture
def crash_db(tmp_path: Path) -> Path:
    """A clinic with practitioner 1 (cheap password hash) and consenting patients 1-3."""
    path = tmp_path / "crash.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        save_clinic(db, None, ClinicForm(name="Crash Clinic"))
        hashed = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
        pid = add_practitioner(db, None, PractitionerForm("Cara Crash", "cara"), hashed)
        assert pid == 1
        for n in range(1, 4):
            patient = register_patient(db, pid, PatientForm("Patient", f"No{n}", date(1980, 1, n)))
            assert patient == n
            record_consent(db, pid, patient, ConsentForm(date(2026, 1, 1), ConsentMethod.WRITTEN))
    finally:
        db.dispose()
    return path


@dataclass
class Ledger:
    """What the workers said was saved: the database must hold at least all of it."""

    saved: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    signed: set[int] = field(default_factory=set)
    amendments: dict[int, int] = field(default_factory=dict)

    def take(self, line: str) -> bool:
        """Record one worker line; False when it is not a report of a save."""
        words = line.split()
        if not words:
            return False
        if words[0] == "saved":
            session_id = int(words[2])
            assert session_id not in self.saved, f"session id {session_id} reported twice"
            self.saved[session_id] = (int(words[3]), int(words[4]), words[5])
        elif words[0] == "signed":
            self.signed.add(int(words[2]))
        elif words[0] == "amended":
            self.amendments[int(words[3])] = int(words[2])
        else:
            return False
        return True

    def missing_from(self, db_path: Path) -> list[str]:
        """Every reported record that is absent or incomplete in the database."""
        conn = sqlite3.connect(readonly_uri(db_path), uri=True)
        try:
            stored = {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT s.id, "
                    "(SELECT count(*) FROM needling_point p WHERE p.session_id = s.id), "
                    "(SELECT count(*) FROM side_effect e WHERE e.session_id = s.id), "
                    "s.notes, s.status FROM treatment_session s"
                )
            }
            amendments = dict(conn.execute("SELECT id, session_id FROM amendment").fetchall())
        finally:
            conn.close()
        problems = [
            f"session {sid}: expected {want}, found {stored.get(sid)}"
            for sid, want in self.saved.items()
            if stored.get(sid, ())[:3] != want
        ]
        problems += [
            f"session {sid} is not signed"
            for sid in self.signed
            if stored.get(sid, (None,) * 4)[3] != "signed"
        ]
        problems += [
            f"amendment {aid} is missing"
            for aid, sid in self.amendments.items()
            if amendments.get(aid) != sid
        ]
        return problems
