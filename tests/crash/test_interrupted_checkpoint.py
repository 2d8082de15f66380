"""A crash in the middle of a WAL checkpoint is not mistaken for a damaged file.

A checkpoint copies pages from the -wal file into the database in page order, so page 1
(whose header counts the pages) can land before the pages that grow the file. Killed
there, the file is shorter than its header says while the WAL still holds every page;
SQLite completes the checkpoint on the next open. The app must open such a file.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from dnt_desktop.models import AppSetting
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

PAGE = 4096


def test_a_file_cut_short_by_a_checkpoint_opens_with_everything_in_it(db_path: Path) -> None:
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO app_setting (key, value, updated_at) VALUES (?, ?, '2026-11-25 09:00:00')",
        [(f"k{i:05d}", "x" * 200) for i in range(2000)],
    )
    conn.execute("COMMIT")
    wal = Path(f"{db_path}-wal")
    before = db_path.read_bytes()  # nothing checkpointed yet: the rows are all in the WAL
    saved_wal = wal.read_bytes()
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    after = db_path.read_bytes()
    conn.close()  # (this removes the -wal file; the crash state is rebuilt below)
    assert len(after) > len(before) + 10 * PAGE

    db_path.write_bytes(after[:PAGE] + before[PAGE:])  # page 1 written, the rest not yet
    wal.write_bytes(saved_wal)
    shutil.rmtree(db_path.with_name(db_path.name + "-shm"), ignore_errors=True)

    db = open_database(sqlite_url(db_path), integrity=True)
    try:
        with db.reading() as s:
            assert s.scalar(select(func.count()).select_from(AppSetting)) == 2000
    finally:
        db.dispose()
    assert check_database(sqlite_url(db_path)).ok
