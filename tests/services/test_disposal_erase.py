"""Erasing a record past its retention: every row of every table of the record deleted,
counted table by table, nothing of another patient touched, a tombstone without the
removed values, `check` passing afterwards (SQLite and PostgreSQL), a signed session
deleted without a tombstone still caught, and a failed erasure leaving everything as it
was."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dnt_desktop.models import AuditEvent, Base, DisposalPass, ErasurePass, TreatmentSession
from dnt_desktop.models.enums import ConsentMethod, DeliveryKind, ScreeningStatus, Severity
from dnt_desktop.pdf.letter import render_letter
from dnt_desktop.services import disposal, records
from dnt_desktop.services.aftercare.delivery import record_delivery
from dnt_desktop.services.attachments import add_attachment
from dnt_desktop.services.clinical import record_consent, record_screening, screening_questions
from dnt_desktop.services.disposal import (
    DisposalKind,
    DisposalRefusedError,
    default_disposal,
    dispose_of,
    erasure_counts,
    patient_retention,
)
from dnt_desktop.services.disposal_erase import ERASED, KEPT, counts_text, row_counts
from dnt_desktop.services.drafts import (
    ConsentForm,
    PatientForm,
    ScreeningAnswerForm,
    ScreeningForm,
)
from dnt_desktop.services.errors import PermissionDeniedError, ValidationError
from dnt_desktop.services.export_tables import EXPORTED_TABLES, NOT_EXPORTED
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.services.progress.letters import SAVED, prepare_letter, record_letter
from dnt_desktop.services.progress.measures import Answer, record_measure, retract_measure
from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    save_referrer,
    set_patient_referrer,
)
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.safety.late_events import LateEventForm, record_late_event
from dnt_desktop.services.sessions import save_session
from dnt_desktop.services.settings import set_setting
from dnt_desktop.services.signed_consent import record_signed_consent
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import SCHEMA_TABLES
from tests.sample_files import pdf_bytes, png_bytes

from .conftest import PASSWORD, SESSION_DAY, draft_for
from .test_disposal import SECRETS

FREE_TEXT = (
    "Reviewed with the GP, no change",
    "Anxious about needles",
    "Interpreter Ana",
    "Bruise the size of a coin",
    "Phoned in about the calf",
    "Typed into the wrong chart",
    "Walking the dog",
)


@dataclass(frozen=True)
class Record:
    patient_id: int
    signed_id: int
    chart_number: str


def full_record(db: Database, pract_id: int, family: str, referrer_id: int) -> Record:
    """A patient with at least one row in every table of the record."""
    form = PatientForm(date_of_birth=date(1970, 4, 23), **{**SECRETS, "family_name": family})
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
    record_screening(db, pract_id, pid, ScreeningForm(answers, notes=FREE_TEXT[1]))
    record_consent(
        db,
        pract_id,
        pid,
        ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN, "DN-consent-v1", FREE_TEXT[2]),
    )
    record_signed_consent(
        db, pract_id, pid, text_version="DN-consent-v1", signed_form_pdf=pdf_bytes()
    )
    draft = draft_for(pid, pract_id)
    draft.side_effects[0].notes = FREE_TEXT[3]
    alert = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a lung-risk muscle")
    signed = save_session(db, pract_id, draft, acknowledged=[alert]).session_id
    records.sign_session(db, pract_id, signed, PASSWORD)
    records.amend_session(db, pract_id, signed, FREE_TEXT[0])
    record_delivery(db, pract_id, signed, DeliveryKind.PRINTED)
    record_late_event(
        db,
        pract_id,
        signed,
        LateEventForm("bruising", Severity.MILD, 20, "Advice only.", notes=FREE_TEXT[4]),
    )
    later = draft_for(pid, pract_id, points=1)
    later.started_at = SESSION_DAY + timedelta(days=7)
    save_session(db, pract_id, later)  # a draft
    taken = SESSION_DAY.date()
    activities = [Answer(FREE_TEXT[6], 4), Answer("", None), Answer("", None)]
    activities += [Answer("", None)] * 2
    wrong, _ = record_measure(db, pract_id, pid, "psfs", taken, activities, session_id=signed)
    record_measure(db, pract_id, pid, "psfs", taken, activities)
    retract_measure(db, pract_id, wrong, FREE_TEXT[5])
    set_patient_referrer(db, pract_id, pid, referrer_id)
    letter = prepare_letter(db, pract_id, pid, "progress", plan="Two more sessions.")
    record_letter(db, pract_id, letter, render_letter(letter), SAVED)
    add_attachment(db, pract_id, pid, f"{family} referral.png", png_bytes(), kind="referral")
    return Record(pid, signed, get_patient(db, pid).chart_number)


@pytest.fixture
def two_records(db: Database, admin_id: int, pract_id: int) -> tuple[Record, Record]:
    referrer_id, _ = save_referrer(db, pract_id, ReferrerForm("Dr Lee", "Quay Practice"))
    return (
        full_record(db, pract_id, "Okonkwo-Lindqvist", referrer_id),
        full_record(db, pract_id, "Byrne", referrer_id),
    )


def _past_retention(db: Database, pid: int) -> date:
    return patient_retention(db, pid).ends_on + timedelta(days=1)


def _counts(db: Database, pid: int) -> dict[str, int]:
    """Rows of *pid* in every erased table (also after the patient's row is gone)."""
    with db.reading() as s:
        return row_counts(s, pid)


def _events_of(db: Database, pid: int) -> list[AuditEvent]:
    with db.reading() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.patient_id == pid)))


