"""`dnt-desktop check`, the audit viewer and the aftercare command on a PostgreSQL URL."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from dnt_desktop import cli
from dnt_desktop.models import AuditEvent
from dnt_desktop.services import accounts, backups, records
from dnt_desktop.services.audit_query import AuditFilters, count_events, export_csv, list_events
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.migrate import head_revision

from .conftest import PASSWORD, SESSION_DAY, draft_for


@pytest.fixture
def signed_id(db: Database, admin_id: int, pract_id: int, patient: int) -> int:
    """A signed session with an amendment, after a sign-in: a few audit events."""
    accounts.authenticate(db, "sam", PASSWORD)
    session_id = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    records.amend_session(db, admin_id, session_id, "Reviewed.")
    return session_id


def _check(url: URL, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["check", "--db", url.render_as_string(hide_password=False)])
    return code, capsys.readouterr().out


def _last_event_id(db: Database) -> int:
    with db.reading() as s:
        return int(s.scalar(select(func.max(AuditEvent.id))) or 0)


def test_a_sound_database_checks_clean(
    db: Database, pg_url: URL, signed_id: int, capsys: pytest.CaptureFixture[str]
) -> None:
    report = check_database(pg_url)
    assert report.ok, report.problems
    assert report.revision == report.head == head_revision()
    code, out = _check(pg_url, capsys)
    assert code == 0 and out.startswith("OK:"), out


def test_check_reports_an_altered_audit_row_behind_the_trigger(
    db: Database,
    pg_url: URL,
    raw_sql: psycopg.Connection,
    signed_id: int,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with raw_sql.transaction():  # only the superuser can switch the guard off
        raw_sql.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        raw_sql.execute("UPDATE audit_event SET summary = 'nothing happened' WHERE id = 3")
    assert check_database(pg_url).problems == ["audit event 3: content altered"]
    code, out = _check(pg_url, capsys)
    assert code == 1 and "problem: audit event 3: content altered" in out


def test_check_reports_a_removed_audit_row(
    db: Database, pg_url: URL, raw_sql: psycopg.Connection, signed_id: int
) -> None:
    last = _last_event_id(db)
    with raw_sql.transaction():
        raw_sql.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
        raw_sql.execute("DELETE FROM audit_event WHERE id = %s", (last - 1,))
    assert check_database(pg_url).problems == [
        f"audit event {last}: chain broken after event {last - 2}"
    ]


def test_check_reports_a_signed_session_changed_behind_the_trigger(
    db: Database, pg_url: URL, raw_sql: psycopg.Connection, signed_id: int
) -> None:
    with raw_sql.transaction():
        raw_sql.execute("ALTER TABLE needling_point DISABLE TRIGGER needling_point_signed_guard")
        raw_sql.execute(
            "UPDATE needling_point SET depth_mm = 15 WHERE session_id = %s", (signed_id,)
        )
    assert records.signature_intact(db, signed_id) is False
    assert check_database(pg_url).problems == [
        f"signed session {signed_id} was changed after signing"
    ]


def test_the_audit_viewer_filters_and_exports(
    db: Database, admin_id: int, pract_id: int, patient: int, signed_id: int, tmp_path: Path
) -> None:
    rows = list_events(db, AuditFilters(), actor_id=admin_id)
    assert [r.id for r in rows] == sorted((r.id for r in rows), reverse=True)
    assert (rows[0].action, rows[0].actor_username) == ("amend", "alex")
    sign = next(r for r in rows if r.action == "sign")
    assert (sign.patient_name, sign.patient_chart_number) == ("Doe, Jane", "P000001")
    mine = AuditFilters(actor_id=pract_id, patient_id=patient)
    assert [r.action for r in reversed(list_events(db, mine, actor_id=admin_id))] == [
        "create",
        "create",
        "create",
        "sign",
    ]
    today = date.today()
    assert count_events(db, AuditFilters(date_from=today, date_to=today), actor_id=admin_id) == (
        len(rows)
    )
    before = AuditFilters(date_to=SESSION_DAY.date().replace(year=2000))
    assert count_events(db, before, actor_id=admin_id) == 0
    target = tmp_path / "audit.csv"
    assert export_csv(db, AuditFilters(), target, admin_id) == len(rows)
    with target.open(encoding="utf-8-sig", newline="") as handle:
        assert len(list(csv.reader(handle))) == len(rows) + 1
    assert list_events(db, AuditFilters(), actor_id=admin_id)[0].action == "export"


def test_the_aftercare_command_writes_a_sheet_from_postgresql(
    pg_url: URL, signed_id: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "sheet.pdf"
    url = pg_url.render_as_string(hide_password=False)
    assert cli.main(["aftercare", str(signed_id), "--db", url, "-o", str(output)]) == 0
    assert output.read_bytes().startswith(b"%PDF")
    assert cli.main(["aftercare", "999999", "--db", url, "-o", str(tmp_path / "x.pdf")]) == 1
    assert "Session 999999 does not exist." in capsys.readouterr().err


def test_file_backups_point_to_the_postgresql_tools(
    db: Database, pg_url: URL, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert backups.automatic_backup(db, "daily") is None  # nothing to copy, nothing written
    with pytest.raises(StorageError, match="pg_dump"):
        backups.make_backup(db, tmp_path, "manual")
    url = pg_url.render_as_string(hide_password=False)
    assert cli.main(["backup", "--db", url, str(tmp_path / "b.sqlite3")]) == 1
    assert "pg_dump" in capsys.readouterr().err
    assert cli.main(["restore", str(tmp_path / "b.sqlite3"), "--db", url]) == 1
    assert "pg_restore" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
