"""Backups are consistent, verified copies that pass `check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnt_desktop.services.integrity import check_database
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
