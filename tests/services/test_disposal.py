"""Disposing of a record past its retention: exactly the listed fields anonymised, the
files deleted, a tombstone without the removed values, and `check` still passing."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import (
    Amendment,
    AuditEvent,
    NeedlingPoint,
    Patient,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.models.enums import ConsentMethod, ScreeningStatus
from dnt_desktop.services import records
from dnt_desktop.services.attachments import add_attachment, attachments
from dnt_desktop.services.clinical import record_consent, record_screening, screening_questions
from dnt_desktop.services.disposal import (
    ANONYMISED,
    REMOVED,
    DisposalRefusedError,
    dispose_of,
    patient_retention,
    record_death,
    records_past_retention,
)
from dnt_desktop.services.drafts import (
    ConsentForm,
    PatientForm,
    ScreeningAnswerForm,
    ScreeningForm,
)
from dnt_desktop.services.errors import PermissionDeniedError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from tests.sample_files import png_bytes

from .conftest import PASSWORD, SESSION_DAY, draft_for

SECRETS = {
    "family_name": "Okonkwo-Lindqvist",
    "given_name": "Marisol",
    "phone": "07700 900123",
    "email": "marisol@example.org",
    "address": "12 Quayside Lane",
    "emergency_contact": "Brother Tomas 07700 900999",
    "medical_history": "Hodgkin lymphoma 2011",
    "medications": "Rivaroxaban 20 mg",
    "allergies": "Latex gloves",
    "notes": "Prefers morning visits",
}
FREE_TEXT = ["Familiar pain reproduced.", "Reviewed with the GP, no change", "Ice after run"]


@pytest.fixture
def old_record(db: Database, admin_id: int, pract_id: int) -> int:
    """A patient born 1970 with a screening, consent, a signed session with an amendment,
    a draft session, an attached file and free text everywhere."""
    form = PatientForm(date_of_birth=date(1970, 4, 23), **SECRETS)
    pid = register_patient(db, pract_id, form)
    answers = [
        ScreeningAnswerForm(
            q.code,
            ScreeningStatus.PRESENT
            if q.code == "bleeding_anticoagulants"
            else ScreeningStatus.ABSENT,
            "Rivaroxaban 20 mg" if q.code == "bleeding_anticoagulants" else "",
        )
        for q in screening_questions(form.sex)
    ]
    record_screening(db, pract_id, pid, ScreeningForm(answers, notes="Anxious about needles"))
    record_consent(
        db,
        pract_id,
        pid,
        ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN, "DN-consent-v1", "Interpreter Ana"),
    )
    draft = draft_for(pid, pract_id)
    draft.stretches = FREE_TEXT[2]
    draft.points[0].notes = "Left of the scar"
    draft.side_effects[0].notes = "Bruise the size of a coin"
    saved = save_session(db, pract_id, draft)
    records.sign_session(db, pract_id, saved.session_id, PASSWORD)
    records.amend_session(db, pract_id, saved.session_id, FREE_TEXT[1])
    later = draft_for(pid, pract_id, points=1)
    later.started_at = SESSION_DAY + timedelta(days=7)
    later.notes = "Draft note about the divorce"
    save_session(db, pract_id, later)
    add_attachment(db, pract_id, pid, "Okonkwo referral.png", png_bytes(), kind="referral")
    return pid


def _retention_end(db: Database, pid: int) -> date:
    return patient_retention(db, pid).ends_on


def test_the_chart_retention_and_the_list_follow_the_boundary(
    db: Database, admin_id: int, old_record: int
) -> None:
    last = (SESSION_DAY + timedelta(days=7)).astimezone().date()
    ends = _retention_end(db, old_record)
    assert ends == last.replace(year=last.year + 8)
    assert old_record not in [r.patient_id for r in records_past_retention(db, ends)]
    assert old_record in [r.patient_id for r in records_past_retention(db, ends + timedelta(1))]
    with pytest.raises(DisposalRefusedError, match=f"kept until {ends.isoformat()}"):
        dispose_of(db, admin_id, old_record, "Retention ended", today=ends)
    with pytest.raises(DisposalRefusedError):
        dispose_of(db, admin_id, old_record, "Retention ended", today=ends - timedelta(1))


def test_a_childs_record_is_kept_until_the_25th_birthday(
    db: Database, admin_id: int, pract_id: int
) -> None:
    pid = register_patient(db, pract_id, PatientForm("Young", "Kid", date(2014, 2, 10)))
    record_consent(db, pract_id, pid, ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN, "v1"))
    save_session(db, pract_id, draft_for(pid, pract_id))
    assert _retention_end(db, pid) == date(2039, 2, 10)
    for today, listed in (
        (date(2039, 2, 9), False),
        (date(2039, 2, 10), False),
        (date(2039, 2, 11), True),
    ):
        assert (pid in [r.patient_id for r in records_past_retention(db, today)]) is listed
    record_death(db, admin_id, pid, date(2026, 11, 25))
    assert _retention_end(db, pid) == date(2034, 11, 25)


def _snapshot(db: Database, pid: int) -> dict[str, list[dict[str, object]]]:
    from dnt_desktop.services.export_tables import EXPORTED_TABLES, rows_statement

    with db.reading() as s:
        return {
            spec.name: [dict(r) for r in s.execute(rows_statement(spec.name, pid)).mappings()]
            for spec in EXPORTED_TABLES
        }


BOOKKEEPING = {
    "patient": {
        "family_name_key",
        "given_name_key",
        "archived",
        "disposed_at",
        "updated_at",
        "version",
    },
    "treatment_session": {"content_hash", "updated_at", "version"},
}


def test_disposal_anonymises_exactly_the_listed_fields_and_check_passes(
    db: Database, db_path: Path, admin_id: int, old_record: int
) -> None:
    before = _snapshot(db, old_record)
    today = _retention_end(db, old_record) + timedelta(days=1)
    changes = dispose_of(
        db, admin_id, old_record, "Retention period over; clinic review 2035", today
    )
    assert old_record in changes.patients
    after = _snapshot(db, old_record)

    listed = {table: {f.split(" ")[0] for f in fields} for table, fields in ANONYMISED.items()}
    for table, rows in before.items():
        if table == "audit_event":
            continue
        if table == "attachment":
            assert rows and after[table] == []  # the files are deleted
            continue
        assert [r["id"] for r in after[table]] == [r["id"] for r in rows], table
        for old, new in zip(rows, after[table], strict=True):
            changed = {k for k in old if old[k] != new[k]}
            allowed = listed.get(table, set()) | BOOKKEEPING.get(table, set())
            assert changed <= allowed, (table, changed - allowed)
            for name in listed.get(table, ()):
                if name in ("family_name", "given_name"):
                    assert new[name] == REMOVED
                elif name == "date_of_birth":
                    assert new[name] == date(1970, 7, 1)
                else:
                    assert new[name] == "", (table, name)
    patient = after["patient"][0]
    assert patient["sex"] == before["patient"][0]["sex"] and patient["disposed_at"] is not None
    assert patient["chart_number"] == before["patient"][0]["chart_number"]
    # clinical counts kept
    assert len(after["needling_point"]) == 3 and len(after["side_effect"]) == 2

    report = check_database(sqlite_url(db_path))
    assert report.ok, report.problems
    assert report.signed_sessions == 1

    with db.reading() as s:
        tomb = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "dispose").order_by(AuditEvent.id)
        ).one()
        trail = list(s.scalars(select(AuditEvent).where(AuditEvent.id >= tomb.id - 2)))
    assert tomb.patient_id == old_record and tomb.actor_id == admin_id
    assert "Reason: Retention period over; clinic review 2035" in tomb.summary
    assert "Removed: patient: family_name, given_name" in tomb.summary
    removed_values = [
        *SECRETS.values(),
        *FREE_TEXT,
        "Anxious",
        "Interpreter",
        "scar",
        "coin",
        "divorce",
        "Okonkwo",
        "1970-04-23",
        "23 Apr",
    ]
    for event in trail:
        for value in removed_values:
            assert value not in event.summary.replace("2035", ""), (event.action, value)


def test_a_disposed_signed_session_changed_afterwards_is_caught(
    db: Database, db_path: Path, admin_id: int, old_record: int
) -> None:
    dispose_of(
        db, admin_id, old_record, "Retention over", _retention_end(db, old_record) + timedelta(1)
    )
    with db.reading() as s:
        signed = s.scalars(
            select(TreatmentSession.id).where(TreatmentSession.status == "signed")
        ).one()
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="signed sessions cannot be changed"):
        conn.execute("UPDATE treatment_session SET pain_after = 0 WHERE id = ?", (signed,))
    with conn:  # opening the guard by hand, as a SQL tool could
        conn.execute("INSERT INTO disposal_pass (session_id) VALUES (?)", (signed,))
        conn.execute("UPDATE treatment_session SET pain_after = 0 WHERE id = ?", (signed,))
    conn.close()
    problems = check_database(sqlite_url(db_path)).problems
    assert f"signed session {signed} was changed after signing" in problems
    assert any("disposal_pass" in p for p in problems)


def test_only_administrators_dispose_and_only_once(
    db: Database, admin_id: int, pract_id: int, old_record: int
) -> None:
    today = _retention_end(db, old_record) + timedelta(1)
    with pytest.raises(PermissionDeniedError):
        dispose_of(db, pract_id, old_record, "why", today)
    dispose_of(db, admin_id, old_record, "why", today)
    with pytest.raises(DisposalRefusedError, match="already"):
        dispose_of(db, admin_id, old_record, "why", today)
    assert attachments(db, old_record) == []
    with db.reading() as s:
        assert s.get(Patient, old_record).family_name == REMOVED
        assert all(a.text == "" for a in s.scalars(select(Amendment)))
        assert all(p.notes == "" for p in s.scalars(select(NeedlingPoint)))
        assert all(e.notes == "" for e in s.scalars(select(SideEffect)))
