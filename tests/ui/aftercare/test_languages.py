"""Sheets in the patient's language, driven as a user: the handout language on the patient's
details, the preview's language and warnings, and the texts of each language."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop import demo
from dnt_desktop.models import Patient, Practitioner, TreatmentSession
from dnt_desktop.models.enums import Role
from dnt_desktop.services import aftercare
from dnt_desktop.services.drafts import PatientForm, SessionDraft
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.aftercare import (
    AftercarePreviewDialog,
    AftercareTemplatesDialog,
    language_dialogs,
)
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.patient.details_tab import DetailsTab
from dnt_desktop.ui.patient.form_dialog import PatientFormDialog


def _session(ctx: AppContext, family: str, given: str, language: str = "en") -> int:
    form = PatientForm(family, given, date(1980, 5, 17), handout_language=language)
    patient = register_patient(ctx.db, ctx.practitioner_id, form)
    draft = SessionDraft(patient, ctx.practitioner_id, datetime(2026, 11, 20, 10, 30, tzinfo=UTC))
    return save_session(ctx.db, ctx.practitioner_id, draft).session_id


def _text(data: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()


def test_from_the_demo_a_patient_gets_a_bengali_sheet(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    """Done when: set a demo patient's handout language to Bengali, preview, save."""
    demo.generate(db, patients=2, seed=4)
    with db.reading() as session:
        practitioner = session.scalars(
            select(Practitioner).where(Practitioner.role == Role.PRACTITIONER)
        ).first()
        session_id, patient_id = session.execute(
            select(TreatmentSession.id, TreatmentSession.patient_id).limit(1)
        ).one()
    ctx = AppContext(db, practitioner.id, practitioner.full_name)
    form = PatientFormDialog(ctx, patient_id)
    qtbot.addWidget(form)
    assert form.handout_language.currentData() == "en"
    form.handout_language.setCurrentIndex(form.handout_language.findData("bn"))
    assert form.handout_language.currentText() == "Bengali (বাংলা)  (not reviewed)"
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert get_patient(db, patient_id).handout_language == "bn"

    details = DetailsTab()
    qtbot.addWidget(details)
    details.show_patient(get_patient(db, patient_id))
    assert details.values["handout_language"].text() == "Bengali (বাংলা)"

    preview = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(preview)
    preview.show()
    assert preview.language.currentData() == "bn"
    assert preview.warning.isVisible()
    assert "not been reviewed by a clinician who reads Bengali" in preview.warning.text()
    assert preview.save_to(tmp_path / "sheet.pdf")
    saved = (tmp_path / "sheet.pdf").read_bytes()
    assert saved == preview.pdf_bytes and "আজ আমরা কী" in _text(saved)
    detail = aftercare.deliveries(db, session_id)[-1].detail
    assert detail.endswith("sheet.pdf in Bengali (texts not reviewed)")


def test_the_preview_prints_in_another_language_when_asked(qtbot: QtBot, ctx: AppContext) -> None:
    session_id = _session(ctx, "Das", "Rina", "bn")
    preview = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(preview)
    preview.show()
    english = preview.language.findData("en")
    preview.language.setCurrentIndex(english)  # as the user picks it from the list
    assert preview.sheet.text_set.code == "en" and not preview.warning.isVisible()
    assert "What we treated today" in _text(preview.pdf_bytes)
    preview.language.setCurrentIndex(preview.language.findData("hi"))
    assert "not been reviewed by a clinician who reads Hindi" in preview.warning.text()
    assert preview.document.pageCount() == 1 and preview.pages_label.text() == "1 page"


def test_the_preview_warns_of_characters_no_font_has(qtbot: QtBot, ctx: AppContext) -> None:
    session_id = _session(ctx, "தமிழ்", "Anbu")
    preview = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(preview)
    preview.show()
    assert preview.warning.isVisible()
    assert "could not be drawn" in preview.warning.text() and "U+0BA4" in preview.warning.text()
    assert "reviewed" not in preview.warning.text()


@pytest.fixture
def admin_ctx(ctx: AppContext) -> AppContext:
    with ctx.db.transaction() as session:
        session.get(Practitioner, ctx.practitioner_id).role = Role.ADMIN
    ctx.is_admin = True
    return ctx


