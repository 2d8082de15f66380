"""`dnt-desktop check`, the audit viewer and the aftercare command on a PostgreSQL URL."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from dnt_desktop import cli
from dnt_desktop.models import AuditEvent
from dnt_desktop.services import accounts, audit, backups, records
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.rules import Alert, Level
from dnt_desktop.services.sessions import load_session, save_session
from dnt_desktop.services.signing import content_hash, seal
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.migrate import head_revision

from .conftest import PASSWORD, draft_for


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
    assert check_database(pg_url).problems == [  # the removed row was the signature
        f"audit event {last}: chain broken after event {last - 2}",
        f"signed session {signed_id} has no signature in the audit trail",
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


# --- the tamper table on PostgreSQL ---------------------------------------------------
# Only a superuser can switch the guards off (``session_replication_role = replica``
# skips every trigger of that connection); the app's own database account cannot.

ALERT = Alert("deep_lung_risk", Level.WARNING, "Deep needling over a lung-risk muscle")


@dataclass
class Record:
    """The signed session under attack, its amendment and audit events."""

    db: Database
    signed: int
    amendment: int
    sign_event: int
    amend_event: int
    last_event: int


@pytest.fixture
def record(db: Database, admin_id: int, pract_id: int, patient: int) -> Record:
    session_id = save_session(db, pract_id, draft_for(patient, pract_id), [ALERT]).session_id
    records.sign_session(db, pract_id, session_id, PASSWORD)
    amendment = records.amend_session(db, admin_id, session_id, "Reviewed.")
    with db.reading() as s:
        events = {e.action: e.id for e in s.scalars(select(AuditEvent))}
    assert check_database(db.url).ok
    return Record(db, session_id, amendment, events["sign"], events["amend"], events["amend"])


def _upsert(table: str, column: str, value: str) -> Callable[[Record, Any], None]:
    """INSERT ... ON CONFLICT (id) DO UPDATE over an existing row: PostgreSQL's REPLACE."""

    def change(r: Record, sql: Any) -> None:
        row_id = {
            "amendment": r.amendment,
            "audit_event": r.sign_event,
            "treatment_session": r.signed,
        }.get(table)
        if row_id is None:
            row_id = sql.execute(
                f"SELECT min(id) FROM {table} WHERE session_id = %s", (r.signed,)
            ).fetchone()[0]
        sql.execute(
            f"INSERT INTO {table} SELECT * FROM {table} WHERE id = %s "
            f"ON CONFLICT (id) DO UPDATE SET {column} = %s",
            (row_id, value),
        )

    return change


def _recompute_content_hash(r: Record, sql: Any) -> None:
    sql.execute(
        "UPDATE treatment_session SET content_hash = %s WHERE id = %s",
        (content_hash(load_session(r.db, r.signed)), r.signed),
    )


def _edit_point(r: Record, sql: Any) -> None:
    sql.execute("UPDATE needling_point SET depth_mm = 19 WHERE session_id = %s", (r.signed,))


def _delete_with_children(r: Record, sql: Any) -> None:
    for table in (*CHILDREN, "amendment", "treatment_session"):
        column = "id" if table == "treatment_session" else "session_id"
        sql.execute(f"DELETE FROM {table} WHERE {column} = %s", (r.signed,))


CHILDREN = (
    "session_condition",
    "session_adjunct",
    "needling_point",
    "side_effect",
    "alert_acknowledgement",
)


def _rechain(r: Record, sql: Any) -> None:
    """Edit a point, recompute the content hash, the seal and every later row hash."""
    _edit_point(r, sql)
    _recompute_content_hash(r, sql)
    row = load_session(r.db, r.signed)
    sql.execute(
        "UPDATE audit_event SET record_hash = %s WHERE id = %s",
        (seal(row.content_hash, list(row.acknowledgements)), r.sign_event),
    )
    prev = sql.execute(
        "SELECT row_hash FROM audit_event WHERE id < %s ORDER BY id DESC LIMIT 1", (r.sign_event,)
    ).fetchone()[0]
    with r.db.reading() as s:
        rows = s.scalars(
            select(AuditEvent).where(AuditEvent.id >= r.sign_event).order_by(AuditEvent.id)
        ).all()
    for event in rows:
        new_hash = audit.row_hash(event, prev)
        sql.execute(
            "UPDATE audit_event SET prev_hash = %s, row_hash = %s WHERE id = %s",
            (prev, new_hash, event.id),
        )
        prev = new_hash


