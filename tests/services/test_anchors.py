"""The audit trail's head kept outside the database: this computer's witness, the record
beside each backup, and heads given back to `check`."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from dnt_desktop import cli
from dnt_desktop.services import backups
from dnt_desktop.services.anchors import parse_head
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage import witness
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.head_record import head_record_path, read_head_record
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database


def _last(path: Path) -> tuple[int, str]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT id, row_hash FROM audit_event ORDER BY id DESC").fetchone()
    finally:
        conn.close()


def _cut_tail(path: Path, keep_up_to: int) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DROP TRIGGER audit_event_no_delete")
        conn.execute("DELETE FROM audit_event WHERE id > ?", (keep_up_to,))
    conn.close()


def _register(db: Database, actor: int, name: str) -> None:
    register_patient(db, actor, PatientForm(name, "Test", date(1970, 1, 1)))


def test_every_write_moves_the_witness_and_check_compares_it(
    db: Database, db_path: Path, practitioner_id: int
) -> None:
    location = witness.location_of(sqlite_url(db_path))
    assert location is not None
    _register(db, practitioner_id, "Roe")
    assert witness.load(location).head == witness.Head(*_last(db_path))  # type: ignore[union-attr]
    _register(db, practitioner_id, "Poe")
    event_id, row_hash = _last(db_path)
    seen = witness.load(location)
    assert seen is not None and (seen.event_id, seen.row_hash) == (event_id, row_hash)
    report = check_database(sqlite_url(db_path))
    assert report.ok and report.chain_head == witness.Head(event_id, row_hash)
    assert f"the trail holds event {event_id}" in " ".join(report.notes)


def test_a_cut_tail_is_found_and_later_writes_keep_the_evidence(
    db: Database, db_path: Path, practitioner_id: int
) -> None:
    _register(db, practitioner_id, "Roe")
    witnessed, _hash = _last(db_path)
    _cut_tail(db_path, witnessed - 1)
    expected = f"audit event {witnessed} (this computer's witness of"
    assert any(expected in p for p in check_database(sqlite_url(db_path)).problems)
    _register(db, practitioner_id, "Poe")  # the app writes on: the witness does not follow
    report = check_database(sqlite_url(db_path))
    assert any(
        f"audit event {witnessed} differs from this computer's witness" in p
        for p in report.problems
    )


def test_a_failed_witness_write_loses_no_save(
    db: Database, db_path: Path, practitioner_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_witnessed: witness.Witnessed) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(witness, "save", full)
    _register(db, practitioner_id, "Roe")
    monkeypatch.undo()
    assert check_database(sqlite_url(db_path)).ok


def test_a_kept_head_finds_a_cut_tail_without_any_witness(
    db: Database, db_path: Path, practitioner_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    _register(db, practitioner_id, "Roe")
    assert cli.main(["check", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    head = out.split("Head: ", 1)[1].split()[0]
    assert head == "{}:{}".format(*_last(db_path))
    witness.forget(witness.location_of(sqlite_url(db_path)) or "")
    event_id = int(head.split(":")[0])
    _cut_tail(db_path, event_id - 1)
    assert cli.main(["check", "--db", str(db_path), "--head", head]) == 1
    out = capsys.readouterr().out
    assert f"problem: audit event {event_id} (the head {event_id}:" in out
    assert "events were removed from its end" in out
    short = head[: head.index(":") + 9]
    assert cli.main(["check", "--db", str(db_path), "--head", short]) == 1
    assert "at least 16" in capsys.readouterr().err


def test_a_rewritten_trail_differs_from_a_kept_head(
    db: Database, db_path: Path, practitioner_id: int
) -> None:
    _register(db, practitioner_id, "Roe")
    event_id, row_hash = _last(db_path)
    kept = parse_head(f"{event_id}:{row_hash[:16]}")
    assert check_database(sqlite_url(db_path), heads=[kept]).ok
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("DROP TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET row_hash = ? WHERE id = ?", ("0" * 64, event_id))
    conn.close()
    problems = check_database(sqlite_url(db_path), heads=[kept]).problems
    assert f"audit event {event_id} differs from the head {event_id}:" in " ".join(problems)


def test_every_backup_carries_its_head_beside_it(
    db: Database, db_path: Path, tmp_path: Path, practitioner_id: int
) -> None:
    _register(db, practitioner_id, "Roe")
    backup = backups.make_backup(db, tmp_path / "backups", "manual")
    record = head_record_path(backup)
    head = read_head_record(record)
    assert head is not None and head == witness.Head(*_last(backup))
    given = parse_head(str(backup))
    assert (given.event_id, given.row_hash, given.source) == (
        head.event_id,
        head.row_hash,
        f"the head record of {backup.name}",
    )
    _register(db, practitioner_id, "Poe")
    assert check_database(sqlite_url(db_path), heads=[parse_head(str(backup))]).ok
    witness.forget(witness.location_of(sqlite_url(db_path)) or "")
    _cut_tail(db_path, head.event_id - 1)
    problems = check_database(sqlite_url(db_path), heads=[parse_head(str(backup))]).problems
    assert (
        f"audit event {head.event_id} (the head record of {backup.name}) is missing" in problems[0]
    )
    record.unlink()  # without its record, the backup's own last event serves
    given = parse_head(str(backup))
    assert (given.event_id, given.source) == (head.event_id, f"the backup {backup.name}")


def test_rotation_removes_the_head_records_with_their_backups(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2026, 11, 25, 8, 0).astimezone()
    made = [
        backups.make_backup(db, folder, "daily", now=start + timedelta(days=d)) for d in range(3)
    ]
    assert all(head_record_path(p).exists() for p in made)
    backups.rotate(folder, keep=1)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made[-1].name, head_record_path(made[-1]).name]
    )


def test_a_restore_starts_the_witness_afresh(
    db: Database, db_path: Path, tmp_path: Path, practitioner_id: int
) -> None:
    backup = backups.make_backup(db, tmp_path / "backups", "manual")
    _register(db, practitioner_id, "Roe")
    _register(db, practitioner_id, "Poe")
    db.dispose()
    backups.restore_backup(db_path, backup)
    report = check_database(sqlite_url(db_path))
    assert report.ok, report.problems


def test_a_file_replaced_by_hand_fails_until_the_witness_is_reset(
    db: Database, db_path: Path, tmp_path: Path, practitioner_id: int
) -> None:
    _register(db, practitioner_id, "Roe")
    older = tmp_path / "older.sqlite3"
    db.dispose()
    shutil.copyfile(db_path, older)
    db = open_database(sqlite_url(db_path))
    _register(db, practitioner_id, "Poe")
    db.dispose()
    shutil.copyfile(older, db_path)  # not through dnt-desktop restore
    assert "events were removed from its end" in " ".join(
        check_database(sqlite_url(db_path)).problems
    )
    report = check_database(sqlite_url(db_path), reset_witness=True)
    assert not report.ok and "witness now starts from event" in " ".join(report.notes)
    assert check_database(sqlite_url(db_path)).ok


def test_a_new_database_where_another_was_witnessed_starts_afresh(
    tmp_path: Path, practitioner_id: int, db: Database, db_path: Path
) -> None:
    _register(db, practitioner_id, "Roe")
    db.dispose()
    db_path.unlink()
    fresh = open_database(sqlite_url(db_path))
    try:
        save_clinic(fresh, None, ClinicForm(name="New Clinic"))
    finally:
        fresh.dispose()
    assert check_database(sqlite_url(db_path)).ok


def test_a_head_that_is_neither_given_nor_a_backup_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="neither a head"):
        parse_head(str(tmp_path / "missing.sqlite3"))