@pytest.mark.both_databases
def test_erasure_deletes_every_row_of_the_record_and_nothing_of_another(
    db: Database, admin_id: int, two_records: tuple[Record, Record]
) -> None:
    erased, other = two_records
    counts = erasure_counts(db, erased.patient_id)
    other_before = erasure_counts(db, other.patient_id)
    # every table of the record has rows here: a table added to the record without rows
    # in this fixture (and so without proof that it is erased) fails this line
    assert set(counts) == set(ERASED)
    assert [name for name, count in counts.items() if count == 0] == []
    said = counts_text(counts)  # what the confirmation says
    assert said.startswith("the patient's details and Screenings: 1; Screening answers: ")
    assert "Sessions: 2;" in said and "Points: 3;" in said and "Attachments: 2" in said
    events_before = len(_events_of(db, erased.patient_id))
    report = check_database(db.url)
    assert report.ok, report.problems

    changes = dispose_of(
        db,
        admin_id,
        erased.patient_id,
        "Retention period over; clinic review 2035",
        _past_retention(db, erased.patient_id),
        DisposalKind.ERASE,
    )
    assert erased.patient_id in changes.erased and erased.patient_id in changes.patients
    assert set(_counts(db, erased.patient_id).values()) == {0}
    assert erasure_counts(db, other.patient_id) == other_before

    # the trail keeps every event of the record, and the tombstone counts what went
    trail = _events_of(db, erased.patient_id)
    assert len(trail) == events_before + 1
    tomb = trail[-1]
    assert (tomb.action, tomb.entity_type, tomb.entity_id) == (
        "erase",
        "patient",
        erased.patient_id,
    )
    assert tomb.actor_id == admin_id
    assert f"patient {erased.patient_id}, chart no. {erased.chart_number}" in tomb.summary
    for name, count in counts.items():
        assert f"{name} {count}" in tomb.summary, name
    assert f"({sum(counts.values())} in all)" in tomb.summary
    assert tomb.summary.endswith("Reason: Retention period over; clinic review 2035")
    for value in (*SECRETS.values(), *FREE_TEXT, "Okonkwo", "1970-04-23", "referral.png"):
        assert value not in tomb.summary.replace("2035", ""), value

    # check passes: the chain untouched, the erased record's sealed events vouched for
    report = check_database(db.url)
    assert report.ok, report.problems
    assert report.signed_sessions == 1  # the other patient's