def test_an_administrator_edits_the_bengali_texts_and_records_their_review(
    qtbot: QtBot, admin_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercareTemplatesDialog(admin_ctx)
    qtbot.addWidget(dialog)
    assert dialog.review_status.text() == "The original texts (not a translation)."
    assert not dialog.review_button.isEnabled()
    assert "names_muscles" not in [s.key for s in dialog.specs]

    dialog.language.setCurrentIndex(dialog.language.findData("bn"))
    dialog.language.activated.emit(dialog.language.currentIndex())
    assert dialog.text_set.code == "bn" and dialog.review_button.isEnabled()
    assert dialog.review_status.text() == "Not reviewed by a clinician who reads Bengali"
    dialog.select_block("heading_treated")
    assert dialog.editor.toPlainText() == "আজ আমরা কী চিকিৎসা করেছি"
    dialog.editor.setPlainText("আজকের চিকিৎসা")
    dialog.select_block("names_muscles")
    assert "Upper trapezius = ঘাড় ও কাঁধের ওপরের পেশি" in dialog.editor.toPlainText()
    dialog.editor.setPlainText(dialog.editor.toPlainText() + "\nNo such muscle = x")
    assert "'No such muscle' is not a name in the catalogue" in dialog.problem.text()
    dialog.reset_current()
    assert dialog.save()
    assert aftercare.template_bodies(admin_ctx.db, "bn")["heading_treated"] == "আজকের চিকিৎসা"
    assert aftercare.edited_keys(admin_ctx.db) == set()  # English untouched

    def review(self: QDialog) -> int:
        self.reviewed.setChecked(True)
        self.reviewer.setText("Dr Anjali Sen")
        self.reviewed_on.set_date(date(2026, 12, 1))
        self.save()
        return self.result()

    monkeypatch.setattr(language_dialogs.ReviewDialog, "exec", review)
    dialog.edit_review()
    assert dialog.review_status.text() == "Reviewed by Dr Anjali Sen on 1 December 2026"
    assert not aftercare.text_set(admin_ctx.db, "bn").unreviewed

    answers: list[str] = []

    def confirm(*args: object) -> QMessageBox.StandardButton:
        answers.append(str(args[2]))
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", confirm)
    dialog.select_block("closing")
    dialog.editor.setPlainText("প্রশ্ন থাকলে ফোন করুন।")
    assert dialog.save()
    assert "will be marked as not reviewed" in answers[0]
    assert aftercare.text_set(admin_ctx.db, "bn").unreviewed
    assert dialog.review_status.text() == "Not reviewed by a clinician who reads Bengali"


def test_an_administrator_adds_a_language_from_a_copy(
    qtbot: QtBot, admin_ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercareTemplatesDialog(admin_ctx)
    qtbot.addWidget(dialog)

    def add(self: QDialog) -> int:
        self.code.setText("or")
        self.name.setText("Odia")
        self.native_name.setText("ଓଡ଼ିଆ")
        self.copy_from.setCurrentIndex(self.copy_from.findData("hi"))
        self.save()
        return self.result()

    monkeypatch.setattr(language_dialogs.AddLanguageDialog, "exec", add)
    dialog.add_language()
    assert dialog.text_set.code == "or" and dialog.language.currentData() == "or"
    dialog.select_block("title")
    assert dialog.editor.toPlainText() == aftercare.default_text("title", "hi")
    assert "names_muscles" in [s.key for s in dialog.specs]
    assert [s.code for s in aftercare.text_sets(admin_ctx.db)][-1] == "or"


def test_the_handout_language_is_refused_when_unknown(qtbot: QtBot, ctx: AppContext) -> None:
    patient = register_patient(
        ctx.db, ctx.practitioner_id, PatientForm("Roy", "A", date(1990, 1, 1))
    )
    form = PatientFormDialog(ctx, patient)
    qtbot.addWidget(form)
    form.set_handout_language("zz")  # a set that is gone
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert "no aftercare texts in the language 'zz'" in form.general.text() + " ".join(
        label.text() for label in form.findChildren(type(form.general))
    )
    with ctx.db.reading() as session:
        assert session.get(Patient, patient).handout_language == "en"
