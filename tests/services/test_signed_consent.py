"""Consent the patient signs: the clinic's versioned text, the printed form, the signed
copy kept with the consent, and the alert while none is on file."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from dnt_desktop.models.enums import ConsentMethod
from dnt_desktop.pdf.consent_form import ConsentFormData, build_consent_form
from dnt_desktop.services.attachments import attachments
from dnt_desktop.services.clinical import clinical_state, record_consent
from dnt_desktop.services.consent_text import (
    DEFAULT_VERSION,
    current_text,
    default_text,
    save_text,
    text_of_version,
    versions,
)
from dnt_desktop.services.drafts import ConsentForm
from dnt_desktop.services.errors import PermissionDeniedError, ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.rules import patient_alerts
from dnt_desktop.services.signed_consent import attach_signed_scan, record_signed_consent
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from tests.sample_files import pdf_bytes, png_bytes


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_the_shipped_text_covers_the_risks_and_contraindications() -> None:
    body = default_text().body
    for fact in (
        "pneumothorax",
        "bleeding disorder",
        "anticoagulant",
        "metal or latex",
        "pacemaker",
        "pregnant",
        "afraid of needles",
        "Bruising" if "Bruising" in body else "bruis",
        "withdraw this consent",
    ):
        assert fact.lower() in body.lower(), fact


def test_administrators_save_new_versions_and_every_version_is_kept(
    db: Database, admin_id: int, pract_id: int
) -> None:
    assert current_text(db).version == DEFAULT_VERSION
    with pytest.raises(PermissionDeniedError):
        save_text(db, pract_id, "clinic-2", "Our text")
    save_text(db, admin_id, "clinic-2", "  Our own consent text.  ")
    assert (current_text(db).version, current_text(db).body) == (
        "clinic-2",
        "Our own consent text.",
    )
    with pytest.raises(ValidationError, match="exists already"):
        save_text(db, admin_id, "clinic-2", "Another")
    with pytest.raises(ValidationError, match="exists already"):
        save_text(db, admin_id, DEFAULT_VERSION, "Another")
    assert [v.version for v in versions(db)] == ["clinic-2", DEFAULT_VERSION]
    assert text_of_version(db, DEFAULT_VERSION) == default_text()


def test_the_printed_form_holds_the_clinics_text_and_the_patients_details() -> None:
    data = ConsentFormData(
        "Riverside Physio",
        "Ngozi <b>Adeyemi-Ørsted</b>",
        date(1984, 3, 9),
        "P000042",
        "clinic-2",
        "Consent to dry needling\n\nWe explain the risks of dry needling: bruising, "
        "soreness and, rarely, a collapsed lung.\n\nI consent to dry needling.",
    )
    text = pdf_text(build_consent_form(data))
    assert "Ngozi <b>Adeyemi-Ørsted</b>" in text
    assert "09 Mar 1984" in text and "P000042" in text
    assert (
        "We explain the risks of dry needling: bruising, soreness and, rarely, a collapsed lung."
        in text
    )
    assert "Patient's signature" in text and "Consent text clinic-2" in text


def test_a_consent_signed_on_screen_keeps_its_signed_form_and_clears_the_alert(
    db: Database, db_path: Path, pract_id: int, patient: int
) -> None:
    state = clinical_state(db, patient)  # the fixture's consent has no signed copy
    assert state.signed_consent is False
    assert "no_signed_consent" in {a.code for a in patient_alerts(state)}
    form = pdf_bytes("signed form")
    consent_id, changes = record_signed_consent(
        db, pract_id, patient, text_version="DN-consent-v1", signed_form_pdf=form
    )
    assert consent_id in changes.consents and patient in changes.files
    (copy,) = [a for a in attachments(db, patient) if a.consent_id == consent_id]
    assert copy.kind == "signature" and copy.size == len(form)
    state = clinical_state(db, patient)
    assert state.signed_consent is True
    assert "no_signed_consent" not in {a.code for a in patient_alerts(state)}
    assert check_database(sqlite_url(db_path)).ok


def test_a_paper_signature_is_attached_as_a_scan(db: Database, pract_id: int, patient: int) -> None:
    consent_id = record_consent(
        db, pract_id, patient, ConsentForm(date.today(), ConsentMethod.WRITTEN, "DN-consent-v1")
    )
    attach_signed_scan(db, pract_id, consent_id, "scan.png", png_bytes())
    kinds = {a.kind for a in attachments(db, patient) if a.consent_id == consent_id}
    assert kinds == {"consent_form"}
    assert clinical_state(db, patient).signed_consent is True


def test_a_signed_form_that_is_not_a_document_records_no_consent(
    db: Database, pract_id: int, patient: int
) -> None:
    before = clinical_state(db, patient)
    with pytest.raises(ValidationError):
        record_signed_consent(
            db, pract_id, patient, text_version="DN-consent-v1", signed_form_pdf=b"MZ program"
        )
    assert clinical_state(db, patient) == before
