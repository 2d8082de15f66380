"""The administrator's audit viewer: filters, paging, CSV export, and no one else."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import accounts, records
from dnt_desktop.services.accounts import PermissionDeniedError
from dnt_desktop.services.audit_query import (
    CSV_COLUMNS,
    AuditFilters,
    count_events,
    export_csv,
    known_actions,
    list_events,
)
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.engine import Database

from .conftest import PASSWORD

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


@pytest.fixture
def trail(db: Database, admin_id: int, pract_id: int, other_id: int, draft_id: int) -> int:
    """Some history: sign-ins, a patient named like a formula, a signed session."""
    accounts.authenticate(db, "sam", PASSWORD)
    register_patient(db, other_id, PatientForm("=HYPERLINK(1)", "Eve", date(1990, 1, 1)))
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    return draft_id


def test_events_are_listed_newest_first_with_names(
    db: Database, admin_id: int, pract_id: int, patient: int, trail: int
) -> None:
    rows = list_events(db, AuditFilters(), actor_id=admin_id)
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    sign = rows[0]
    assert (sign.action, sign.actor_username, sign.actor_name) == ("sign", "sam", "Sam Physio")
    assert (sign.patient_name, sign.patient_chart_number) == ("Doe, Jane", "P000001")
    assert sign.entity_type == "session" and sign.entity_id == trail


def test_filters_by_user_patient_action_and_dates(
    db: Database, admin_id: int, pract_id: int, other_id: int, patient: int, trail: int
) -> None:
    def actions(**filters: object) -> list[str]:
        found = list_events(db, AuditFilters(**filters), actor_id=admin_id)  # type: ignore[arg-type]
        return [r.action for r in reversed(found)]

    assert actions(actor_id=pract_id) == ["create", "create", "create", "login", "sign"]
    assert actions(patient_id=patient) == ["create", "create", "create", "sign"]
    assert actions(action="login") == ["login"]
    assert actions(actor_id=other_id, action="create", entity_type="patient") == ["create"]
    today = date.today()
    everything = count_events(db, AuditFilters(), actor_id=admin_id)
    assert count_events(db, AuditFilters(date_from=today, date_to=today), actor_id=admin_id) == (
        everything
    )
    assert actions(date_to=today - timedelta(days=1)) == []
    assert actions(date_from=today + timedelta(days=1)) == []
    with pytest.raises(ValidationError, match="end date is before"):
        actions(date_from=today, date_to=today - timedelta(days=1))
    assert {"login", "sign", "create"} <= set(known_actions(db, actor_id=admin_id))


def test_pages_through_the_trail(db: Database, admin_id: int, trail: int) -> None:
    total = count_events(db, AuditFilters(), actor_id=admin_id)
    pages = [list_events(db, AuditFilters(), 3, offset, actor_id=admin_id) for offset in (0, 3)]
    assert [len(p) for p in pages] == [3, 3] and total > 6
    assert pages[0][-1].id > pages[1][0].id


def test_only_active_administrators_read_or_export_the_trail(
    db: Database, tmp_path: Path, admin_id: int, pract_id: int
) -> None:
    with pytest.raises(PermissionDeniedError, match="administrator"):
        list_events(db, AuditFilters(), actor_id=pract_id)
    with pytest.raises(PermissionDeniedError):
        count_events(db, AuditFilters(), actor_id=pract_id)
    with pytest.raises(PermissionDeniedError):
        export_csv(db, AuditFilters(), tmp_path / "out" / "a.csv", pract_id)
    assert not (tmp_path / "out").exists()


def test_csv_export_is_complete_safe_for_spreadsheets_and_audited(
    db: Database, tmp_path: Path, admin_id: int, trail: int
) -> None:
    with db.reading() as s:
        before = list(s.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))
    path = tmp_path / "audit.csv"
    assert export_csv(db, AuditFilters(), path, admin_id) == len(before)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 mark: Excel reads accents
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [int(r[0]) for r in rows[1:]] == before
    registered = [r[8] for r in rows[1:] if r[9].startswith("Registered patient ")]
    assert "'=HYPERLINK(1), Eve" in registered  # kept, but not as a formula
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert not (tmp_path / "audit.csv.partial").exists()
    last = list_events(db, AuditFilters(), 1, actor_id=admin_id)[0]
    assert (last.action, last.actor_id) == ("export", admin_id)
    assert str(path) in last.summary


def test_csv_export_to_a_stream_with_a_filter(
    db: Database, admin_id: int, pract_id: int, trail: int
) -> None:
    stream = io.StringIO()
    count = export_csv(db, AuditFilters(action="sign"), stream, admin_id)
    rows = list(csv.reader(io.StringIO(stream.getvalue())))
    assert count == 1 and len(rows) == 2 and rows[1][4] == "sign" and rows[1][2] == "sam"