def test_every_table_that_links_to_a_patient_is_erased_or_kept_for_a_reason() -> None:
    """A table added to the record (export_tables) is erased with it; the only ones kept
    are the audit trail and the disposal's own passes (empty outside its transaction)."""
    from tests.services.test_record_export import _links_to_patient

    linked = {n for n in SCHEMA_TABLES if n in Base.metadata.tables and _links_to_patient(n)}
    assert set(ERASED) == {spec.name for spec in EXPORTED_TABLES} - set(KEPT)
    assert linked - set(ERASED) <= set(KEPT) | set(NOT_EXPORTED)
    assert set(NOT_EXPORTED) == {"disposal_pass", "erasure_pass"}
    order = [t.name for t in Base.metadata.sorted_tables]
    for name in ERASED:  # children are deleted before their parents
        table = Base.metadata.tables[name]
        for key in table.foreign_keys:
            parent = key.column.table.name
            if parent in ERASED:
                assert ERASED.index(parent) > ERASED.index(name), (name, parent)
                assert order.index(parent) < order.index(name)


def test_a_signed_session_deleted_without_a_tombstone_is_still_caught(
    db: Database, db_path: Path, admin_id: int, pract_id: int, two_records: tuple[Record, Record]
) -> None:
    erased, other = two_records
    today = _past_retention(db, erased.patient_id)
    dispose_of(db, admin_id, erased.patient_id, "Retention over", today, DisposalKind.ERASE)
    assert check_database(sqlite_url(db_path)).ok
    plain = register_patient(db, pract_id, PatientForm("Plain", "Pia", date(1985, 3, 4)))
    consent = ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN, "DN-consent-v1")
    record_consent(db, pract_id, plain, consent)
    signed = save_session(db, pract_id, draft_for(plain, pract_id)).session_id
    records.sign_session(db, pract_id, signed, PASSWORD)
    conn = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="signed sessions cannot be changed"):
        conn.execute("DELETE FROM treatment_session WHERE id = ?", (signed,))
    with conn:  # what a SQL tool could do behind the app's back: the guards dropped
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
            conn.execute(f"DROP TRIGGER {name}")
        for table in ("session_condition", "session_adjunct", "needling_point", "side_effect"):
            conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (signed,))
        conn.execute("DELETE FROM treatment_session WHERE id = ?", (signed,))
    conn.close()
    problems = check_database(sqlite_url(db_path)).problems
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"signed session {signed} is missing (audit event"), problems
    assert other.signed_id != signed


