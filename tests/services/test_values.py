"""Impossible values and hostile text are refused by the services with a message, never
stored and never a raw UnicodeEncodeError."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from dnt_desktop.models import AftercareDelivery, Patient, TreatmentSession, catalogue
from dnt_desktop.models.enums import ChartView, ConsentMethod, DeliveryKind, DepthClass, Side
from dnt_desktop.services import aftercare, clinic_details, practitioners
from dnt_desktop.services import settings as clinic_settings
from dnt_desktop.services.clinical import record_consent, record_screening, withdraw_consent
from dnt_desktop.services.drafts import (
    ConsentForm,
    PatientForm,
    PointDraft,
    ScreeningAnswerForm,
    ScreeningForm,
    SessionDraft,
)
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.patients import register_patient, update_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

HUGE = "x" * 100_000
SURROGATE = "Sm\ud800ith"


def _count(db: Database, model: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _refused(call, field: str, fragment: str) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as raised:
        call()
    assert field in [p.field for p in raised.value.problems]
    assert fragment in str(raised.value)
    return raised.value


def _draft(patient_id: int, practitioner_id: int, **changes: object) -> SessionDraft:
    values: dict[str, object] = dict(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
        points=[
            PointDraft("gluteus_medius", Side.LEFT, ChartView.BACK, 0.4, 0.5, DepthClass.DEEP, 20.0)
        ],
    )
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        (HUGE, "The family name can have at most 100 characters (100,000 were entered)"),
        (SURROGATE, "There is a character in the family name that cannot be stored"),
        ("Smi\x00th", "a NUL character"),
    ],
)
def test_a_family_name_that_cannot_be_stored_is_refused(
    db: Database, practitioner_id: int, value: str, fragment: str
) -> None:
    form = PatientForm(value, "Jane", date(1980, 5, 17))
    _refused(lambda: register_patient(db, practitioner_id, form), "family_name", fragment)
    assert _count(db, Patient) == 0


def test_every_patient_field_is_limited(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    form = PatientForm("Doe", "Jane", date(1980, 5, 17), medical_history="y" * 10_001)
    _refused(
        lambda: update_patient(db, practitioner_id, patient_id, form),
        "medical_history",
        "The medical history can have at most 10,000 characters",
    )
    born_1800 = PatientForm("Doe", "Jane", date(1800, 1, 1))
    _refused(
        lambda: register_patient(db, practitioner_id, born_1800),
        "date_of_birth",
        "cannot be before 1900",
    )


def test_impossible_session_values_are_refused(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    deep = PointDraft(
        "gluteus_medius",
        Side.LEFT,
        ChartView.BACK,
        0.4,
        0.5,
        DepthClass.DEEP,
        500.0,
        needle_gauge_mm=50.0,
        needle_length_mm=600.0,
        insertions=10**9,
    )
    error = _refused(
        lambda: save_session(
            db, practitioner_id, _draft(patient_id, practitioner_id, points=[deep])
        ),
        "points[0].needle_length_mm",
        "Point 1: There is no 600 mm needle",
    )
    assert {p.field for p in error.problems} == {
        "points[0].depth_mm",
        "points[0].needle_length_mm",
        "points[0].needle_gauge_mm",
        "points[0].insertions",
    }
    for started in (datetime(1, 1, 1, tzinfo=UTC), datetime(9999, 12, 31, tzinfo=UTC)):
        _refused(
            lambda started=started: save_session(
                db, practitioner_id, _draft(patient_id, practitioner_id, started_at=started)
            ),
            "started_at",
            "check the year",
        )
    before = _draft(
        patient_id, practitioner_id, next_appointment=datetime(2026, 11, 19, tzinfo=UTC)
    )
    _refused(
        lambda: save_session(db, practitioner_id, before),
        "next_appointment",
        "not after this session",
    )
    assert _count(db, TreatmentSession) == 0


def test_hostile_session_text_is_refused_with_a_message(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    _refused(
        lambda: save_session(
            db, practitioner_id, _draft(patient_id, practitioner_id, notes=f"ok {SURROGATE}")
        ),
        "notes",
        "There is a character in the clinical notes that cannot be stored",
    )
    _refused(
        lambda: save_session(
            db, practitioner_id, _draft(patient_id, practitioner_id, stretches=HUGE)
        ),
        "stretches",
        "The stretches and exercises can have at most 1,000 characters",
    )
    assert _count(db, TreatmentSession) == 0


def test_consent_dates_and_notes_are_checked(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    _refused(
        lambda: record_consent(
            db, practitioner_id, patient_id, ConsentForm(date(1800, 1, 1), ConsentMethod.WRITTEN)
        ),
        "consented_on",
        "cannot be before 1900",
    )
    _refused(
        lambda: record_consent(
            db, practitioner_id, patient_id, ConsentForm(date(1975, 1, 1), ConsentMethod.WRITTEN)
        ),
        "consented_on",
        "before the patient's birth (17 May 1980)",
    )
    _refused(
        lambda: record_consent(
            db,
            practitioner_id,
            patient_id,
            ConsentForm(date(2026, 1, 1), ConsentMethod.VERBAL, notes=SURROGATE),
        ),
        "notes",
        "cannot be stored",
    )
    consent_id = record_consent(
        db, practitioner_id, patient_id, ConsentForm(date(2026, 1, 1), ConsentMethod.VERBAL)
    )
    _refused(
        lambda: withdraw_consent(db, practitioner_id, consent_id, date(9999, 12, 31)),
        "withdrawn_on",
        "The withdrawal date is in the future.",
    )
    _refused(
        lambda: withdraw_consent(db, practitioner_id, consent_id, date.today(), HUGE),
        "withdrawal_note",
        "at most 500 characters",
    )


def test_screening_text_and_date_are_checked(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    answers = [ScreeningAnswerForm(item.code) for item in catalogue.contraindications()]
    answers[2].detail = SURROGATE
    _refused(
        lambda: record_screening(db, practitioner_id, patient_id, ScreeningForm(answers)),
        "answers[2].detail",
        "cannot be stored",
    )
    answers[2].detail = ""
    ahead = ScreeningForm(answers, screened_at=datetime.now(UTC) + timedelta(days=3))
    _refused(
        lambda: record_screening(db, practitioner_id, patient_id, ahead),
        "screened_at",
        "in the future",
    )


def test_clinic_accounts_and_texts_are_limited(db: Database, practitioner_id: int) -> None:
    problems = clinic_details.clinic_problems(
        clinic_details.ClinicForm(name=HUGE, website=SURROGATE)
    )
    assert [p.field for p in problems] == ["name", "website"]
    problems = practitioners.practitioner_problems(practitioners.PractitionerForm("Al\ud800", "al"))
    assert [p.field for p in problems] == ["full_name"]
    assert clinic_settings.setting_problems("backup_folder", "/tmp/\udcff") != []
    problems = aftercare.template_problems({"closing": HUGE, "title": "t" * 201})
    assert [p.field for p in problems] == ["closing", "title"]
    assert "'Closing words' can have at most 1,500 characters" in problems[0].message
    settings = aftercare.SheetSettings(
        aftercare.sheet_settings(db).page_size, 24, "Call 112 \ud800"
    )
    assert [p.field for p in aftercare.settings_problems(settings)] == ["emergency_instruction"]


def test_an_undecodable_file_name_is_recorded_without_failing(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    session_id = save_session(db, practitioner_id, _draft(patient_id, practitioner_id)).session_id
    delivery = aftercare.record_delivery(
        db, practitioner_id, session_id, DeliveryKind.SAVED, "saved as /home/x/caf\udce9.pdf"
    )
    assert delivery.detail == "saved as /home/x/caf?.pdf"
    assert _count(db, AftercareDelivery) == 1


@pytest.mark.parametrize("typed", ["Do\x00e", "Do\ud800e", "\ud800"])
def test_a_search_with_an_unstorable_character_finds_without_failing(
    db: Database, patient_id: int, typed: str
) -> None:
    from dnt_desktop.services.patients import count_patients, search_patient_ids

    with db.reading() as session:  # the character is left out: 'Doe', or everyone
        assert search_patient_ids(session, typed) == [patient_id]
        assert count_patients(session, typed) == 1
