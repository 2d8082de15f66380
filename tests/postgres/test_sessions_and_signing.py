"""Charting, signing and amending sessions on PostgreSQL, and its triggers guarding them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from sqlalchemy import update

from dnt_desktop.models import TreatmentSession
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.services import records
from dnt_desktop.services.errors import SignedRecordError
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import draft_from, load_session, save_session, session_history
from dnt_desktop.services.signing import content_hash
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError, StorageError

from .conftest import PASSWORD, SESSION_DAY, draft_for

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


def test_a_saved_session_reads_back_exactly(
    db: Database, pract_id: int, patient: int, draft_id: int
) -> None:
    row = load_session(db, draft_id)
    expected = replace(draft_for(patient, pract_id), session_id=draft_id, version=1)
    assert draft_from(row) == expected
    assert row.started_at == SESSION_DAY  # microseconds and UTC survive the round trip
    assert [a.code for a in row.acknowledgements] == ["deep_lung_risk"]
    assert row.points[0].x == pytest.approx(0.412345678, abs=1e-12)
    history = session_history(db, patient)
    assert [(h.session_id, h.point_count, h.status) for h in history] == [
        (draft_id, 2, SessionStatus.DRAFT)
    ]
    stale = records.stale_drafts(db, pract_id, now=SESSION_DAY + timedelta(days=5))
    assert [(d.session_id, d.days_old, d.chart_number) for d in stale] == [(draft_id, 5, "P000001")]
    assert records.stale_drafts(db, pract_id, now=SESSION_DAY + timedelta(days=1)) == []


def test_editing_a_draft_replaces_its_rows_and_guards_the_version(
    db: Database, pract_id: int, draft_id: int
) -> None:
    opened = draft_from(load_session(db, draft_id))
    opened.points = opened.points[:1]
    opened.notes = "One point only."
    saved = save_session(db, pract_id, opened)
    assert (saved.session_id, saved.version, saved.created) == (draft_id, 2, False)
    assert [p.number for p in load_session(db, draft_id).points] == [1]
    opened.notes = "Stale copy from another workstation."
    with pytest.raises(ConcurrentChangeError):
        save_session(db, pract_id, opened)  # still version 1
    assert load_session(db, draft_id).notes == "One point only."


def test_signing_freezes_the_content_and_amendments_are_appended(
    db: Database, pract_id: int, draft_id: int
) -> None:
    signed = records.sign_session(db, pract_id, draft_id, PASSWORD, now=LATER)
    row = load_session(db, draft_id)
    assert row.status == SessionStatus.SIGNED and row.signed_at == LATER
    assert content_hash(row) == row.content_hash == signed.content_hash
    assert records.signature_intact(db, draft_id) is True
    with pytest.raises(SignedRecordError, match="amendment"):
        save_session(db, pract_id, draft_from(row))
    first = records.amend_session(db, pract_id, draft_id, " Pain 2/10 next day. ", now=LATER)
    records.amend_session(db, pract_id, draft_id, "Bruise resolved.")
    listed = records.amendments(db, draft_id)
    assert [(a.id == first, a.text) for a in listed] == [
        (True, "Pain 2/10 next day."),
        (False, "Bruise resolved."),
    ]
    assert listed[0].created_at == LATER
    assert [h.amendment_count for h in session_history(db, row.patient_id)] == [2]
    assert records.signature_intact(db, draft_id) is True


def test_orm_writes_to_a_signed_session_are_refused_with_a_clear_message(
    db: Database, signed_id: int
) -> None:
    with pytest.raises(StorageError, match="signed") as caught, db.transaction() as s:
        s.execute(
            update(TreatmentSession)
            .where(TreatmentSession.id == signed_id)
            .values(notes="rewritten")
        )
    assert "Traceback" not in str(caught.value) and "psycopg" not in str(caught.value)
    assert records.signature_intact(db, signed_id) is True


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
