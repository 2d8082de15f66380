"""Closing: the closing backup is made, checked and the file noted verified by a process
of its own, which goes on after the app has gone (``services.closing``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dnt_desktop.services import backups, closing
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage import verified
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.backups.backup_jobs import start_closing_process  # the real one

WAIT_S = 120


def test_the_closing_process_backs_up_checks_and_notes_the_file_verified(
    db: Database, db_path: Path, clinic_accounts
) -> None:
    register_patient(db, clinic_accounts.admin_id, PatientForm("Last", "Lou", date(1966, 4, 27)))
    db.dispose()
    closing.write_state(db_path, closing.ClosingState(closing.OWED, clinic_accounts.admin_id))

    process = start_closing_process(db_path, clinic_accounts.admin_id)
    assert process.wait(timeout=WAIT_S) == 0

    state = closing.read_state(db_path)
    assert state is not None and state.status == closing.DONE
    (written,) = backups.backups_in(db_path.parent / "backups")
    assert written.reason == "exit" and str(written.path) == state.backup
    assert Path(f"{written.path}.head").is_file()
    assert verified.unchanged_since_verified(db_path) is not None
    assert closing.owed_closing_backup(db_path) is None


def test_a_closing_backup_that_fails_is_recorded_for_the_next_start(
    db: Database, db_path: Path, clinic_accounts, monkeypatch
) -> None:
    db.dispose()

    def no_room(*_args, **_kwargs):
        from dnt_desktop.storage.errors import StorageError

        raise StorageError("The backup folder has no room left.")

    monkeypatch.setattr(closing, "stage_copy", no_room)
    try:
        closing.close_and_verify(db_path, clinic_accounts.admin_id)
    except Exception as exc:
        assert "no room left" in str(exc)
    else:
        raise AssertionError("the failure was swallowed")
    owed = closing.owed_closing_backup(db_path)
    assert owed is not None and owed.status == closing.FAILED
    assert "no room left" in owed.message
    assert verified.unchanged_since_verified(db_path) is None
    assert not list((db_path.parent / "backups").glob("*.sqlite3"))
