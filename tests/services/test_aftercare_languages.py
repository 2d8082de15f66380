"""Text sets per language: the shipped ones, review status, edits per language, languages
added by copying a set, and the patient's handout language."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import Role
from dnt_desktop.paths import resources_dir
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import NewLanguage, Review
from dnt_desktop.services.aftercare.texts import catalogue_names, parse_names
from dnt_desktop.services.drafts import PatientForm, SessionDraft
from dnt_desktop.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from dnt_desktop.services.patients import get_patient, register_patient, update_patient
from dnt_desktop.services.practitioners import PractitionerForm, insert_practitioner
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL

TRANSLATIONS = ("bn", "hi")


@pytest.fixture
def admin_id(db: Database, practitioner_id: int) -> int:
    with db.transaction() as session:
        return insert_practitioner(
            session, None, PractitionerForm("Ann Admin", "ann", role=Role.ADMIN), None
        )


def _audits(db: Database) -> list[str]:
    with db.reading() as session:
        return list(
            session.scalars(
                select(AuditEvent.summary).where(
                    AuditEvent.entity_type.in_(("aftercare_language", "aftercare_template"))
                )
            )
        )


def test_english_bengali_and_hindi_are_shipped_and_the_translations_are_not_reviewed() -> None:
    sets = {s.code: s for s in aftercare.shipped_sets()}
    assert list(sets) == ["en", "bn", "hi"]
    assert not sets["en"].translation and sets["en"].warning() == ""
    for code in TRANSLATIONS:
        assert sets[code].translation and sets[code].unreviewed
        assert "not been reviewed by a clinician who reads" in sets[code].warning()
        source = json.loads((resources_dir() / "aftercare" / code / "language.json").read_text())
        assert "NOT reviewed" in source["source"]


@pytest.mark.parametrize("code", TRANSLATIONS)
def test_a_translation_has_every_block_word_and_name_of_its_own(code: str) -> None:
    folder = resources_dir() / "aftercare" / code
    english = resources_dir() / "aftercare" / "en"
    assert sorted(p.name for p in folder.glob("*.txt")) == sorted(
        p.name for p in english.glob("*.txt")
    )
    words = json.loads((folder / "words.json").read_text(encoding="utf-8"))
    assert set(words) == set(json.loads((english / "words.json").read_text(encoding="utf-8")))
    for item in aftercare.specs_for(translation=True):
        text = aftercare.default_text(item.key, code)
        assert text.strip(), item.key
        assert aftercare.unknown_placeholders(text, item.key) == [], item.key
        assert aftercare.block_problems(item.key, text) == [], item.key
        if item.kind != "names":
            # written in the language, not the English fallback
            assert text != aftercare.default_text(item.key) or item.key == "date_format", item.key
    for key, kind in aftercare.texts.NAME_CATALOGUES.items():
        named = parse_names(aftercare.default_text(key, code))
        assert set(named) == set(catalogue_names(kind).values()), key


def test_edits_belong_to_one_language_and_reset_per_language(db: Database, admin_id: int) -> None:
    aftercare.save_templates(db, admin_id, {"intro": "বাংলায় ভূমিকা"}, language="bn")
    assert aftercare.template_bodies(db, "bn")["intro"] == "বাংলায় ভূমিকা"
    assert aftercare.template_bodies(db, "en")["intro"] == aftercare.default_text("intro")
    assert aftercare.template_bodies(db, "hi")["intro"] == aftercare.default_text("intro", "hi")
    assert aftercare.edited_keys(db, "bn") == {"intro"} and aftercare.edited_keys(db) == set()
    assert aftercare.reset_templates(db, admin_id, ["intro"], language="bn") == ["intro"]
    assert aftercare.edited_keys(db, "bn") == set()
    assert "Aftercare text 'Introduction' in Bengali edited" in _audits(db)


def test_names_and_word_lists_are_checked_before_saving(db: Database, admin_id: int) -> None:
    with pytest.raises(ValidationError) as caught:
        aftercare.save_templates(
            db,
            admin_id,
            {
                "months": "জানুয়ারি, ফেব্রুয়ারি",
                "names_muscles": "Upper trapezius = ঘাড়\nNo such muscle = x\nDeltoid",
            },
            language="bn",
        )
    messages = " ".join(p.message for p in caught.value.problems)
    assert "needs 12 names separated by commas" in messages
    assert "'No such muscle' is not a name in the catalogue" in messages
    assert "'Deltoid' has no '='" in messages


def test_a_review_is_recorded_by_an_administrator_and_undone_by_changed_texts(
    db: Database, admin_id: int, practitioner_id: int
) -> None:
    review = Review(True, "Dr Anjali Sen", date(2026, 12, 1))
    with pytest.raises(PermissionDeniedError):
        aftercare.set_review(db, practitioner_id, "bn", review)
    with pytest.raises(ValidationError, match="Enter the name"):
        aftercare.set_review(db, admin_id, "bn", Review(True, " ", date(2026, 12, 1)))
    future = date.today() + timedelta(days=2)
    with pytest.raises(ValidationError, match="in the future"):
        aftercare.set_review(db, admin_id, "bn", Review(True, "Dr Sen", future))
    reviewed = aftercare.set_review(db, admin_id, "bn", review)
    assert reviewed.review == review and not reviewed.unreviewed and reviewed.warning() == ""
    assert aftercare.text_set(db, "hi").unreviewed
    assert "Aftercare texts in Bengali: Reviewed by Dr Anjali Sen on 1 December 2026" in (
        _audits(db)
    )
    aftercare.save_templates(db, admin_id, {"closing": "প্রশ্ন থাকলে ফোন করুন।"}, language="bn")
    assert aftercare.text_set(db, "bn").unreviewed
    assert any("changed: to be reviewed again" in s for s in _audits(db))


def test_a_language_is_added_by_copying_a_set_with_its_edits(db: Database, admin_id: int) -> None:
    aftercare.save_templates(db, admin_id, {"closing": "আমাদের ফোন করুন।"}, language="bn")
    with pytest.raises(ValidationError) as caught:
        aftercare.add_language(db, admin_id, NewLanguage("Tamil!", "", copy_from="xx"))
    assert {p.field for p in caught.value.problems} == {"code", "name", "copy_from"}
    with pytest.raises(ValidationError, match="already a set 'bn'"):
        aftercare.add_language(db, admin_id, NewLanguage("bn", "Bangla"))
    added = aftercare.add_language(
        db, admin_id, NewLanguage("as", "Assamese", "অসমীয়া", copy_from="bn")
    )
    assert added.label == "Assamese (অসমীয়া)" and added.unreviewed and not added.shipped
    assert added.defaults == "bn" and added.copied_from == "bn"
    texts = aftercare.template_bodies(db, "as")
    assert texts["closing"] == "আমাদের ফোন করুন।"  # the clinic's edit, copied
    assert texts["intro"] == aftercare.default_text("intro", "bn")  # the set's default
    assert [s.code for s in aftercare.text_sets(db)] == ["en", "bn", "hi", "as"]
    assert "Aftercare texts in Assamese (অসমীয়া) added, copied from Bengali" in _audits(db)


def test_the_patients_handout_language_chooses_the_sheet_and_can_be_overridden(
    db: Database, practitioner_id: int
) -> None:
    with pytest.raises(ValidationError, match="no aftercare texts in the language 'xx'"):
        register_patient(
            db, practitioner_id, PatientForm("Sen", "Mita", date(1980, 1, 2), handout_language="xx")
        )
    patient = register_patient(
        db, practitioner_id, PatientForm("Sen", "Mita", date(1980, 1, 2), handout_language="bn")
    )
    draft = SessionDraft(patient, practitioner_id, datetime(2026, 11, 20, 10, 30, tzinfo=UTC))
    session_id = save_session(db, practitioner_id, draft).session_id
    sheet = aftercare.load_sheet(db, session_id)
    assert sheet.text_set.code == "bn" and sheet.text("heading_treated") == "আজ আমরা কী চিকিৎসা করেছি"
    assert aftercare.load_sheet(db, session_id, "hi").text_set.code == "hi"
    with pytest.raises(NotFoundError):
        aftercare.load_sheet(db, session_id, "xx")
    form = PatientForm("Sen", "Mita", date(1980, 1, 2), handout_language="en")
    update_patient(db, practitioner_id, patient, form, get_patient(db, patient).version)
    assert aftercare.load_sheet(db, session_id).text_set.code == "en"


def test_migration_0005_keeps_every_edit_as_english_and_goes_down_again(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(sqlite_url(path))
    config = alembic_config()
    try:
        with db.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0004")
        conn = sqlite3.connect(path)
        conn.execute(
            "INSERT INTO aftercare_template (key, body, updated_at) "
            "VALUES ('intro', 'Our intro', '2026-01-01 00:00:00')"
        )
        conn.commit()
        conn.close()
        with db.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, "0005")
        assert aftercare.template_bodies(db)["intro"] == "Our intro"
        assert aftercare.edited_keys(db, "bn") == set()
        with db.write_engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0004")
        conn = sqlite3.connect(path)
        rows = conn.execute("SELECT key, body FROM aftercare_template").fetchall()
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        conn.close()
        assert rows == [("intro", "Our intro")] and "aftercare_language" not in tables
    finally:
        db.dispose()