PG_TAMPERING: dict[str, tuple[Callable[[Record, Any], None], Callable[[Record], str]]] = {
    "upsert over an amendment": (
        _upsert("amendment", "text", "Nothing to add."),
        lambda r: f"amendment {r.amendment} of session {r.signed} is not the one the audit trail",
    ),
    "upsert over an audit event": (
        _upsert("audit_event", "summary", "Signed nothing"),
        lambda r: f"audit event {r.sign_event}: content altered",
    ),
    "upsert over a signed session": (
        _upsert("treatment_session", "notes", "Rewritten"),
        lambda r: f"signed session {r.signed} was changed after signing",
    ),
    "upsert over an alert acknowledgement": (
        _upsert("alert_acknowledgement", "message", "Nothing"),
        lambda r: f"signed session {r.signed} does not match its signature",
    ),
    "delete the last audit row": (
        lambda r, sql: sql.execute("DELETE FROM audit_event WHERE id = %s", (r.last_event,)),
        lambda r: f"audit event {r.last_event} (this computer's witness of",
    ),
    "delete every audit row": (
        lambda r, sql: sql.execute("DELETE FROM audit_event"),
        lambda r: "the audit trail is empty, but this computer's witness",
    ),
    "delete an amendment": (
        lambda r, sql: sql.execute("DELETE FROM amendment WHERE id = %s", (r.amendment,)),
        lambda r: f"audit event {r.amend_event} records an amendment of session {r.signed}",
    ),
    "set a signed session back to draft": (
        lambda r, sql: sql.execute(
            "UPDATE treatment_session SET status = 'draft' WHERE id = %s", (r.signed,)
        ),
        lambda r: f"session {r.signed} is a draft, but audit event {r.sign_event} records",
    ),
    "delete a signed session with all its children": (
        lambda r, sql: _delete_with_children(r, sql),
        lambda r: f"signed session {r.signed} is missing (audit event {r.sign_event}",
    ),
    "delete the alert acknowledgements": (
        lambda r, sql: sql.execute(
            "DELETE FROM alert_acknowledgement WHERE session_id = %s", (r.signed,)
        ),
        lambda r: f"signed session {r.signed} does not match its signature",
    ),
    "edit a point, recompute the content hash": (
        lambda r, sql: (_edit_point(r, sql), _recompute_content_hash(r, sql)),
        lambda r: f"signed session {r.signed} does not match its signature",
    ),
    "edit a point, recompute the content hash, the seal and the chain": (
        _rechain,
        lambda r: f"audit event {r.last_event} differs from this computer's witness",
    ),
}


@pytest.mark.parametrize("name", list(PG_TAMPERING))
def test_the_guards_refuse_the_change(
    record: Record, raw_sql: psycopg.Connection, name: str
) -> None:
    change, _message = PG_TAMPERING[name]
    with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
        change(record, raw_sql)  # each statement commits on its own (autocommit)
    assert check_database(record.db.url).ok


@pytest.mark.parametrize("name", list(PG_TAMPERING))
def test_check_names_the_record_changed_behind_the_guards(
    record: Record, raw_sql: psycopg.Connection, name: str
) -> None:
    change, message = PG_TAMPERING[name]
    raw_sql.execute("SET session_replication_role = replica")  # this connection only
    change(record, raw_sql)
    report = check_database(record.db.url)
    expected = message(record)
    assert any(expected in problem for problem in report.problems), report.problems
