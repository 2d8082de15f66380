"""Backups from the GUI: back up now, the daily and exit backups, and restoring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Patient
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts, backups, closing
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.storage import verified
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.readonly import connections_here
from dnt_desktop.ui.backups import backup_jobs
from dnt_desktop.ui.backups.backup_dialog import BackupDialog
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow


class Answers:
    """Stands in for QMessageBox's statics: records what was said, answers Yes."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.said: list[tuple[str, str, str]] = []
        for kind in ("warning", "information", "question", "critical"):
            monkeypatch.setattr(QMessageBox, kind, self._answer(kind))

    def _answer(self, kind: str) -> Callable[..., QMessageBox.StandardButton]:
        def answer(_parent, title, text, *_args, **_kwargs) -> QMessageBox.StandardButton:
            self.said.append((kind, title, text))
            return QMessageBox.StandardButton.Yes

        return answer

    def titles(self) -> list[str]:
        return [title for _kind, title, _text in self.said]


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


@pytest.fixture
def admin_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts
) -> MainWindow:
    return open_main(ctx_of(clinic_accounts.admin_id))


def open_dialog(qtbot: QtBot, window: MainWindow) -> BackupDialog:
    dialog = window.open_backups()
    assert isinstance(dialog, BackupDialog)
    qtbot.waitExposed(dialog)
    return dialog


def family_names(db: Database) -> list[str]:
    with db.reading() as session:
        return sorted(session.scalars(select(Patient.family_name)))