def test_the_guards_let_only_the_erased_patients_rows_go(
    db: Database, db_path: Path, two_records: tuple[Record, Record]
) -> None:
    first, second = two_records
    conn = sqlite3.connect(db_path)
    for statement in (
        f"DELETE FROM outcome_measure WHERE patient_id = {first.patient_id}",
        "DELETE FROM measure_answer WHERE id > 0",
        f"DELETE FROM sent_letter WHERE patient_id = {first.patient_id}",
        f"DELETE FROM late_event WHERE session_id = {first.signed_id}",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    with conn:  # the pass of the first patient opens neither UPDATE nor another's rows
        conn.execute("INSERT INTO erasure_pass (patient_id) VALUES (?)", (first.patient_id,))
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE sent_letter SET recipient = 'x'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM late_event WHERE session_id = ?", (second.signed_id,))
        conn.execute("DELETE FROM erasure_pass")
    conn.close()
    assert _counts(db, second.patient_id)["late_event"] == 1


def test_an_erasure_that_fails_leaves_everything_as_it_was(
    db: Database, db_path: Path, admin_id: int, two_records: tuple[Record, Record], monkeypatch
) -> None:
    erased, _other = two_records
    before = erasure_counts(db, erased.patient_id)
    events = len(_events_of(db, erased.patient_id))

    def full_disk(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(disposal.audit, "record", full_disk)  # after every row is deleted
    with pytest.raises(OSError, match="disk full"):
        dispose_of(
            db,
            admin_id,
            erased.patient_id,
            "Retention over",
            _past_retention(db, erased.patient_id),
            DisposalKind.ERASE,
        )
    monkeypatch.undo()
    assert erasure_counts(db, erased.patient_id) == before
    assert len(_events_of(db, erased.patient_id)) == events
    with db.reading() as s:
        assert s.scalars(select(DisposalPass)).all() == []
        assert s.scalars(select(ErasurePass)).all() == []
    assert check_database(sqlite_url(db_path)).ok


def test_only_an_administrator_erases_and_only_after_the_retention(
    db: Database, admin_id: int, pract_id: int, two_records: tuple[Record, Record]
) -> None:
    erased, _ = two_records
    ends = patient_retention(db, erased.patient_id).ends_on
    with pytest.raises(DisposalRefusedError, match=f"kept until {ends.isoformat()}"):
        dispose_of(db, admin_id, erased.patient_id, "why", ends, DisposalKind.ERASE)
    with pytest.raises(PermissionDeniedError):
        dispose_of(db, pract_id, erased.patient_id, "why", ends + timedelta(1), DisposalKind.ERASE)
    with pytest.raises(ValidationError):
        dispose_of(db, admin_id, erased.patient_id, "  ", ends + timedelta(1), DisposalKind.ERASE)
    assert erasure_counts(db, erased.patient_id)["treatment_session"] == 2


def test_a_new_patient_never_takes_an_erased_records_id_or_chart_number(
    db: Database, admin_id: int, pract_id: int, two_records: tuple[Record, Record]
) -> None:
    _first, last = two_records  # the highest id and chart number
    today = _past_retention(db, last.patient_id)
    dispose_of(db, admin_id, last.patient_id, "Retention over", today, DisposalKind.ERASE)
    new = register_patient(db, pract_id, PatientForm("New", "Nia", date(1999, 1, 2)))
    assert new > last.patient_id
    assert get_patient(db, new).chart_number > last.chart_number
    assert [e.action for e in _events_of(db, new)] == ["create"]


def test_an_erasure_pass_left_open_is_reported(db: Database, db_path: Path) -> None:
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO erasure_pass (patient_id) VALUES (7)")
    problems = check_database(sqlite_url(db_path)).problems
    assert any("erasure_pass" in p and "patient(s) 7" in p for p in problems), problems


def test_the_clinic_chooses_the_disposal_offered_first(db: Database, admin_id: int) -> None:
    assert default_disposal(db) is DisposalKind.ANONYMISE
    set_setting(db, admin_id, "disposal_default", "erase")
    assert default_disposal(db) is DisposalKind.ERASE
    with pytest.raises(ValidationError, match="Choose one of"):
        set_setting(db, admin_id, "disposal_default", "shred")


def test_what_the_audit_trail_of_an_erased_record_still_says(
    db: Database, admin_id: int, two_records: tuple[Record, Record]
) -> None:
    """The events written before the erasure stay (the chain is append-only): they name
    the patient by id and chart number, never by name, and hold none of the record's free
    text. Only what staff typed as a reason (an export's, a disposal's) is theirs."""
    erased, _ = two_records
    today = _past_retention(db, erased.patient_id)
    dispose_of(db, admin_id, erased.patient_id, "Retention over", today, DisposalKind.ERASE)
    with db.reading() as s:
        every = s.scalars(select(func.count()).select_from(TreatmentSession)).one()
    assert every == 2  # the other patient's
    for event in _events_of(db, erased.patient_id):
        for value in (*SECRETS.values(), *FREE_TEXT):
            assert value not in event.summary, (event.action, value)
