"""The record of a verified file (``storage.verified``): it proves "unchanged" only while
the file's state (inode, size, modification and change times, side files) is the same."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from dnt_desktop.storage import verified
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database


def noted(path: Path) -> None:
    state = verified.closed_state(path)
    assert state is not None
    verified.record(path, state, "test")


def test_an_untouched_file_is_unchanged_since_it_was_verified(db_path: Path) -> None:
    assert verified.unchanged_since_verified(db_path) is None  # never verified
    noted(db_path)
    entry = verified.unchanged_since_verified(db_path)
    assert entry is not None and entry.how == "test"


def test_any_write_even_with_the_time_set_back_makes_it_changed(db_path: Path) -> None:
    noted(db_path)
    before = db_path.stat()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert verified.unchanged_since_verified(db_path) is None


def test_a_file_copied_over_it_is_changed(db_path: Path, tmp_path: Path) -> None:
    noted(db_path)
    copy = tmp_path / "copy.sqlite3"
    shutil.copy2(db_path, copy)
    os.replace(copy, db_path)  # same bytes, same times: another inode
    assert verified.unchanged_since_verified(db_path) is None


def test_a_file_open_somewhere_is_never_taken_for_unchanged(db_path: Path) -> None:
    noted(db_path)
    db = open_database(sqlite_url(db_path))
    try:
        with db.reading() as session:
            session.connection()
        assert verified.closed_state(db_path) is None
        assert verified.unchanged_since_verified(db_path) is None
    finally:
        db.dispose()


def test_a_record_that_cannot_be_read_proves_nothing(db_path: Path) -> None:
    noted(db_path)
    verified._file(verified.location_of(db_path)).write_text("{not json", encoding="utf-8")
    assert verified.unchanged_since_verified(db_path) is None
    verified.forget(db_path)
    assert verified.load(db_path) is None
