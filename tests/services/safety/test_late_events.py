"""Events reported after signing: recorded against the signed session, append-only, checked."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import Severity
from dnt_desktop.services import records
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.safety.late_events import (
    LateEventForm,
    late_events,
    record_late_event,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

from ..conftest import PASSWORD

NEXT_DAY = datetime(2026, 11, 21, 8, 30, tzinfo=UTC)
BRUISE = LateEventForm("bruising", Severity.MILD, 20, "Advised a cold pack; reviewed by phone.")


@pytest.fixture
def signed_id(db: Database, pract_id: int, draft_id: int) -> int:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    return draft_id


def test_a_late_event_is_added_and_the_signature_still_verifies(
    db: Database,
    db_path: Path,
    pract_id: int,
    other_id: int,
    signed_id: int,
    new_events: Callable[[], list[AuditEvent]],
) -> None:
    new_events()
    done = record_late_event(db, other_id, signed_id, BRUISE, now=NEXT_DAY)
    assert not done.serious
    assert done.changes.sessions == {signed_id}
    (event,) = late_events(db, signed_id)
    assert (event.label, event.severity, event.onset_hours) == ("Bruising", Severity.MILD, 20)
    assert (event.recorded_by, event.recorded_at) == ("Kim Other", NEXT_DAY)
    assert event.action_taken == BRUISE.action_taken
    (audit_row,) = new_events()
    assert (audit_row.action, audit_row.entity_id) == ("late_event", signed_id)
    assert "ruis" not in audit_row.summary  # what happened stays in the record
    assert records.signature_intact(db, signed_id) is True
    report = check_database(sqlite_url(db_path))
    assert report.ok, report.problems


def test_a_serious_event_is_marked_serious(db: Database, pract_id: int, signed_id: int) -> None:
    form = LateEventForm("pneumothorax", Severity.SEVERE, 30, "Sent to the emergency department.")
    assert record_late_event(db, pract_id, signed_id, form).serious
    other = LateEventForm("other", Severity.SEVERE, 0.5, "First aid", other_text="Fell, cut chin")
    assert record_late_event(db, pract_id, signed_id, other).serious


def test_fainting_is_serious_only_with_an_injury(
    db: Database, pract_id: int, signed_id: int
) -> None:
    """Issue 16: "fainting with injury" opens an incident report; a faint without harm
    (lay down, recovered) is a mild or moderate event counted in its own category."""
    faint = LateEventForm("fainting", Severity.MODERATE, 0.2, "Lay down with legs raised.")
    done = record_late_event(db, pract_id, signed_id, faint)
    assert not done.serious
    assert late_events(db, signed_id)[0].label == "Fainting or feeling faint"
    injured = LateEventForm("fainting", Severity.SEVERE, 0.2, "Fell and cut the chin; A&E.")
    assert record_late_event(db, pract_id, signed_id, injured).serious


def test_drafts_take_side_effects_not_late_events(
    db: Database, pract_id: int, draft_id: int
) -> None:
    with pytest.raises(ValidationError, match="not signed yet"):
        record_late_event(db, pract_id, draft_id, BRUISE)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (LateEventForm("sneezing", Severity.MILD, 3, "x"), "Choose the type"),
        (LateEventForm("bruising", Severity.MILD, -1, "x"), "hours after the treatment"),
        (LateEventForm("bruising", Severity.MILD, float("nan"), "x"), "hours after"),
        (LateEventForm("bruising", Severity.MILD, 3, "  "), "what was done"),
        (LateEventForm("other", Severity.MILD, 3, "x"), "Describe the event"),
    ],
)
def test_a_wrong_form_says_what_to_fix(
    db: Database, pract_id: int, signed_id: int, form: LateEventForm, message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        record_late_event(db, pract_id, signed_id, form)
    assert late_events(db, signed_id) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE late_event SET severity = 'moderate'",
        "DELETE FROM late_event",
        "REPLACE INTO late_event SELECT * FROM late_event",
    ],
)
def test_late_events_cannot_be_changed_in_sql(
    db: Database, db_path: Path, pract_id: int, signed_id: int, statement: str
) -> None:
    record_late_event(db, pract_id, signed_id, BRUISE)
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()
    assert [e.code for e in late_events(db, signed_id)] == ["bruising"]


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE late_event SET severity = 'moderate'", "late event 1 of session"),
        ("DELETE FROM late_event", "records a late event of session"),
    ],
)
def test_a_change_behind_the_triggers_is_caught_by_check(
    db: Database, db_path: Path, pract_id: int, signed_id: int, statement: str, expected: str
) -> None:
    record_late_event(db, pract_id, signed_id, BRUISE)
    db.dispose()
    conn = sqlite3.connect(db_path)
    try:
        for name in ("late_event_no_update", "late_event_no_delete"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(statement)
        conn.commit()
    finally:
        conn.close()
    report = check_database(sqlite_url(db_path))
    assert not report.ok
    assert any(expected in problem for problem in report.problems), report.problems
    # the signed session itself is still sound
    assert not any("does not match its signature" in p for p in report.problems)
