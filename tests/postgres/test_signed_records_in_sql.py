"""PostgreSQL's own triggers guarding signed sessions, amendments and the audit trail against
raw SQL (the services' behaviour on PostgreSQL runs in tests/services, marked both_databases)."""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
import pytest

from dnt_desktop.services import records
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import load_session, save_session
from dnt_desktop.storage.engine import Database

from .conftest import PASSWORD, draft_for

CHILD_TABLES = ("session_condition", "session_adjunct", "needling_point", "side_effect")
LATER = datetime(2026, 11, 21, 8, 30, 5, 250000, tzinfo=UTC)
SIGNED = "signed sessions cannot be changed"
ALERT = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a lung-risk muscle")


@pytest.fixture
def draft_id(db: Database, pract_id: int, patient: int) -> int:
    """A saved draft with a row in every charted table (an acknowledged alert too)."""
    return save_session(db, pract_id, draft_for(patient, pract_id), [ALERT]).session_id


@pytest.fixture
def signed_id(db: Database, pract_id: int, draft_id: int) -> int:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    return draft_id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE treatment_session SET notes = 'rewritten' WHERE id = %(id)s",
        "UPDATE treatment_session SET status = 'draft' WHERE id = %(id)s",
        "UPDATE treatment_session SET content_hash = NULL WHERE id = %(id)s",
        "DELETE FROM treatment_session WHERE id = %(id)s",
    ],
)
def test_raw_sql_cannot_change_a_signed_session(
    raw_sql: psycopg.Connection, signed_id: int, statement: str
) -> None:
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match=SIGNED):
        raw_sql.execute(statement, {"id": signed_id})


def test_raw_sql_cannot_touch_the_charted_rows_of_a_signed_session(
    raw_sql: psycopg.Connection, db: Database, pract_id: int, patient: int, signed_id: int
) -> None:
    other = save_session(db, pract_id, draft_for(patient, pract_id), [ALERT]).session_id
    tables = (*CHILD_TABLES, "alert_acknowledgement")
    for table in tables:
        columns = [
            name
            for (name,) in raw_sql.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_name = %s AND column_name <> 'id'",
                (table,),
            )
        ]
        copy = ", ".join(columns)
        statements = (
            f"INSERT INTO {table} ({copy}) SELECT {copy} FROM {table} WHERE session_id = %(id)s",
            f"UPDATE {table} SET session_id = session_id WHERE session_id = %(id)s",
            f"DELETE FROM {table} WHERE session_id = %(id)s",
            f"UPDATE {table} SET session_id = %(id)s WHERE session_id = %(other)s",
        )
        for statement in statements:
            with pytest.raises(psycopg.errors.IntegrityConstraintViolation, match=SIGNED):
                raw_sql.execute(statement, {"id": signed_id, "other": other})
                pytest.fail(f"not refused: {statement}")
    assert records.signature_intact(db, signed_id) is True


@pytest.mark.parametrize("table", ["audit_event", "amendment"])
@pytest.mark.parametrize(
    "statement",
    ["UPDATE {table} SET id = id", "DELETE FROM {table}", "TRUNCATE {table} CASCADE"],
)
def test_the_audit_trail_and_amendments_are_append_only_in_sql(
    raw_sql: psycopg.Connection, db: Database, pract_id: int, signed_id: int, table: str,
    statement: str,
) -> None:  # fmt: skip
    records.amend_session(db, pract_id, signed_id, "Late note.")
    with pytest.raises(
        psycopg.errors.IntegrityConstraintViolation, match=f"{table} rows are append-only"
    ):
        raw_sql.execute(statement.format(table=table))
    assert raw_sql.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1  # type: ignore[index]


def test_drafts_stay_editable_in_sql_and_amendments_and_deliveries_are_added(
    raw_sql: psycopg.Connection, db: Database, pract_id: int, patient: int, signed_id: int
) -> None:
    draft = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    with raw_sql.transaction():
        raw_sql.execute("UPDATE treatment_session SET notes = 'edited' WHERE id = %s", (draft,))
        raw_sql.execute("DELETE FROM needling_point WHERE session_id = %s", (draft,))
        raw_sql.execute(
            "INSERT INTO amendment (session_id, author_id, created_at, text) "
            "VALUES (%s, %s, '2026-11-21 09:00:00', 'late note')",
            (signed_id, pract_id),
        )
        raw_sql.execute(
            "INSERT INTO aftercare_delivery (session_id, practitioner_id, delivered_at, kind, "
            "detail) VALUES (%s, %s, '2026-11-21 09:00:00', 'printed', '')",
            (signed_id, pract_id),
        )
    assert load_session(db, draft).notes == "edited" and load_session(db, draft).points == []
    assert [a.text for a in load_session(db, signed_id).amendments] == ["late note"]
