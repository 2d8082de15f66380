"""Registering and finding patients, screening and consent, on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.engine import URL

from dnt_desktop.models import AuditEvent, catalogue
from dnt_desktop.models.enums import ConsentMethod, ScreeningStatus, Sex
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.clinical import (
    clinical_state,
    record_consent,
    record_screening,
    screenings,
    withdraw_consent,
)
from dnt_desktop.services.drafts import (
    ConsentForm,
    PatientForm,
    ScreeningAnswerForm,
    ScreeningForm,
)
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.names import search_key
from dnt_desktop.services.patients import (
    count_patients,
    get_patient,
    patient_rows,
    register_patient,
    search_patient_ids,
    set_archived,
    update_patient,
)
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.services.rules import ConsentState, patient_alerts
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError
from dnt_desktop.storage.migrate import alembic_config, current_revision, head_revision
from dnt_desktop.storage.open import open_database

from .cluster import GLIBC_LOCALE

PEOPLE = (
    ("Morgan", "Alex", date(1981, 7, 12)),
    ("Moreau", "Élodie", date(1975, 3, 2)),
    ("Ångström", "Björn", date(1990, 12, 31)),
    ("Morrison", "Zoë", date(2001, 1, 1)),
    ("Łukasiewicz", "Jan", date(1968, 6, 6)),
    ("Smith", "Morwenna", date(1955, 5, 5)),
    ("Doe", "Jane", date(1980, 5, 17)),
)


EVERYONE = ["Ångström", "Doe", "Łukasiewicz", "Moreau", "Morgan", "Morrison", "Smith"]
"""PEOPLE in register order: by the accent-free search keys."""


def _names(db: Database, text: str, **options: bool) -> list[str]:
    with db.reading() as s:
        ids = search_patient_ids(s, text, **options)
        rows = patient_rows(s, ids)
    return [rows[i].family_name for i in ids]


def _register_people(db: Database, actor_id: int) -> dict[str, int]:
    return {
        family: register_patient(db, actor_id, PatientForm(family, given, born, sex=Sex.OTHER))
        for family, given, born in PEOPLE
    }


def _insert_people_at_0003(db: Database) -> None:
    """PEOPLE as version 0003 stored them (its columns only: today's ORM has more)."""
    with db.transaction() as session:
        for number, (family, given, born) in enumerate(PEOPLE, start=1):
            session.execute(
                text(
                    "INSERT INTO patient (chart_number, family_name, given_name, "
                    "family_name_key, given_name_key, date_of_birth, sex, phone, email, "
                    "address, emergency_contact, medical_history, medications, allergies, "
                    "notes, archived, created_at, updated_at, version) VALUES (:chart, "
                    ":family, :given, :fkey, :gkey, :born, 'other', '', '', '', '', '', '', "
                    "'', '', false, now(), now(), 1)"
                ),
                {
                    "chart": f"P{number:06d}",
                    "family": family,
                    "given": given,
                    "fkey": search_key(family),
                    "gkey": search_key(given),
                    "born": born,
                },
            )


@pytest.fixture
def register(db: Database, practitioner_id: int) -> dict[str, int]:
    """The PEOPLE registered in order (chart numbers P000001...)."""
    return _register_people(db, practitioner_id)


def _assert_search_works(db: Database) -> None:
    assert _names(db, "mor") == ["Moreau", "Morgan", "Morrison", "Smith"]
    assert _names(db, "angs") == ["Ångström"]
    assert _names(db, "LUKAS") == ["Łukasiewicz"]
    assert _names(db, "zoe mor") == ["Morrison"]
    assert _names(db, "p00000") == EVERYONE
    assert _names(db, "P000002") == ["Moreau"]
    assert _names(db, "12.07.1981") == ["Morgan"]
    assert _names(db, "1990-12-31") == ["Ångström"]
    assert _names(db, "") == EVERYONE
    with db.reading() as s:
        assert count_patients(s, "mor") == 4
        assert count_patients(s, "zoe mor") == 1
        assert count_patients(s, "") == len(PEOPLE)


def test_registering_numbers_charts_and_audits(
    db: Database, practitioner_id: int, register: dict[str, int]
) -> None:
    first = get_patient(db, register["Morgan"])
    assert first.chart_number == "P000001" and first.sex == Sex.OTHER
    assert first.date_of_birth == date(1981, 7, 12)
    assert first.created_at.tzinfo is not None
    assert get_patient(db, register["Doe"]).chart_number == "P000007"
    with db.reading() as s:
        created = s.scalars(
            select(AuditEvent.patient_id).where(
                AuditEvent.action == "create", AuditEvent.entity_type == "patient"
            )
        ).all()
    assert sorted(created) == sorted(register.values())
    with pytest.raises(ValidationError, match="P000003 is already in use"):
        register_patient(
            db, practitioner_id, PatientForm("X", "Y", date(1990, 1, 1), chart_number="P000003")
        )


def test_search_by_prefix_accent_chart_number_and_birthday(
    db: Database, register: dict[str, int]
) -> None:
    _assert_search_works(db)
    with db.reading() as s:
        assert search_patient_ids(s, "mor", limit=2) == [register["Moreau"], register["Morgan"]]


def test_search_finds_prefixes_in_a_database_with_a_glibc_locale(
    new_database: Callable[[str], URL],
) -> None:
    """en_US.UTF-8 sorts U+FFFF before letters: the search ranges must not depend on it.

    The clinic's database was made by an older version (schema 0003) and holds patients;
    opening it with this version migrates it and the register finds them.
    """
    url = new_database("glibc")
    old = Database(url)
    try:
        config = alembic_config()
        with old.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0003")
        save_clinic(old, None, ClinicForm(name="Test Clinic"))
        actor = add_practitioner(old, None, PractitionerForm("Pat Practitioner", "pat", "PH-1"))
        _insert_people_at_0003(old)
    finally:
        old.dispose()
    db = open_database(url)
    try:
        assert current_revision(db) == head_revision()
        with db.reading() as s:
            locale = s.scalar(
                text("SELECT datcollate FROM pg_database WHERE datname = current_database()")
            )
        assert locale == GLIBC_LOCALE
        _assert_search_works(db)
        register_patient(db, actor, PatientForm("Morland", "Kit", date(1999, 9, 9)))
        assert _names(db, "morl") == ["Morland"]
    finally:
        db.dispose()


def test_archiving_and_optimistic_updates(
    db: Database, practitioner_id: int, register: dict[str, int]
) -> None:
    pid = register["Morgan"]
    set_archived(db, practitioner_id, pid, True)
    assert "Morgan" not in _names(db, "mor")
    assert "Morgan" in _names(db, "mor", include_archived=True)
    opened = get_patient(db, pid).version
    update_patient(
        db, practitioner_id, pid, PatientForm("Morgan", "Alex", date(1981, 7, 12), phone="555"),
        version=opened,
    )  # fmt: skip
    with pytest.raises(ConcurrentChangeError):
        update_patient(
            db, practitioner_id, pid, PatientForm("Morgan", "Al", date(1981, 7, 12)),
            version=opened,
        )  # fmt: skip
    assert get_patient(db, pid).phone == "555" and get_patient(db, pid).given_name == "Alex"


def _screening(**present: str) -> ScreeningForm:
    return ScreeningForm(
        answers=[
            ScreeningAnswerForm(
                c.code,
                ScreeningStatus.PRESENT if c.code in present else ScreeningStatus.ABSENT,
                present.get(c.code, ""),
            )
            for c in catalogue.contraindications()
        ]
    )


def test_screening_and_consent_drive_the_alerts(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    codes = {a.code for a in patient_alerts(clinical_state(db, patient_id))}
    assert {"no_screening", "no_consent"} <= codes
    record_screening(
        db, practitioner_id, patient_id, _screening(bleeding_anticoagulants="Warfarin")
    )
    record_screening(db, practitioner_id, patient_id, _screening(pregnancy="20 weeks"))
    consent = record_consent(
        db, practitioner_id, patient_id, ConsentForm(date(2026, 11, 1), ConsentMethod.WRITTEN)
    )
    state = clinical_state(db, patient_id)
    codes = {a.code for a in patient_alerts(state)}
    # no signed copy of the consent on file yet: a caution (issue 17)
    assert codes == {"contraindication:pregnancy", "no_signed_consent"}
    assert state.consent == ConsentState.ACTIVE
    assert len(screenings(db, patient_id)) == 2
    withdraw_consent(db, practitioner_id, consent, date(2026, 11, 10), "Changed her mind")
    state = clinical_state(db, patient_id)
    assert state.consent == ConsentState.WITHDRAWN
    assert state.consent_withdrawn_on == date(2026, 11, 10)


@pytest.mark.parametrize(
    ("family", "fragment"),
    [
        ("Nul\x00l", "a NUL character (U+0000)"),
        ("Sur\ud800rogate", "an unpaired surrogate U+D800"),
        ("L" * 101, "The family name can have at most 100 characters"),
    ],
)
def test_text_postgresql_cannot_store_is_refused_with_a_message(
    db: Database, practitioner_id: int, family: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        register_patient(db, practitioner_id, PatientForm(family, "Jane", date(1980, 5, 17)))
    assert fragment in str(refused.value)
    with db.reading() as session:
        assert count_patients(session, "") == 0


def test_a_search_with_a_nul_or_a_surrogate_does_not_reach_postgresql(
    db: Database, register: dict[str, int]
) -> None:
    with db.reading() as session:
        assert search_patient_ids(session, "Mor\x00gan") == [register["Morgan"]]
        assert search_patient_ids(session, "Mor\ud800gan") == [register["Morgan"]]
