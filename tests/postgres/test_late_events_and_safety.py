"""Issue 16 on PostgreSQL: late events append-only and checked, the Safety report, limits."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest
from sqlalchemy.engine import URL

from dnt_desktop.models.enums import Severity
from dnt_desktop.services import records
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.safety.late_events import LateEventForm, late_events, record_late_event
from dnt_desktop.services.safety.limit_settings import limit_rows, set_limits
from dnt_desktop.services.safety.lung_limits import DepthLimit
from dnt_desktop.services.safety.report import safety_report
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

from .conftest import PASSWORD, SESSION_DAY, draft_for
from .test_integrity_and_audit import _last_event_id

BRUISE = LateEventForm("bruising", Severity.MILD, 20, "Cold pack advised.")


@pytest.fixture
def signed_id(db: Database, pract_id: int, patient: int) -> int:
    session_id = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    return session_id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE late_event SET severity = 'moderate'",
        "DELETE FROM late_event",
        "TRUNCATE late_event CASCADE",
        "INSERT INTO late_event SELECT * FROM late_event "
        "ON CONFLICT (id) DO UPDATE SET notes = 'x'",
    ],
)
def test_late_events_are_append_only_in_sql(
    raw_sql: psycopg.Connection, db: Database, pract_id: int, signed_id: int, statement: str
) -> None:
    record_late_event(db, pract_id, signed_id, BRUISE)
    with pytest.raises(
        psycopg.errors.IntegrityConstraintViolation, match="late_event rows are append-only"
    ):
        raw_sql.execute(statement)
    assert [e.code for e in late_events(db, signed_id)] == ["bruising"]


def test_check_finds_a_late_event_changed_behind_the_trigger(
    db: Database, pg_url: URL, raw_sql: psycopg.Connection, pract_id: int, signed_id: int
) -> None:
    event_id = record_late_event(db, pract_id, signed_id, BRUISE).event_id
    report = check_database(pg_url)
    assert report.ok, report.problems
    audit_id = _last_event_id(db)
    with raw_sql.transaction():
        raw_sql.execute("ALTER TABLE late_event DISABLE TRIGGER late_event_append_only")
        raw_sql.execute("UPDATE late_event SET severity = 'moderate'")
    assert check_database(pg_url).problems == [
        f"late event {event_id} of session {signed_id} is not the one the audit trail records "
        "(it was changed, or added outside dnt-desktop)",
        f"audit event {audit_id} records a late event of session {signed_id} that is missing "
        "or was changed",
    ]
    assert records.signature_intact(db, signed_id) is True


def test_the_safety_report_and_the_limits_on_postgresql(
    db: Database, admin_id: int, pract_id: int, signed_id: int
) -> None:
    record_late_event(db, pract_id, signed_id, BRUISE)
    day = SESSION_DAY.date()
    report = safety_report(db, admin_id, day - timedelta(days=1), day + timedelta(days=1))
    assert report.treatments == 1 and report.too_few and report.late_events == 1
    bruising = next(r for r in report.categories if r.code == "bruising")
    assert bruising.rate.events == 1  # charted in the session and reported later: one treatment
    set_limits(db, admin_id, {("rhomboid_major", "18_5_to_25"): DepthLimit(17, 25)})
    rows = {(r.muscle_code, r.band_code): r for r in limit_rows(db)}
    assert rows[("rhomboid_major", "18_5_to_25")].changed
