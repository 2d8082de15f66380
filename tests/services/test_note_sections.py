"""Notes in sections: saved, signed, read back; older signed sessions still verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from dnt_desktop.services import records
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.signing import content_hash
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

from ..storage.old_database import EDGE_TEXT, PINNED_HASH, build_old_database
from .conftest import PASSWORD, draft_for

SECTIONS = ("subjective", "objective", "assessment", "plan")


def test_sections_are_saved_signed_and_read_back(
    db: Database, db_path: Path, pract_id: int, patient: int
) -> None:
    draft = draft_for(patient, pract_id)
    draft.notes = ""
    for name in SECTIONS:
        setattr(draft, name, f"  {name.title()} text  ")
    session_id = save_session(db, pract_id, draft).session_id
    stored = draft_from(load_session(db, session_id))
    assert [getattr(stored, n) for n in SECTIONS] == [f"{n.title()} text" for n in SECTIONS]
    records.sign_session(db, pract_id, session_id, PASSWORD)
    assert records.signature_intact(db, session_id) is True
    assert check_database(sqlite_url(db_path)).ok
    conn = sqlite3.connect(db_path)  # the sections are signed: changing one shows
    try:
        conn.execute("DROP TRIGGER treatment_session_signed_no_update")
        conn.execute("UPDATE treatment_session SET plan = 'other' WHERE id = ?", (session_id,))
        conn.commit()
    finally:
        conn.close()
    report = check_database(sqlite_url(db_path))
    assert not report.ok
    assert any(f"signed session {session_id}" in p for p in report.problems)


def test_a_section_filled_later_changes_the_hash(db: Database, pract_id: int, patient: int) -> None:
    draft = draft_for(patient, pract_id)
    row = load_session(db, save_session(db, pract_id, draft).session_id)
    empty = content_hash(row)
    row.plan = "Review in a week"
    assert content_hash(row) != empty


@pytest.mark.parametrize("revision", ["0001", "0004"])
def test_upgrading_keeps_every_note_and_every_signature(tmp_path: Path, revision: str) -> None:
    path = build_old_database(tmp_path / "clinic.sqlite3", revision).path
    db = open_database(sqlite_url(path))  # upgrades to the head
    try:
        signed = load_session(db, 7)
        assert signed.notes == EDGE_TEXT and signed.content_hash == PINNED_HASH
        assert [getattr(signed, n) for n in SECTIONS] == ["", "", "", ""]
        assert content_hash(signed) == PINNED_HASH
        draft = load_session(db, 9)
        assert (draft.notes, draft.assessment) == ("Still a draft", "")
    finally:
        db.dispose()
    assert check_database(sqlite_url(path)).ok


def test_checks_sql_writes_the_same_session_content_with_and_without_sections(
    db: Database, db_path: Path, pract_id: int, patient: int
) -> None:
    """`check` builds the canonical JSON in SQL: it must leave the empty sections out as
    ``signing`` does (else every older session would be hashed again the slow way)."""
    from sqlalchemy import text

    from dnt_desktop.models import TreatmentSession
    from dnt_desktop.services.canonical_sql import own_object_sql_unless_default
    from dnt_desktop.services.signing import (
        SESSION_FIELDS,
        SESSION_SIGNED_WHEN_SET,
        _session_content,
    )
    from dnt_desktop.storage.record_hashes import canonical_text

    plain = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    with_plan = draft_for(patient, pract_id)
    with_plan.plan = "Review “soon” \\ \n in a week"
    planned = save_session(db, pract_id, with_plan).session_id
    expression = own_object_sql_unless_default(
        TreatmentSession.__table__, SESSION_FIELDS, SESSION_SIGNED_WHEN_SET, "s"
    )
    with db.write_engine.connect() as conn:
        built = dict(
            conn.execute(text(f"SELECT s.id, {expression} FROM treatment_session s")).all()
        )
    for session_id in (plain, planned):
        expected = canonical_text(_session_content(load_session(db, session_id)))
        assert built[session_id] == expected
    assert '"plan"' not in built[plain] and '"plan"' in built[planned]
