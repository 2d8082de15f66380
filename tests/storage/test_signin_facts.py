"""What the sign-in dialog shows before SQLAlchemy loads (``storage.signin_facts``): the
clinic's name, only for a set-up file the app will open as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.signin_facts import newest_revision, sign_in_facts


def test_a_set_up_clinic_gives_its_name(db: Database, db_path: Path, practitioner_id: int) -> None:
    db.dispose()
    assert sign_in_facts(db_path) == "Test Clinic"


def test_anything_the_usual_start_must_look_at_gives_none(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    db.dispose()
    assert sign_in_facts(db_path) is None  # no clinic, no account yet: the setup
    assert sign_in_facts(tmp_path / "nothing.sqlite3") is None
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    assert sign_in_facts(empty) is None
    foreign = tmp_path / "foreign.sqlite3"
    foreign.write_bytes(b"not a database at all" * 100)
    assert sign_in_facts(foreign) is None


def test_a_file_to_migrate_gives_none(db: Database, db_path: Path, practitioner_id: int) -> None:
    db.dispose()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.commit()
    conn.close()
    assert newest_revision() != "0001"
    assert sign_in_facts(db_path) is None
