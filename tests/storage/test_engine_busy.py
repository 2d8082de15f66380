"""A busy database: bounded retries with jitter, then a clear "busy, try again" message."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from dnt_desktop.storage import engine
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import DatabaseBusyError
from dnt_desktop.storage.location import sqlite_url


@pytest.fixture
def impatient(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    """The test database with a 50 ms busy timeout instead of 10 s."""
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 50)
    database = Database(sqlite_url(db_path))
    yield database
    database.dispose()


def _write(session: Session) -> int:
    session.execute(
        text(
            "INSERT INTO app_setting (key, value, updated_at) VALUES "
            "('probe', 'x', '2026-11-25 09:00:00')"
        )
    )
    return 1


def test_a_write_waits_for_another_writer_and_then_succeeds(
    impatient: Database, db_path: Path
) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.2, lambda: holder.execute("ROLLBACK"))
    release.start()
    try:
        assert impatient.run_in_transaction(_write, retries=6) == 1
    finally:
        release.join()
        holder.close()
    with impatient.reading() as s:
        assert s.execute(text("SELECT value FROM app_setting WHERE key = 'probe'")).scalar() == "x"


def test_a_write_gives_up_after_the_retries_with_a_clear_message(
    impatient: Database, db_path: Path
) -> None:
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(DatabaseBusyError, match=r"busy .*try again"):
            impatient.run_in_transaction(_write, retries=2, base_delay=0.01)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_each_retry_is_a_fresh_transaction(impatient: Database) -> None:
    attempts: list[int] = []

    def flaky(session: Session) -> int:
        session.execute(
            text(
                "INSERT INTO app_setting (key, value, updated_at) VALUES "
                f"('try{len(attempts)}', 'x', '2026-11-25 09:00:00')"
            )
        )
        attempts.append(1)
        if len(attempts) < 3:
            raise DatabaseBusyError("busy")
        return len(attempts)

    assert impatient.run_in_transaction(flaky, retries=3, base_delay=0.001) == 3
    with impatient.reading() as s:
        keys = list(s.execute(text("SELECT key FROM app_setting ORDER BY key")).scalars())
    assert keys == ["try2"]  # the two failed attempts were rolled back
