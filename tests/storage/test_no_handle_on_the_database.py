"""The app opens a database file (and its -wal, -shm, -journal) only through SQLite.

SQLite's locks belong to the process: closing any other handle on the file drops them,
and another program may then delete the -wal under the running app (issue 12). Python's
audit hook sees every ``open()``/``os.open()`` of the process; while the app opens,
writes, checks, backs up, migrates and restores, none may name the database or a file
beside it that SQLite owns.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic import command

from dnt_desktop import demo
from dnt_desktop.services import backups
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.file_check import FileCheck
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config
from dnt_desktop.storage.online_backup import backup_sqlite
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.probe import inspect_file, integrity_problems

_watched: list[Path] = []
_opened: list[str] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event != "open" or not _watched or not isinstance(args[0], str | bytes | os.PathLike):
        return
    name = os.path.abspath(os.fsdecode(args[0]))
    for path in _watched:
        if name == str(path) or name in {f"{path}{s}" for s in ("-wal", "-shm", "-journal")}:
            _opened.append(name)


sys.addaudithook(_hook)


@pytest.fixture
def watch() -> Iterator[list[str]]:
    """``watch.append(path)`` … the paths opened outside SQLite are collected."""
    _opened.clear()
    yield _watched  # type: ignore[misc]
    _watched.clear()


def test_opening_writing_checking_and_backing_up_use_only_sqlite(
    tmp_path: Path, watch: list[Path]
) -> None:
    path = tmp_path / "clinic.sqlite3"
    setup = open_database(sqlite_url(path))
    demo.generate(setup, patients=3, seed=4)
    setup.dispose()
    watch.append(path)

    db = open_database(sqlite_url(path), integrity=True, early_check=FileCheck(path).start())
    try:
        register_patient(db, 1, PatientForm("Lock", "Keeper", date(1975, 3, 3)))
        backup_sqlite(path, tmp_path / "copy.sqlite3")
        backups.automatic_backup(db, "daily")
        assert integrity_problems(path) == []
        assert inspect_file(path, integrity=True).revision is not None
        assert check_database(sqlite_url(path)).ok
        register_patient(db, 1, PatientForm("Lock", "Second", date(1975, 3, 4)))
    finally:
        db.dispose()
    assert _opened == []


def test_a_migration_and_a_restore_use_only_sqlite(tmp_path: Path, watch: list[Path]) -> None:
    path = tmp_path / "clinic.sqlite3"
    old = Database(sqlite_url(path))
    config = alembic_config()
    with old.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    old.dispose()
    watch.append(path)

    db = open_database(sqlite_url(path))  # migrated, with a copy taken first
    try:
        backup = backups.make_backup(db, tmp_path / "backups", "manual")
    finally:
        db.dispose()
    backups.restore_backup(path, backup)
    assert list(tmp_path.glob("clinic.before-migration-*.sqlite3"))
    assert _opened == []
