"""Text sets per language on PostgreSQL: edits and reviews per language, a language added
by copying, and a patient's Bengali sheet."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dnt_desktop.models.enums import Role
from dnt_desktop.pdf import build_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import NewLanguage, Review
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.drafts import PatientForm, SessionDraft
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database


def test_languages_on_postgresql(db: Database) -> None:
    save_clinic(db, None, ClinicForm(name="Test Clinic"))
    admin = add_practitioner(db, None, PractitionerForm("Ann Admin", "ann", role=Role.ADMIN))
    aftercare.save_templates(db, admin, {"closing": "ফোন করুন।"}, language="bn")
    aftercare.set_review(db, admin, "hi", Review(True, "Dr Rao", date(2026, 12, 1)))
    added = aftercare.add_language(db, admin, NewLanguage("as", "Assamese", copy_from="bn"))
    assert added.defaults == "bn" and aftercare.template_bodies(db, "as")["closing"] == "ফোন করুন।"
    assert aftercare.template_bodies(db)["closing"] == aftercare.default_text("closing")
    assert not aftercare.text_set(db, "hi").unreviewed

    patient = register_patient(
        db, admin, PatientForm("Sen", "Mita", date(1980, 1, 2), handout_language="bn")
    )
    draft = SessionDraft(patient, admin, datetime(2026, 11, 20, 10, 30, tzinfo=UTC))
    session_id = save_session(db, admin, draft).session_id
    sheet = aftercare.load_sheet(db, session_id)
    assert sheet.text_set.code == "bn" and sheet.text("closing") == "ফোন করুন।"
    assert build_aftercare(sheet).data.startswith(b"%PDF")
