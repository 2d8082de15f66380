"""Restoring a backup: checked first, the current database kept, refusals change nothing."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Patient
from dnt_desktop.services import backups
from dnt_desktop.services.backups import RestoreRefusedError, restore_backup
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config, current_revision, head_revision
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.probe import integrity_problems


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names(db: Database) -> list[str]:
    with db.reading() as s:
        return list(s.scalars(select(Patient.family_name).order_by(Patient.id)))


@pytest.fixture
def backup(db: Database, tmp_path: Path, pract_id: int) -> Path:
    """A backup holding patient Before; patient After is added to the live database later."""
    register_patient(db, pract_id, PatientForm("Before", "Ann", date(1980, 1, 1)))
    path = backups.make_backup(db, tmp_path / "backups", "manual")
    register_patient(db, pract_id, PatientForm("After", "Bob", date(1981, 1, 1)))
    return path


def test_restore_round_trip_keeps_the_current_database(
    db: Database, db_path: Path, backup: Path, admin_id: int
) -> None:
    db.dispose()
    result = restore_backup(db_path, backup, actor_id=admin_id)
    assert_nothing_left_beside(db_path)
    assert names(db) == ["Before"]
    assert result.previous_copy is not None
    assert result.previous_copy.name.startswith("clinic.before-restore-")
    assert integrity_problems(result.previous_copy) == []
    kept = open_database(sqlite_url(result.previous_copy))
    try:
        assert names(kept) == ["Before", "After"]
    finally:
        kept.dispose()
    assert check_database(sqlite_url(db_path)).ok
    with db.reading() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert last.action == "restore" and str(backup) in last.summary
    assert not Path(str(db_path) + "-journal").exists()


def assert_nothing_left_beside(db_path: Path) -> None:
    """No journal, -wal, -shm or partial copy once a restore has finished."""
    left = [
        p.name
        for p in db_path.parent.iterdir()
        if p.name.endswith(("-journal", "-wal", "-shm")) or ".partial" in p.name
    ]
    assert left == []


def _garbage(path: Path) -> None:
    path.write_bytes(b"# not a database\n" * 400)


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _overwritten(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for page in range(1, len(data) // 4096):
        data[page * 4096 : page * 4096 + 200] = os.urandom(200)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()


def _foreign(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()


def _tampered(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET summary = 'nothing' WHERE id = 2")
    conn.close()


def _empty_database(path: Path) -> None:
    path.unlink()
    sqlite3.connect(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 1")
    conn.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_garbage, "not a dnt-desktop database"),
        (_truncated, "damaged"),
        (_overwritten, "damaged"),
        (_newer, "newer version"),
        (_foreign, "not a dnt-desktop database"),
        (_tampered, "fails dnt-desktop check"),
        (_empty_database, "not a dnt-desktop database"),
    ],
)
def test_a_bad_backup_is_refused_and_nothing_changes(
    db: Database, db_path: Path, backup: Path, damage, message: str
) -> None:
    damage(backup)
    db.dispose()
    before = digest(db_path)
    files = sorted(db_path.parent.iterdir())
    with pytest.raises(RestoreRefusedError, match=message) as caught:
        restore_backup(db_path, backup)
    assert "current database was not changed" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert digest(db_path) == before
    assert sorted(db_path.parent.iterdir()) == files


def test_a_database_in_use_is_not_replaced(db: Database, db_path: Path, backup: Path) -> None:
    assert names(db)  # the app has it open
    with pytest.raises(RestoreRefusedError, match="in use"):
        restore_backup(db_path, backup)
    assert names(db) == ["Before", "After"]
    assert not list(db_path.parent.glob("*before-restore*"))


def test_a_damaged_database_is_kept_byte_for_byte_and_replaced(
    db: Database, db_path: Path, backup: Path
) -> None:
    db.dispose()
    _overwritten(db_path)
    damaged = digest(db_path)
    result = restore_backup(db_path, backup)
    assert_nothing_left_beside(db_path)
    assert result.previous_copy is not None and digest(result.previous_copy) == damaged
    assert names(db) == ["Before"]
    assert check_database(sqlite_url(db_path)).ok


def test_restore_into_a_missing_file(db: Database, tmp_path: Path, backup: Path) -> None:
    target = tmp_path / "new" / "clinic.sqlite3"
    target.parent.mkdir()
    result = restore_backup(target, backup)
    assert result.previous_copy is None
    assert check_database(sqlite_url(target)).ok


def test_a_backup_of_an_older_schema_is_restored_and_migrated(
    db: Database, db_path: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old.sqlite3"
    conn_db = Database(sqlite_url(old))
    try:
        config = alembic_config()
        with conn_db.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
    finally:
        conn_db.dispose()
    db.dispose()
    result = restore_backup(db_path, old)
    assert_nothing_left_beside(db_path)
    assert result.revision == "0001"
    assert current_revision(db) == head_revision()
    assert list(db_path.parent.glob("clinic.before-migration-0001-*.sqlite3"))


ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("dnt-desktop")
    command_line = [str(exe)] if exe.exists() else [sys.executable, "-m", "dnt_desktop"]
    return subprocess.run(
        [*command_line, *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_the_restore_command(db: Database, db_path: Path, backup: Path, tmp_path: Path) -> None:
    db.dispose()
    garbage = tmp_path / "garbage.sqlite3"
    _garbage(garbage)
    before = digest(db_path)
    failed = run_cli("restore", str(garbage), "--db", str(db_path))
    assert failed.returncode == 1
    assert failed.stderr.count("\n") == 1 and "not a dnt-desktop database" in failed.stderr
    assert "Traceback" not in failed.stderr and digest(db_path) == before
    done = run_cli("restore", str(backup), "--db", str(db_path))
    assert done.returncode == 0, done.stderr
    assert "Restored" in done.stdout and "previous database is kept" in done.stdout
    assert names(db) == ["Before"]
    assert run_cli("check", "--db", str(db_path)).returncode == 0
