"""Typed change notices: what each service reports, and how notices combine."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import ConsentMethod, DeliveryKind, Role
from dnt_desktop.services import accounts, aftercare, records
from dnt_desktop.services.changes import NO_CHANGES, SETTINGS_CHANGED, Changes
from dnt_desktop.services.clinical import record_consent, withdraw_consent
from dnt_desktop.services.drafts import ConsentForm, PatientForm, SessionDraft
from dnt_desktop.services.patients import set_archived, update_patient
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.services.sessions import save_session
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage.engine import Database


def test_changes_merge_field_by_field_and_an_empty_one_is_false() -> None:
    merged = Changes.session(7, 1) | Changes.patient(2) | SETTINGS_CHANGED
    assert merged == Changes(
        patients=frozenset({2}),
        charts=frozenset({1, 2}),
        sessions=frozenset({7}),
        settings=True,
    )
    assert merged.concerns(1) and merged.concerns(2) and not merged.concerns(3)
    assert not merged.concerns(None)
    assert not NO_CHANGES and not Changes() and Changes.account(4)
    assert NO_CHANGES | Changes.consent(5, 1) == Changes.consent(5, 1)
    with pytest.raises(TypeError):
        _ = Changes() | "session"  # type: ignore[operator]


def test_a_session_save_and_its_signing_name_the_session_and_its_patient(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    started = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    saved = save_session(db, practitioner_id, SessionDraft(patient_id, practitioner_id, started))
    assert saved.changes == Changes.session(saved.session_id, patient_id)
    again = save_session(
        db,
        practitioner_id,
        SessionDraft(
            patient_id,
            practitioner_id,
            started,
            notes="Tolerated well.",
            session_id=saved.session_id,
            version=saved.version,
        ),
    )
    assert again.changes == saved.changes

    delivery = aftercare.record_delivery(db, practitioner_id, saved.session_id, DeliveryKind.SAVED)
    assert delivery.changes == saved.changes
    assert aftercare.deliveries(db, saved.session_id)[0].changes == NO_CHANGES


def _admin(db: Database, practitioner_id: int) -> int:
    """The fixture practitioner made an administrator."""
    with db.transaction() as session:
        session.get(Practitioner, practitioner_id).role = Role.ADMIN
    return practitioner_id


def test_signing_reports_the_signed_session(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    password = "correct horse battery"
    signer = add_practitioner(
        db,
        _admin(db, practitioner_id),
        PractitionerForm("Sam Signer", "sam", "PH-2"),
        accounts.hash_password(password),
    )
    started = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    saved = save_session(db, signer, SessionDraft(patient_id, signer, started))
    signed = records.sign_session(db, signer, saved.session_id, password)
    assert signed.changes == Changes.session(saved.session_id, patient_id)


def test_patient_consent_setting_and_account_services_report_their_change(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    form = PatientForm("Doe", "Jane", date(1980, 5, 17), phone="0999")
    assert update_patient(db, practitioner_id, patient_id, form) == Changes.patient(patient_id)
    assert set_archived(db, practitioner_id, patient_id, True) == Changes.patient(patient_id)

    consent_id = record_consent(
        db, practitioner_id, patient_id, ConsentForm(date(2026, 1, 5), ConsentMethod.WRITTEN)
    )
    withdrawn = withdraw_consent(db, practitioner_id, consent_id, date(2026, 2, 1))
    assert withdrawn == Changes.consent(consent_id, patient_id)

    admin = _admin(db, practitioner_id)
    assert set_setting(db, admin, "stale_draft_days", "3") == SETTINGS_CHANGED
    other = add_practitioner(db, admin, PractitionerForm("Sam Other", "sam", "PH-2"))
    assert accounts.deactivate_account(db, admin, other) == Changes.account(other)
    assert accounts.reactivate_account(db, admin, other) == Changes.account(other)