def actions(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_back_up_now_writes_a_verified_file_into_the_folder(
    qtbot: QtBot, admin_window: MainWindow, db: Database, db_path: Path
) -> None:
    dialog = open_dialog(qtbot, admin_window)
    folder = db_path.parent / "backups"
    assert dialog.folder_label.text() == str(folder)
    assert dialog.table.rowCount() == 0

    qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    assert not dialog.backup_button.isEnabled()  # one at a time
    qtbot.waitUntil(lambda: dialog.task is None, timeout=10_000)

    (written,) = backups.backups_in(folder)
    assert written.reason == "manual"
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Manual"
    assert dialog.status.text() == f"Backup written and verified: {written.path.name}"
    assert actions(db)[-1] == "backup"


def test_a_damaged_backup_is_refused_with_its_reason_and_nothing_changes(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    db_path: Path,
    answers: Answers,
    consented_patient: int,
) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir()
    damaged = folder / "dnt-desktop-20250101-120000-manual.sqlite3"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x13" * 5000)
    before = family_names(db)
    events = len(actions(db))
    dialog = open_dialog(qtbot, admin_window)
    assert dialog.table.rowCount() == 1

    assert dialog.restore_selected() is False

    kinds = [kind for kind, _title, _text in answers.said]
    assert answers.titles() == ["Restore backup", "Restore refused"]
    assert kinds == ["warning", "warning"]
    reason = answers.said[-1][2]
    assert "cannot be restored" in reason and "The current database was not changed" in reason
    assert dialog.status.text() == reason
    assert not admin_window.restart_requested
    assert family_names(db) == before
    assert len(actions(db)) == events
    assert sorted(p.name for p in db_path.parent.iterdir() if "before-restore" in p.name) == []


def test_a_restore_brings_the_backup_back_and_starts_again(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    db_path: Path,
    answers: Answers,
    clinic_accounts,
    consented_patient: int,
) -> None:
    folder = db_path.parent / "backups"
    backups.make_backup(db, folder, "manual", actor_id=clinic_accounts.admin_id)
    register_patient(db, clinic_accounts.admin_id, PatientForm("Later", "Added", date(1990, 1, 1)))
    assert family_names(db) == ["Doe", "Later"]
    dialog = open_dialog(qtbot, admin_window)

    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)

    assert answers.titles() == ["Restore backup", "Backup restored"]
    assert "before-restore" in answers.said[-1][2]
    assert admin_window.restart_requested
    assert not admin_window.isVisible()
    assert family_names(db) == ["Doe"]
    assert actions(db)[-1] == "restore"
    kept = [p for p in db_path.parent.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1


def test_restoring_waits_for_open_editors_and_is_for_administrators(
    qtbot: QtBot,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    admin_window: MainWindow,
    db: Database,
    db_path: Path,
    answers: Answers,
    clinic_accounts,
    consented_patient: int,
) -> None:
    backups.make_backup(db, db_path.parent / "backups", "manual")
    admin_window.open_session(consented_patient)
    dialog = open_dialog(qtbot, admin_window)
    assert dialog.restore_selected() is False
    assert answers.titles() == ["Restore backup"]
    assert "Close every session editor first" in answers.said[0][2]
    assert family_names(db) == ["Doe"] and not admin_window.restart_requested
    dialog.close()

    sam = open_main(ctx_of(clinic_accounts.sam_id))
    theirs = open_dialog(qtbot, sam)
    assert theirs.backup_button.isEnabled()
    assert not theirs.restore_button.isEnabled()
    assert not theirs.restore_file_button.isEnabled()
    assert not theirs.change_folder_button.isEnabled()
    assert theirs.restore_selected() is False


def test_the_daily_backup_runs_in_the_background_once_a_day(
    qtbot: QtBot, admin_window: MainWindow, db: Database, db_path: Path, clinic_accounts
) -> None:
    status = admin_window.statusBar()
    task = backup_jobs.start_daily_backup(db, clinic_accounts.admin_id, status, admin_window)
    assert task is not None
    qtbot.waitUntil(lambda: task.finished, timeout=10_000)
    (daily,) = backups.backups_in(db_path.parent / "backups")
    assert daily.reason == "daily"
    assert status.currentMessage().startswith("Today's backup is written and verified")

    again = backup_jobs.start_daily_backup(db, clinic_accounts.admin_id, status, admin_window)
    assert again is not None
    qtbot.waitUntil(lambda: again.finished, timeout=10_000)
    assert again.result is None
    assert len(backups.backups_in(db_path.parent / "backups")) == 1


def test_failed_automatic_backups_are_reported(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    answers: Answers,
    clinic_accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fail(*_args, **_kwargs):
        raise StorageError("The backup folder /nowhere cannot be written.")

    monkeypatch.setattr(backup_jobs.backups, "automatic_backup", fail)
    task = backup_jobs.start_daily_backup(
        db, clinic_accounts.admin_id, admin_window.statusBar(), admin_window
    )
    qtbot.waitUntil(lambda: task is not None and task.finished, timeout=10_000)
    assert answers.titles() == ["Backup failed"]
    assert "/nowhere cannot be written" in answers.said[0][2]
    assert admin_window.statusBar().currentMessage() == "Today's automatic backup FAILED."

    # The closing work of the last run failed: the next start says so and tries again.
    assert db.path is not None
    closing.write_state(
        db.path, closing.ClosingState(closing.FAILED, 1, message="The disk is full.")
    )
    backup_jobs.owed_backup_at_start(
        db, clinic_accounts.admin_id, admin_window.statusBar(), admin_window
    )
    qtbot.waitUntil(lambda: len(answers.said) == 3, timeout=10_000)
    assert "last closed failed" in answers.said[1][2]
    assert "The disk is full." in answers.said[1][2]
    assert "owed since the last close could not be made" in answers.said[2][2]


def test_the_exit_backup_writes_a_checked_exit_file_and_notes_the_file_verified(
    db: Database, db_path: Path, clinic_accounts
) -> None:
    assert backup_jobs.exit_backup(db, clinic_accounts.admin_id) is True  # the work: inline
    (written,) = backups.backups_in(db_path.parent / "backups")
    assert written.reason == "exit"
    assert closing.read_state(db_path).status == closing.DONE
    assert closing.owed_closing_backup(db_path) is None
    assert verified.unchanged_since_verified(db_path) is not None
    assert actions(db)[-1] == "backup"  # the backup recorded its making (db reopens)
    assert verified.unchanged_since_verified(db_path) is None  # opened since: no longer


def test_an_administrator_added_after_the_backup_can_restore_it(
    qtbot: QtBot,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    db: Database,
    db_path: Path,
    answers: Answers,
    clinic_accounts,
) -> None:
    backups.make_backup(db, db_path.parent / "backups", "manual")
    newer = accounts.add_account(
        db,
        clinic_accounts.admin_id,
        PractitionerForm("Nia New", "nia", "", Role.ADMIN),
        clinic_accounts.password,
    )
    window = open_main(ctx_of(newer))
    dialog = open_dialog(qtbot, window)
    assert dialog.restore_selected() is True

    assert window.restart_requested
    with db.reading() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.actor_id) == ("restore", None)
    assert f"by account {newer}, which the backup does not hold" in last.summary


def test_closing_leaves_the_backup_to_its_own_process_and_the_next_start_catches_up(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    db_path: Path,
    clinic_accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[tuple[Path, int | None, int]] = []
    monkeypatch.setattr(
        backup_jobs,
        "start_closing_process",
        lambda path, actor: started.append((path, actor, connections_here(path))),
    )
    assert backup_jobs.exit_backup(db, clinic_accounts.admin_id) is True
    # Started once, with the file closed: the app does not wait for the backup.
    assert started == [(db_path, clinic_accounts.admin_id, 0)]
    assert not (db_path.parent / "backups").exists()
    owed = closing.owed_closing_backup(db_path)
    assert owed is not None and owed.status == closing.OWED

    # The process never ran (the computer was switched off): the next start makes it.
    backup_jobs.owed_backup_at_start(
        db, clinic_accounts.admin_id, admin_window.statusBar(), admin_window
    )
    qtbot.waitUntil(lambda: closing.read_state(db_path) is None, timeout=10_000)
    (written,) = backups.backups_in(db_path.parent / "backups")
    assert written.reason == "exit"
