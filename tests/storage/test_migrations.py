"""Migrations: a 0001 database is upgraded with a safety copy, and gains its guards."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config, current_revision, head_revision
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.probe import integrity_problems

from .old_database import build_old_database


def migrate(db: Database, revision: str, *, down: bool = False) -> None:
    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(config, revision)


def triggers(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    finally:
        conn.close()


@pytest.fixture
def old_path(tmp_path: Path) -> Path:
    """A database at revision 0001 holding signed sessions and an amendment."""
    return build_old_database(tmp_path / "clinic.sqlite3", "0001").path


def test_a_0001_database_is_upgraded_with_a_checked_copy_beside_it(old_path: Path) -> None:
    assert triggers(old_path) == set()
    db = open_database(sqlite_url(old_path))
    try:
        assert current_revision(db) == head_revision() != "0001"
    finally:
        db.dispose()
    copies = list(old_path.parent.glob("clinic.before-migration-0001-*.sqlite3"))
    assert len(copies) == 1 and integrity_problems(copies[0]) == []
    assert check_database(sqlite_url(copies[0])).notes  # still at 0001, untouched
    assert "treatment_session_signed_no_update" in triggers(old_path)
    assert check_database(sqlite_url(old_path)).ok
    conn = sqlite3.connect(old_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="signed sessions cannot be changed"):
            conn.execute("UPDATE treatment_session SET notes = 'x' WHERE status = 'signed'")
    finally:
        conn.close()


GUARDS = (2 + 5 * 3 + 2 * 2) + (2 + 2 + 5 * 2) + 4 * 3 + 3
"""Migration 0002's triggers, then 0007's (no REPLACE over protected rows), 0008's
(append-only measures, retractions and sent letters) and 0009's (late events are
append-only). 0011 and 0012 recreate some of them (the disposal's and the erasure's
passes) under the same names."""


def _delete_guard(path: Path, table: str) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (f"{table}_no_delete",),
        ).fetchone()[0]


def test_0012_opens_the_append_only_guards_to_an_erasure_and_its_downgrade_closes_them(
    db: Database, db_path: Path
) -> None:
    tables = ("outcome_measure", "measure_answer", "measure_retraction", "sent_letter")
    for table in (*tables, "late_event"):
        assert "erasure_pass" in _delete_guard(db_path, table)
    migrate(db, "0011", down=True)
    for table in (*tables, "late_event"):
        guard = _delete_guard(db_path, table)
        assert "erasure_pass" not in guard and "append-only" in guard
    with sqlite3.connect(db_path) as conn:
        tables_left = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "erasure_pass" not in tables_left and "ix_audit_event_erased" not in tables_left
    migrate(db, "head")
    assert "erasure_pass" in _delete_guard(db_path, "late_event")


def test_downgrade_removes_every_guard(db: Database, db_path: Path) -> None:
    assert len(triggers(db_path)) == GUARDS
    migrate(db, "0001", down=True)
    assert triggers(db_path) == set()
    migrate(db, "head")
    assert len(triggers(db_path)) == GUARDS
