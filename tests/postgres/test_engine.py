"""The storage engine on PostgreSQL: writes queue like on SQLite, failures read clearly."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from dnt_desktop import cli
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.storage import engine
from dnt_desktop.storage.engine import WRITE_LOCK_KEY, Database
from dnt_desktop.storage.errors import DatabaseBusyError, StorageError
from dnt_desktop.storage.open import open_database

from .conftest import require_psycopg

psycopg = require_psycopg()

TRY_LOCK = f"SELECT pg_try_advisory_xact_lock({WRITE_LOCK_KEY})"


def _lock_is_free(raw_sql: psycopg.Connection) -> bool:
    with raw_sql.transaction():  # the transaction-scoped lock, if taken, goes with it
        return bool(raw_sql.execute(TRY_LOCK).fetchone()[0])  # type: ignore[index]


def test_write_transactions_take_the_write_lock_at_begin(
    db: Database, raw_sql: psycopg.Connection
) -> None:
    with db.transaction() as session:
        session.execute(text("SELECT 1"))
        assert not _lock_is_free(raw_sql)  # held until the commit
    assert _lock_is_free(raw_sql)
    with db.reading() as session:
        session.execute(text("SELECT 1"))
        assert _lock_is_free(raw_sql)  # reading takes no write lock


def test_a_write_behind_a_stuck_writer_reports_busy_instead_of_hanging(
    db: Database,
    raw_sql: psycopg.Connection,
    practitioner_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(engine, "LOCK_TIMEOUT_MS", 200)
    raw_sql.execute(f"SELECT pg_advisory_lock({WRITE_LOCK_KEY})")  # another program holds it
    try:
        with pytest.raises(DatabaseBusyError, match="busy"):
            register_patient(db, practitioner_id, PatientForm("Doe", "Jo", date(1990, 1, 1)))
    finally:
        raw_sql.execute(f"SELECT pg_advisory_unlock({WRITE_LOCK_KEY})")
    pid = register_patient(db, practitioner_id, PatientForm("Doe", "Jo", date(1990, 1, 1)))
    assert get_patient(db, pid).chart_number == "P000001"  # the refused try left nothing


def test_connections_dropped_by_the_server_are_replaced(
    db: Database, raw_sql: psycopg.Connection, practitioner_id: int
) -> None:
    with db.reading() as session:
        session.execute(text("SELECT 1"))
    raw_sql.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    pid = register_patient(db, practitioner_id, PatientForm("Doe", "Jo", date(1990, 1, 1)))
    assert get_patient(db, pid).family_name == "Doe"


def test_an_unreachable_server_is_reported_in_one_clear_line(
    pg_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    closed = pg_url.set(port=1)
    with pytest.raises(StorageError, match="Cannot connect to the database server") as caught:
        open_database(closed)
    assert "Connection refused" in str(caught.value) and "sqlalche.me" not in str(caught.value)
    for command in ("check", "demo"):
        assert cli.main([command, "--db", closed.render_as_string(hide_password=False)]) == 1
        err = capsys.readouterr().err
        assert err.startswith("dnt-desktop: error: Cannot connect to the database server"), err
        assert len(err.strip().splitlines()) == 1
