"""Automatic backups: names, daily and exit backups, rotation, and the audit trail."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import backups
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage import backup_files
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.probe import integrity_problems

MORNING = datetime(2026, 11, 25, 8, 5, 9).astimezone()


def test_the_backup_folder_is_beside_the_data_unless_configured(tmp_path: Path) -> None:
    db_path = tmp_path / "data" / "dnt-desktop.sqlite3"
    assert backup_files.backup_folder(db_path, None) == tmp_path / "data" / "backups"
    assert backup_files.backup_folder(db_path, "  ") == tmp_path / "data" / "backups"
    assert backup_files.backup_folder(db_path, str(tmp_path / "usb")) == tmp_path / "usb"


def test_a_backup_is_named_verified_and_holds_its_own_audit_event(
    db: Database, tmp_path: Path, admin_id: int
) -> None:
    folder = tmp_path / "backups"
    path = backups.make_backup(db, folder, "daily", actor_id=admin_id, now=MORNING)
    assert path == folder / "dnt-desktop-20261125-080509-daily.sqlite3"
    assert integrity_problems(path) == []
    assert check_database(sqlite_url(path)).ok
    copy = sqlite3.connect(path)
    try:
        action, actor, summary = copy.execute(
            "SELECT action, actor_id, summary FROM audit_event ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        copy.close()
    assert (action, actor) == ("backup", admin_id) and str(path) in summary
    again = backups.make_backup(db, folder, "daily", now=MORNING)  # same second: a new name
    assert again.name == "dnt-desktop-20261125-080509-daily-2.sqlite3"


def test_a_failed_backup_is_audited_too(
    db: Database, tmp_path: Path, admin_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(source: Path, dest: Path) -> Path:
        raise StorageError("disk full")

    monkeypatch.setattr(backups, "backup_sqlite", fail)
    with pytest.raises(StorageError, match="disk full"):
        backups.make_backup(db, tmp_path / "b", "exit", actor_id=admin_id)
    with db.reading() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())))
    assert actions[:2] == ["backup_failed", "backup"]


def test_a_daily_backup_is_due_once_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    assert backup_files.daily_backup_due(folder, date(2026, 11, 25))  # no folder yet
    folder.mkdir()
    (folder / "dnt-desktop-20261125-180000-exit.sqlite3").write_bytes(b"")
    assert backup_files.daily_backup_due(folder, date(2026, 11, 25))  # exit backups don't count
    (folder / "dnt-desktop-20261125-080000-daily.sqlite3").write_bytes(b"")
    assert not backup_files.daily_backup_due(folder, date(2026, 11, 25))
    assert backup_files.daily_backup_due(folder, date(2026, 11, 26))


def test_automatic_backups_at_start_and_exit_follow_the_settings(
    db: Database, db_path: Path, tmp_path: Path, admin_id: int
) -> None:
    set_setting(db, admin_id, "backup_keep", "3")
    first = backups.automatic_backup(db, "daily", now=MORNING)
    assert first is not None and first.parent == db_path.parent / "backups"
    assert backups.automatic_backup(db, "daily", now=MORNING.replace(hour=13)) is None
    for hour in (12, 13, 14, 15):
        assert backups.automatic_backup(db, "exit", now=MORNING.replace(hour=hour)) is not None
    assert [b.path.name for b in backup_files.backups_in(first.parent)] == [
        "dnt-desktop-20261125-150509-exit.sqlite3",
        "dnt-desktop-20261125-140509-exit.sqlite3",
        "dnt-desktop-20261125-130509-exit.sqlite3",
    ]
    set_setting(db, admin_id, "backup_folder", str(tmp_path / "usb"))
    moved = backups.automatic_backup(db, "daily", now=MORNING.replace(day=26))
    assert moved is not None and moved.parent == tmp_path / "usb"


def test_rotation_keeps_the_newest_and_never_touches_other_files(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    ours = [
        folder / f"dnt-desktop-202611{day:02d}-0900{sec:02d}-{reason}.sqlite3"
        for day in range(1, 11)
        for sec, reason in ((0, "daily"), (30, "exit"))
    ]
    foreign = [
        folder / "dnt-desktop.before-migration-0001-20261101-090000.sqlite3",
        folder / "dnt-desktop.before-restore-20261101-090000.sqlite3",
        folder / "dnt-desktop-20261101-090000-daily.sqlite3.partial",
        folder / "dnt-desktop-20261101-090000-daily.sqlite3.txt",
        folder / "notes.txt",
        folder / "dnt-desktop-2026111-090000-daily.sqlite3",
    ]
    for path in ours + foreign:
        path.write_bytes(b"x")
    removed = backup_files.rotate(folder, keep=5)
    assert sorted(removed) == sorted(ours[:-5])
    assert sorted(folder.iterdir()) == sorted(ours[-5:] + foreign)
    assert backup_files.rotate(folder, keep=5) == []
    with pytest.raises(ValueError):
        backup_files.rotate(folder, keep=0)


def test_postgres_databases_are_not_copied_as_files(db: Database, tmp_path: Path) -> None:
    db.path = None  # what a PostgreSQL Database looks like to this module
    assert backups.automatic_backup(db, "exit") is None
    with pytest.raises(StorageError, match="pg_dump"):
        backups.make_backup(db, tmp_path, "manual")


def test_copies_cut_short_an_hour_ago_are_removed_at_the_next_backup(
    db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    old_names = ["dnt-desktop-20261101-080000-daily.sqlite3.partial"]
    old_names.append(old_names[0] + "-journal")
    fresh = folder / "dnt-desktop-20261125-075900-daily.sqlite3.partial"
    other = folder / "someone-elses.sqlite3.partial"
    for path in [*(folder / n for n in old_names), fresh, other]:
        path.write_bytes(b"half a copy")
    an_hour_ago = time.time() - backup_files.ABANDONED_AFTER_S - 60
    for path in [*(folder / n for n in old_names), other]:
        os.utime(path, (an_hour_ago, an_hour_ago))

    made = backups.make_backup(db, folder, "manual", now=MORNING)

    beside = made.name + ".head"  # the trail's head written beside the copy
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [made.name, beside, fresh.name, other.name]
    )
