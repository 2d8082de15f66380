"""Opening databases: migrations, refusals, and files left untouched."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from dnt_desktop.models import Base
from dnt_desktop.storage.errors import (
    DamagedDatabaseError,
    DatabaseTooNewError,
    NotADatabaseError,
)
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import current_revision, head_revision
from dnt_desktop.storage.open import open_database


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_database_is_created_at_head_matching_the_models(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        assert path.exists()
        assert current_revision(db) == head_revision()
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
            )
        assert diff == []
    finally:
        db.dispose()


def test_sqlite_is_opened_with_wal_full_sync_foreign_keys(db) -> None:
    with db.reading() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


def test_write_transactions_take_the_write_lock_at_begin(db, db_path: Path) -> None:
    other = sqlite3.connect(db_path, timeout=0.1, isolation_level=None)
    try:
        with db.transaction() as session:
            session.execute(text("SELECT 1"))  # BEGIN IMMEDIATE has run: lock held
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        other.execute("BEGIN IMMEDIATE")  # released after commit
        other.execute("ROLLBACK")
        with db.reading() as session:
            session.execute(text("SELECT 1"))  # a plain BEGIN takes no write lock
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()


def test_garbage_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(b"# README\nThis is not a database.\n" * 50)
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="not a dnt-desktop database"):
        open_database(sqlite_url(path))
    assert digest(path) == before
    assert not Path(str(path) + "-wal").exists()


def test_truncated_database_is_refused_and_left_untouched(db_path: Path) -> None:
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) // 2 + 100])
    before = digest(db_path)
    with pytest.raises(DamagedDatabaseError, match="damaged"):
        open_database(sqlite_url(db_path))
    assert digest(db_path) == before


def test_overwritten_pages_are_reported_by_the_integrity_option(db_path: Path) -> None:
    data = bytearray(db_path.read_bytes())
    page = 4096
    for offset in range(page * 2, page * 2 + 600):
        data[offset] = 0x5A
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(DamagedDatabaseError):
        open_database(sqlite_url(db_path), integrity=True)
    assert digest(db_path) == before


def test_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    before = digest(db_path)
    with pytest.raises(DatabaseTooNewError, match="newer version of dnt-desktop"):
        open_database(sqlite_url(db_path))
    assert digest(db_path) == before


def test_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="another program"):
        open_database(sqlite_url(path))
    assert digest(path) == before


def test_reopening_a_current_database_changes_nothing(db_path: Path) -> None:
    open_database(sqlite_url(db_path)).dispose()
    before = digest(db_path)
    open_database(sqlite_url(db_path)).dispose()
    assert digest(db_path) == before


def test_the_head_schemas_tables_are_the_models_tables() -> None:
    from dnt_desktop.storage.migrate import SCHEMA_TABLES

    assert set(Base.metadata.tables) | {"alembic_version"} == SCHEMA_TABLES


@pytest.mark.parametrize(
    ("revision", "error", "words"),
    [
        ("9000", DatabaseTooNewError, "newer version"),
        ("0000", DamagedDatabaseError, "that no version of dnt-desktop writes"),
        ("banana", DamagedDatabaseError, "that no version of dnt-desktop writes"),
    ],
)
def test_a_revision_is_newer_only_when_numbered_after_ours(
    db_path: Path, revision: str, error: type[Exception], words: str
) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.close()
    before = digest(db_path)
    with pytest.raises(error, match=words):
        open_database(sqlite_url(db_path))
    assert digest(db_path) == before


def test_stopped_writes_are_refused_and_reading_goes_on(db, practitioner_id: int) -> None:
    from dnt_desktop.storage.errors import WritesStoppedError

    stopped: list[str] = []
    db.when_disposed(lambda: stopped.append("disposed"))
    db.stop_writes("Saving is stopped: the check found a problem.")
    with pytest.raises(WritesStoppedError, match="Saving is stopped"), db.transaction() as s:
        s.execute(text("DELETE FROM app_setting"))
    with db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM practitioner")).scalar() == 1
    db.dispose()
    assert stopped == ["disposed"]


def test_a_sqlite_file_holding_nothing_is_refused_not_filled(tmp_path: Path) -> None:
    path = tmp_path / "blank.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 1")  # a valid SQLite file with no table
    conn.close()
    before = digest(path)
    with pytest.raises(NotADatabaseError, match="a SQLite file that holds nothing"):
        open_database(sqlite_url(path))
    assert digest(path) == before
