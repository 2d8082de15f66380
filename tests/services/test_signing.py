"""Signing: only the own practitioner with their password, and a signed session is frozen
in the services and in the database itself."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from dnt_desktop.models import AuditEvent, NeedlingPoint, TreatmentSession
from dnt_desktop.models.enums import ChartView, ConsentMethod, DepthClass, SessionStatus, Side
from dnt_desktop.services import records, signature_check
from dnt_desktop.services.accounts import AuthenticationError, PermissionDeniedError
from dnt_desktop.services.clinical import record_consent, withdraw_consent
from dnt_desktop.services.drafts import ConsentForm, PatientForm, PointDraft
from dnt_desktop.services.errors import NotFoundError, SignedRecordError, ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.signing import content_hash
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError, StorageError
from dnt_desktop.storage.location import sqlite_url

from .conftest import PASSWORD, draft_for

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL

CHILD_TABLES = (
    "session_condition",
    "session_adjunct",
    "needling_point",
    "side_effect",
    "alert_acknowledgement",
)
SIGNED_AT = datetime(2026, 11, 20, 15, 2, 3, 456789, tzinfo=UTC)


def test_signing_freezes_the_session_with_its_content_hash(
    db: Database,
    db_path: Path,
    pract_id: int,
    draft_id: int,
    new_events: Callable[[], list[AuditEvent]],
) -> None:
    new_events()
    signed = records.sign_session(db, pract_id, draft_id, PASSWORD, now=SIGNED_AT)
    row = load_session(db, draft_id)
    assert row.status == SessionStatus.SIGNED
    assert row.signed_at == SIGNED_AT and row.signed_by_id == pract_id
    assert row.content_hash == signed.content_hash == content_hash(row)
    assert signed.version == row.version
    events = new_events()
    assert [(e.action, e.actor_id, e.entity_id) for e in events] == [("sign", pract_id, draft_id)]
    assert records.signature_intact(db, draft_id) is True
    assert check_database(sqlite_url(db_path)).ok


def test_a_wrong_password_signs_nothing_and_is_audited(
    db: Database, pract_id: int, draft_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    with pytest.raises(AuthenticationError, match="wrong"):
        records.sign_session(db, pract_id, draft_id, "not my password")
    assert load_session(db, draft_id).status == SessionStatus.DRAFT
    assert [(e.action, e.actor_id) for e in new_events()] == [("sign_failed", pract_id)]


def test_only_the_sessions_own_practitioner_signs(
    db: Database, other_id: int, admin_id: int, draft_id: int
) -> None:
    for someone in (other_id, admin_id):
        with pytest.raises(PermissionDeniedError, match="Sam Physio, who charted"):
            records.sign_session(db, someone, draft_id, PASSWORD)
    assert load_session(db, draft_id).status == SessionStatus.DRAFT


def test_a_signed_session_is_not_signed_again(db: Database, pract_id: int, draft_id: int) -> None:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    with pytest.raises(SignedRecordError, match="already signed"):
        records.sign_session(db, pract_id, draft_id, PASSWORD)


def test_signing_what_was_not_seen_is_refused(db: Database, pract_id: int, draft_id: int) -> None:
    seen = load_session(db, draft_id).version
    draft = draft_from(load_session(db, draft_id))
    draft.notes = "changed on another workstation"
    save_session(db, pract_id, draft)
    with pytest.raises(ConcurrentChangeError):
        records.sign_session(db, pract_id, draft_id, PASSWORD, expected_version=seen)


def test_needling_without_consent_on_the_day_is_not_signed(db: Database, pract_id: int) -> None:
    pid = register_patient(db, pract_id, PatientForm("Roe", "Rick", date(1970, 1, 1)))
    sid = save_session(db, pract_id, draft_for(pid, pract_id)).session_id
    with pytest.raises(ValidationError, match="consent is not on record"):
        records.sign_session(db, pract_id, sid, PASSWORD)
    # consent given after the session does not cover it either
    record_consent(db, pract_id, pid, ConsentForm(date(2026, 11, 21), ConsentMethod.VERBAL))
    with pytest.raises(ValidationError, match="consent"):
        records.sign_session(db, pract_id, sid, PASSWORD)
    record_consent(db, pract_id, pid, ConsentForm(date(2026, 11, 2), ConsentMethod.WRITTEN))
    records.sign_session(db, pract_id, sid, PASSWORD)


def test_a_later_withdrawal_does_not_block_signing_an_earlier_session(
    db: Database, pract_id: int, patient: int, draft_id: int
) -> None:
    consent = load_consent_id(db, patient)
    withdraw_consent(db, pract_id, consent, date(2026, 11, 22))
    records.sign_session(db, pract_id, draft_id, PASSWORD)


def load_consent_id(db: Database, patient_id: int) -> int:
    from dnt_desktop.services.clinical import consents

    return consents(db, patient_id)[0].id


def test_a_session_without_points_signs_without_consent(db: Database, pract_id: int) -> None:
    pid = register_patient(db, pract_id, PatientForm("Roe", "Rita", date(1970, 1, 1)))
    sid = save_session(db, pract_id, draft_for(pid, pract_id, points=0)).session_id
    records.sign_session(db, pract_id, sid, PASSWORD)


def test_a_draft_that_breaks_a_rule_is_not_signed(
    db: Database, pract_id: int, draft_id: int
) -> None:
    with db.transaction() as s:  # e.g. a muscle since removed from the catalogue
        s.execute(update(NeedlingPoint).values(muscle_code="retired_muscle"))
    with pytest.raises(ValidationError, match="Point 1: Choose the muscle"):
        records.sign_session(db, pract_id, draft_id, PASSWORD)
    assert load_session(db, draft_id).status == SessionStatus.DRAFT


def test_a_session_dated_ahead_is_signed_only_once_it_has_started(
    db: Database, pract_id: int, patient: int
) -> None:
    soon = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=3)
    draft = replace(draft_for(patient, pract_id), started_at=soon)
    sid = save_session(db, pract_id, draft).session_id
    with pytest.raises(ValidationError, match="sign it once the treatment has taken place"):
        records.sign_session(db, pract_id, sid, PASSWORD)
    assert load_session(db, sid).status == SessionStatus.DRAFT
    records.sign_session(db, pract_id, sid, PASSWORD, now=soon + timedelta(minutes=1))
    assert load_session(db, sid).status == SessionStatus.SIGNED


# --- frozen: services and the database ----------------------------------------------


@pytest.fixture
def signed_id(db: Database, pract_id: int, draft_id: int) -> int:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    return draft_id


def test_the_services_refuse_to_save_over_a_signed_session(
    db: Database, pract_id: int, signed_id: int
) -> None:
    draft = draft_from(load_session(db, signed_id))
    draft.notes = "rewritten"
    with pytest.raises(SignedRecordError, match="amendment"):
        save_session(db, pract_id, draft)
    assert load_session(db, signed_id).notes == "Familiar pain reproduced."


def test_orm_writes_to_a_signed_session_are_refused_with_a_clear_message(
    db: Database, signed_id: int
) -> None:
    with pytest.raises(StorageError, match="signed") as caught, db.transaction() as s:
        s.execute(
            update(TreatmentSession)
            .where(TreatmentSession.id == signed_id)
            .values(notes="rewritten")
        )
    assert "Traceback" not in str(caught.value)
    assert records.signature_intact(db, signed_id) is True


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE treatment_session SET notes = 'rewritten' WHERE id = :id",
        "UPDATE treatment_session SET status = 'draft' WHERE id = :id",
        "UPDATE treatment_session SET content_hash = NULL WHERE id = :id",
        "DELETE FROM treatment_session WHERE id = :id",
    ],
)
def test_raw_sql_cannot_change_a_signed_session(
    db_path: Path, signed_id: int, statement: str
) -> None:
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="signed sessions cannot be changed"):
            conn.execute(statement, {"id": signed_id})
    finally:
        conn.close()


@pytest.mark.parametrize("table", CHILD_TABLES)
def test_raw_sql_cannot_touch_the_charted_rows_of_a_signed_session(
    db_path: Path, signed_id: int, table: str
) -> None:
    conn = sqlite3.connect(db_path)
    try:
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "id"]
        copy = ", ".join(columns)
        statements = (
            f"INSERT INTO {table} ({copy}) SELECT {copy} FROM {table} WHERE session_id = :id",
            f"UPDATE {table} SET session_id = session_id WHERE session_id = :id",
            f"DELETE FROM {table} WHERE session_id = :id",
        )
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] >= 1
        for statement in statements:
            with pytest.raises(sqlite3.IntegrityError, match="signed sessions cannot be changed"):
                conn.execute(statement, {"id": signed_id})
    finally:
        conn.close()


def test_a_child_row_cannot_be_moved_into_a_signed_session(
    db: Database, db_path: Path, pract_id: int, patient: int, signed_id: int
) -> None:
    other = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="signed sessions"):
            conn.execute(
                "UPDATE needling_point SET session_id = ? WHERE session_id = ?", (signed_id, other)
            )
    finally:
        conn.close()


def test_drafts_stay_editable_in_sql_and_amendments_and_deliveries_are_added(
    db: Database, db_path: Path, pract_id: int, patient: int, signed_id: int
) -> None:
    draft = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute("UPDATE treatment_session SET notes = 'edited' WHERE id = ?", (draft,))
            conn.execute("DELETE FROM needling_point WHERE session_id = ?", (draft,))
            conn.execute(
                "INSERT INTO amendment (session_id, author_id, created_at, text) "
                "VALUES (?, ?, '2026-11-21 09:00:00', 'late note')",
                (signed_id, pract_id),
            )
            conn.execute(
                "INSERT INTO aftercare_delivery (session_id, practitioner_id, delivered_at, kind, "
                "detail) VALUES (?, ?, '2026-11-21 09:00:00', 'printed', '')",
                (signed_id, pract_id),
            )
    finally:
        conn.close()
    assert load_session(db, draft).notes == "edited"
    assert [a.text for a in load_session(db, signed_id).amendments] == ["late note"]


def test_check_finds_a_signed_session_changed_behind_the_triggers(
    db: Database, db_path: Path, signed_id: int
) -> None:
    conn = sqlite3.connect(db_path)
    try:
        with conn:
            conn.execute("DROP TRIGGER needling_point_signed_no_update")
            conn.execute(
                "UPDATE needling_point SET depth_mm = 15 WHERE session_id = ?", (signed_id,)
            )
    finally:
        conn.close()
    assert records.signature_intact(db, signed_id) is False
    report = check_database(sqlite_url(db_path))
    assert report.problems == [f"signed session {signed_id} was changed after signing"]


def test_the_one_session_loader_gives_the_editor_all_it_shows_once_detached(
    db: Database, pract_id: int, other_id: int, draft_id: int
) -> None:
    records.sign_session(db, pract_id, draft_id, PASSWORD, now=SIGNED_AT)
    records.amend_session(db, other_id, draft_id, "late note")
    row = load_session(db, draft_id)  # detached: anything not loaded would raise here
    assert (row.practitioner.full_name, row.signed_by and row.signed_by.full_name) == (
        "Sam Physio",
        "Sam Physio",
    )
    assert row.patient.family_name == "Doe"
    assert [(a.text, a.author.full_name) for a in row.amendments] == [("late note", "Kim Other")]
    assert [a.code for a in row.acknowledgements] == ["deep_lung_risk"]
    assert row.deliveries == []
    assert content_hash(row) == row.content_hash


def test_signing_or_checking_a_session_that_does_not_exist_is_not_found(
    db: Database, pract_id: int
) -> None:
    with pytest.raises(NotFoundError, match="Session 999"):
        records.sign_session(db, pract_id, 999, PASSWORD)
    with pytest.raises(NotFoundError, match="Session 999"):
        records.signature_intact(db, 999)


def test_values_sqlite_writes_otherwise_still_verify_through_python(
    db: Database, db_path: Path, pract_id: int, patient: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A coordinate under 0.0001 and a depth on a rounding tie: SQLite writes them
    differently ('2.0e-05', rounded up), so the session is judged the Python way."""
    point = PointDraft(
        "upper_trapezius", Side.RIGHT, ChartView.BACK, 0.00002, 0.19, DepthClass.DEEP,
        18.6732025, 0.25, 25.0,
    )  # fmt: skip
    draft = draft_for(patient, pract_id)
    draft.points = [point]
    session_id = save_session(db, pract_id, draft).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    judged_again: list[int] = []
    retyped = signature_check._retyped

    def spy(connection, items, *rest):  # type: ignore[no-untyped-def]
        judged_again.extend(item.session_id for item in items)
        return retyped(connection, items, *rest)

    monkeypatch.setattr(signature_check, "_retyped", spy)
    report = check_database(sqlite_url(db_path))
    assert report.ok and report.signed_sessions == 1, report.problems
    assert judged_again == [session_id]
