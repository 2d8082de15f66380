"""Backups are consistent, verified copies that pass `check`."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage import online_backup
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import NotADatabaseError, StorageError
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.online_backup import backup_sqlite
from dnt_desktop.storage.probe import integrity_problems


def test_backup_of_a_live_database_passes_check(
    db: Database, db_path: Path, patient_id: int, tmp_path: Path
) -> None:
    dest = backup_sqlite(db_path, tmp_path / "backups" / "copy.sqlite3")
    assert integrity_problems(dest) == []
    report = check_database(sqlite_url(dest))
    assert report.ok, report.problems
    assert not (tmp_path / "backups" / "copy.sqlite3.partial").exists()


def test_backup_refuses_to_overwrite_the_database(db_path: Path) -> None:
    with pytest.raises(StorageError, match="must not overwrite"):
        backup_sqlite(db_path, db_path)


def test_backup_of_a_non_database_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "x.sqlite3"
    source.write_text("hello")
    with pytest.raises(NotADatabaseError):
        backup_sqlite(source, tmp_path / "y.sqlite3")
    assert not (tmp_path / "y.sqlite3").exists()


@pytest.mark.parametrize(
    "full",
    [
        sqlite3.OperationalError("database or disk is full"),
        OSError(errno.ENOSPC, "No space left on device"),
    ],
    ids=["sqlite", "os"],
)
def test_a_full_disk_is_said_with_what_to_do_and_the_old_backups_stay(
    db_path: Path, patient_id: int, tmp_path: Path, monkeypatch, full: BaseException
) -> None:
    folder = tmp_path / "backups"
    older = backup_sqlite(db_path, folder / "older.sqlite3")
    kept = older.read_bytes()

    def copy_until_full(view, partial: Path) -> None:
        partial.write_bytes(b"SQLite format 3\x00 half a copy")
        raise full

    monkeypatch.setattr(online_backup, "_copy", copy_until_full)
    with pytest.raises(StorageError) as refused:
        backup_sqlite(db_path, folder / "new.sqlite3")
    message = str(refused.value)
    assert "the disk is full" in message and "Keep the newest" in message
    assert "The old backups were kept." in message
    assert older.read_bytes() == kept
    assert sorted(p.name for p in folder.iterdir()) == ["older.sqlite3"]
