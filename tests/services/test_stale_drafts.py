"""Drafts left unsigned longer than the clinic allows are listed for their practitioner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dnt_desktop.services import records
from dnt_desktop.services.sessions import save_session
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage.engine import Database

from .conftest import PASSWORD, SESSION_DAY, draft_for

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


def _save(db: Database, practitioner: int, patient: int, started: datetime) -> int:
    draft = draft_for(patient, practitioner)
    draft.started_at = started
    return save_session(db, practitioner, draft).session_id


def test_old_drafts_are_listed_oldest_first_with_the_patient(
    db: Database, admin_id: int, pract_id: int, other_id: int, patient: int
) -> None:
    now = SESSION_DAY + timedelta(days=10)
    oldest = _save(db, pract_id, patient, SESSION_DAY)
    old = _save(db, pract_id, patient, now - timedelta(days=3))
    _save(db, pract_id, patient, now - timedelta(days=1))  # recent: not yet stale
    _save(db, other_id, patient, SESSION_DAY)  # someone else's
    signed = _save(db, pract_id, patient, SESSION_DAY + timedelta(hours=2))
    records.sign_session(db, pract_id, signed, PASSWORD)

    stale = records.stale_drafts(db, pract_id, now=now)
    assert [d.session_id for d in stale] == [oldest, old]
    assert stale[0].patient_name == "Doe, Jane" and stale[0].chart_number == "P000001"
    assert stale[0].started_at == SESSION_DAY and stale[0].days_old == 10

    set_setting(db, admin_id, "stale_draft_days", "5")
    assert [d.session_id for d in records.stale_drafts(db, pract_id, now=now)] == [oldest]


def test_nothing_is_listed_when_everything_is_signed(
    db: Database, pract_id: int, draft_id: int
) -> None:
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    later = datetime.now(UTC) + timedelta(days=365)
    assert records.stale_drafts(db, pract_id, now=later) == []
