"""Screenings and consent build the clinical state the alerts come from."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ConsentMethod, ScreeningStatus
from dnt_desktop.services.clinical import (
    clinical_state,
    consents,
    record_consent,
    record_screening,
    screenings,
    withdraw_consent,
)
from dnt_desktop.services.drafts import ConsentForm, ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.rules import ConsentState, patient_alerts
from dnt_desktop.storage.engine import Database

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


def screening(**present: str) -> ScreeningForm:
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


def test_latest_screening_drives_alerts_and_history_is_kept(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    record_screening(db, practitioner_id, patient_id, screening(bleeding_anticoagulants="Warfarin"))
    record_screening(db, practitioner_id, patient_id, screening(pregnancy="20 weeks"))
    state = clinical_state(db, patient_id)
    codes = [a.code for a in patient_alerts(state)]
    assert "contraindication:pregnancy" in codes
    assert "contraindication:bleeding_anticoagulants" not in codes
    assert len(screenings(db, patient_id)) == 2


def test_screening_must_answer_every_contraindication(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    with pytest.raises(ValidationError, match="Answer every contraindication"):
        record_screening(db, practitioner_id, patient_id, ScreeningForm(answers=[]))


def test_a_man_is_screened_without_the_pregnancy_question(
    db: Database, practitioner_id: int
) -> None:
    from dnt_desktop.models.enums import Sex
    from dnt_desktop.services.drafts import PatientForm
    from dnt_desktop.services.patients import register_patient

    man = register_patient(
        db, practitioner_id, PatientForm("Roe", "John", date(1970, 1, 1), sex=Sex.MALE)
    )
    form = screening()
    form.answers = [a for a in form.answers if a.code != "pregnancy"]
    record_screening(db, practitioner_id, man, form)
    (stored,) = screenings(db, man)
    assert "pregnancy" not in {a.code for a in stored.answers}
    woman = register_patient(
        db, practitioner_id, PatientForm("Roe", "Jane", date(1972, 1, 1), sex=Sex.FEMALE)
    )
    with pytest.raises(ValidationError, match="Answer every contraindication"):
        record_screening(db, practitioner_id, woman, form)


def test_consent_recorded_then_withdrawn(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    assert clinical_state(db, patient_id).consent == ConsentState.NONE
    cid = record_consent(
        db, practitioner_id, patient_id, ConsentForm(date.today(), ConsentMethod.WRITTEN)
    )
    assert clinical_state(db, patient_id).consent == ConsentState.ACTIVE
    withdraw_consent(db, practitioner_id, cid, date.today(), "Changed her mind")
    state = clinical_state(db, patient_id)
    assert state.consent == ConsentState.WITHDRAWN
    assert state.consent_withdrawn_on == date.today()
    assert consents(db, patient_id)[0].withdrawal_note == "Changed her mind"
    with pytest.raises(ValidationError, match="already withdrawn"):
        withdraw_consent(db, practitioner_id, cid, date.today())


def test_future_consent_is_refused(db: Database, practitioner_id: int, patient_id: int) -> None:
    future = date.today() + timedelta(days=2)
    with pytest.raises(ValidationError, match="future"):
        record_consent(db, practitioner_id, patient_id, ConsentForm(future, ConsentMethod.VERBAL))
