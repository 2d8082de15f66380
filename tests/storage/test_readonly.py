"""How a database file is read: exact, without locks lost and without files created beside it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import text

from dnt_desktop.storage import readonly
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.probe import inspect_file
from dnt_desktop.storage.readonly import IMMUTABLE, LOCKED, PRIVATE_WAL, ReadOnlyView


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_closed_file_is_read_immutable_and_nothing_is_created(db_path: Path) -> None:
    view = ReadOnlyView(db_path)
    assert view.how == IMMUTABLE
    assert inspect_file(db_path, integrity=True).revision is not None
    assert listing(db_path.parent) == ["clinic.sqlite3"]


def test_a_file_open_in_this_process_is_read_through_sqlites_locks(db: Database) -> None:
    assert db.path is not None
    with db.reading() as session:
        session.execute(text("SELECT 1"))
    assert readonly.connections_here(db.path) >= 1
    assert ReadOnlyView(db.path).how == LOCKED
    db.dispose()
    assert readonly.connections_here(db.path) == 0


def test_a_wal_left_without_its_shm_is_read_in_memory(db_path: Path) -> None:
    main = db_path.read_bytes()
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("INSERT INTO app_setting VALUES ('left', 'in the wal', '2026-11-25 09:00')")
    wal, shm = Path(f"{db_path}-wal"), Path(f"{db_path}-shm")
    saved = wal.read_bytes()
    writer.close()  # (this copies the row into the file; the crash state is rebuilt below)
    db_path.write_bytes(main)
    wal.write_bytes(saved)  # the row only in the -wal, and no -shm: as a crash leaves it
    assert not shm.exists()

    view = ReadOnlyView(db_path)
    conn = view.connect()
    try:
        row = conn.execute("SELECT value FROM app_setting WHERE key = 'left'").fetchone()
    finally:
        conn.close()
    assert view.how == PRIVATE_WAL and row == ("in the wal",)
    assert view.unchanged()
    assert listing(db_path.parent) == ["clinic.sqlite3", "clinic.sqlite3-wal"]


def test_a_lock_free_read_spoiled_by_a_writer_is_not_trusted(db_path: Path) -> None:
    view = ReadOnlyView(db_path)
    assert view.unchanged()
    later = db_path.stat().st_mtime_ns + 5_000_000_000
    os.utime(db_path, ns=(later, later))  # as a writer's checkpoint would
    assert not view.unchanged()
    assert view.locked().how == LOCKED and view.locked().unchanged()
