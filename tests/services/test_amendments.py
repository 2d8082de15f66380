"""Amendments: text appended to signed sessions with author and time, append-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import records
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import load_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

from .conftest import PASSWORD

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL

LATER = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)


@pytest.fixture
def signed_id(db: Database, pract_id: int, draft_id: int) -> int:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    return draft_id


def test_amendments_are_appended_with_author_and_time(
    db: Database,
    db_path: Path,
    pract_id: int,
    other_id: int,
    signed_id: int,
    new_events: Callable[[], list[AuditEvent]],
) -> None:
    new_events()
    first = records.amend_session(
        db, pract_id, signed_id, "  Pain 2/10 by phone next day. ", now=LATER
    )
    second = records.amend_session(db, other_id, signed_id, "Bruise resolved.")
    listed = records.amendments(db, signed_id)
    assert [(a.id, a.author_name, a.text) for a in listed] == [
        (first, "Sam Physio", "Pain 2/10 by phone next day."),
        (second, "Kim Other", "Bruise resolved."),
    ]
    assert listed[0].created_at == LATER
    assert [a.text for a in load_session(db, signed_id).amendments] == [a.text for a in listed]
    events = new_events()
    assert [(e.action, e.actor_id, e.entity_id) for e in events] == [
        ("amend", pract_id, signed_id),
        ("amend", other_id, signed_id),
    ]
    assert "Pain" not in events[0].summary  # clinical text stays in the record, not the log
    assert records.signature_intact(db, signed_id) is True
    assert check_database(sqlite_url(db_path)).ok


def test_drafts_are_edited_not_amended(db: Database, pract_id: int, draft_id: int) -> None:
    with pytest.raises(ValidationError, match="correct the draft itself"):
        records.amend_session(db, pract_id, draft_id, "Correction")


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_amendments_are_refused(
    db: Database, pract_id: int, signed_id: int, text: str
) -> None:
    with pytest.raises(ValidationError, match="Write the correction"):
        records.amend_session(db, pract_id, signed_id, text)
    assert records.amendments(db, signed_id) == []


@pytest.mark.parametrize(
    "statement",
    ["UPDATE amendment SET text = 'something else'", "DELETE FROM amendment"],
)
def test_amendments_cannot_be_changed_in_sql(
    db: Database, db_path: Path, pract_id: int, signed_id: int, statement: str
) -> None:
    records.amend_session(db, pract_id, signed_id, "Bruise resolved.")
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()
    assert [a.text for a in records.amendments(db, signed_id)] == ["Bruise resolved."]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("z" * 100_000, "The amendment can have at most 10,000 characters"),
        ("Corrected \ud800 depth", "There is a character in the amendment that cannot be stored"),
    ],
)
def test_an_amendment_that_cannot_be_stored_is_refused_with_a_message(
    db: Database, pract_id: int, signed_id: int, text: str, fragment: str
) -> None:
    with pytest.raises(ValidationError, match=fragment):
        records.amend_session(db, pract_id, signed_id, text)
    assert records.amendments(db, signed_id) == []
