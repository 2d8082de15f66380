"""Tampering with the file: the triggers refuse it, and with them dropped `check` names it.

Each row of the table is one way to change the record behind the app's back (issue 12).
With the database's triggers in place the change is refused and the file still checks
clean; with every trigger dropped (anyone with the file can) the change goes through and
`check` fails with a message that names the changed record. Rows cut from the end of the
audit trail, or a trail rewritten with recomputed hashes, are found through this
computer's witness of the trail (updated by the app's every write).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from dnt_desktop.services import audit_chain, integrity, records, signature_check
from dnt_desktop.services.audit import chain_hash
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import load_session, save_session
from dnt_desktop.services.signing import content_hash, seal
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

from ..services.conftest import PASSWORD, draft_for


@dataclass
class Record:
    """The signed record under attack and its audit events."""

    db: Database
    path: Path
    signed: int
    amendment: int
    draft: int
    sign_event: int
    amend_event: int
    last_event: int


def _one(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return int(conn.execute(sql, args).fetchone()[0])


@pytest.fixture
def record(db: Database, db_path: Path, pract_id: int, admin_id: int, draft_id: int) -> Record:
    """A signed session with points, side effects and an acknowledged alert, amended; a
    second draft; all through the services (so the witness follows every write)."""
    records.sign_session(db, pract_id, draft_id, PASSWORD)
    amendment = records.amend_session(db, admin_id, draft_id, "Reviewed: no change.")
    patient_id = load_session(db, draft_id).patient_id
    draft = save_session(db, pract_id, draft_for(patient_id, pract_id)).session_id
    conn = sqlite3.connect(db_path)
    try:
        sign = _one(
            conn, "SELECT id FROM audit_event WHERE action = 'sign' AND entity_id = ?", draft_id
        )
        amend = _one(conn, "SELECT id FROM audit_event WHERE action = 'amend'")
        last = _one(conn, "SELECT max(id) FROM audit_event")
    finally:
        conn.close()
    assert check_database(sqlite_url(db_path)).ok
    return Record(db, db_path, draft_id, amendment, draft, sign, amend, last)


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def _replace(conn: sqlite3.Connection, table: str, row_id: int, **changes: object) -> None:
    """REPLACE the row *row_id* of *table* with a copy carrying *changes*."""
    names = _columns(conn, table)
    values = dict(
        zip(
            names,
            conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,)).fetchone(),
            strict=True,
        )
    )
    values.update(changes)
    marks = ", ".join("?" * len(names))
    conn.execute(
        f"REPLACE INTO {table} ({', '.join(names)}) VALUES ({marks})", [values[n] for n in names]
    )


def _recompute_content_hash(r: Record, conn: sqlite3.Connection) -> None:
    conn.commit()
    digest = content_hash(load_session(r.db, r.signed))
    conn.execute("UPDATE treatment_session SET content_hash = ? WHERE id = ?", (digest, r.signed))


def _rechain_from(conn: sqlite3.Connection, first_id: int) -> None:
    """Recompute every row hash from *first_id* on, as a tamperer with the code can."""
    prev = conn.execute(
        "SELECT row_hash FROM audit_event WHERE id < ? ORDER BY id DESC LIMIT 1", (first_id,)
    ).fetchone()[0]
    rows = conn.execute(
        "SELECT id, occurred_at, actor_id, action, entity_type, entity_id, patient_id, summary, "
        "workstation, record_hash FROM audit_event WHERE id >= ? ORDER BY id",
        (first_id,),
    ).fetchall()
    for event_id, when, actor, action, kind, entity, patient_id, summary, station, rec in rows:
        moment = datetime.strptime(when, "%Y-%m-%d %H:%M:%S.%f")
        row_hash = chain_hash(
            prev, moment, actor, action, kind, entity, patient_id, summary, station, rec
        )
        conn.execute(
            "UPDATE audit_event SET prev_hash = ?, row_hash = ? WHERE id = ?",
            (prev, row_hash, event_id),
        )
        prev = row_hash


# --- the rows: how the record is changed, and what `check` must name -----------------------


def replace_amendment(r: Record, conn: sqlite3.Connection) -> None:
    _replace(conn, "amendment", r.amendment, text="Nothing to add.")


def replace_audit_event(r: Record, conn: sqlite3.Connection) -> None:
    _replace(conn, "audit_event", r.sign_event, summary="Signed nothing")


def replace_signed_session(r: Record, conn: sqlite3.Connection) -> None:
    _replace(conn, "treatment_session", r.signed, notes="Rewritten notes")


def replace_as_draft_edit_and_sign_again(r: Record, conn: sqlite3.Connection) -> None:
    _replace(conn, "treatment_session", r.signed, status="draft")
    conn.execute("UPDATE needling_point SET depth_mm = 19 WHERE session_id = ?", (r.signed,))
    conn.execute("UPDATE treatment_session SET status = 'signed' WHERE id = ?", (r.signed,))
    _recompute_content_hash(r, conn)


def replace_acknowledgement(r: Record, conn: sqlite3.Connection) -> None:
    ack = _one(conn, "SELECT id FROM alert_acknowledgement WHERE session_id = ?", r.signed)
    _replace(conn, "alert_acknowledgement", ack, message="Nothing to note")


def move_a_draft_point_onto_a_signed_one(r: Record, conn: sqlite3.Connection) -> None:
    signed = _one(conn, "SELECT min(id) FROM needling_point WHERE session_id = ?", r.signed)
    draft = _one(conn, "SELECT min(id) FROM needling_point WHERE session_id = ?", r.draft)
    conn.execute("UPDATE needling_point SET depth_mm = 19 WHERE id = ?", (draft,))  # a draft's
    conn.execute("UPDATE OR REPLACE needling_point SET id = ? WHERE id = ?", (signed, draft))
    conn.execute("UPDATE needling_point SET session_id = ? WHERE id = ?", (r.signed, signed))


def delete_last_audit_row(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_event WHERE id = ?", (r.last_event,))


def delete_last_five_audit_rows(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_event WHERE id > ?", (r.last_event - 5,))


def delete_every_audit_row(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM audit_event")


def edit_amendment(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE amendment SET text = 'Nothing to add.' WHERE id = ?", (r.amendment,))


def delete_amendment(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM amendment WHERE id = ?", (r.amendment,))


def set_back_to_draft(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE treatment_session SET status = 'draft' WHERE id = ?", (r.signed,))


def delete_signed_session_with_children(r: Record, conn: sqlite3.Connection) -> None:
    for table in (
        "session_condition",
        "session_adjunct",
        "needling_point",
        "side_effect",
        "alert_acknowledgement",
        "amendment",
    ):
        conn.execute(f"DELETE FROM {table} WHERE session_id = ?", (r.signed,))
    conn.execute("DELETE FROM treatment_session WHERE id = ?", (r.signed,))


def delete_acknowledgements(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM alert_acknowledgement WHERE session_id = ?", (r.signed,))


def edit_with_recomputed_content_hash(r: Record, conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE needling_point SET depth_mm = 19 WHERE session_id = ?", (r.signed,))
    _recompute_content_hash(r, conn)


def edit_with_recomputed_content_and_chain_hashes(r: Record, conn: sqlite3.Connection) -> None:
    edit_with_recomputed_content_hash(r, conn)
    conn.commit()
    new_seal = seal(*_seal_parts(r))
    conn.execute("UPDATE audit_event SET record_hash = ? WHERE id = ?", (new_seal, r.sign_event))
    _rechain_from(conn, r.sign_event)


def _seal_parts(r: Record) -> tuple[str | None, list[object]]:
    row = load_session(r.db, r.signed)
    return row.content_hash, list(row.acknowledgements)


TAMPERING: dict[
    str, tuple[Callable[[Record, sqlite3.Connection], None], Callable[[Record], str]]
] = {
    # name: (the change, the message `check` must give once the triggers are dropped)
    "REPLACE an amendment": (
        replace_amendment,
        lambda r: f"amendment {r.amendment} of session {r.signed} is not the one the audit trail",
    ),
    "REPLACE an audit event": (
        replace_audit_event,
        lambda r: f"audit event {r.sign_event}: content altered",
    ),
    "REPLACE a signed session": (
        replace_signed_session,
        lambda r: f"signed session {r.signed} was changed after signing",
    ),
    "REPLACE as draft, edit a point, sign with a recomputed hash": (
        replace_as_draft_edit_and_sign_again,
        lambda r: (
            f"signed session {r.signed} does not match its signature (audit event {r.sign_event})"
        ),
    ),
    "REPLACE a signed session's alert acknowledgement": (
        replace_acknowledgement,
        lambda r: (
            f"signed session {r.signed} does not match its signature (audit event {r.sign_event})"
        ),
    ),
    "UPDATE OR REPLACE a draft's point onto a signed session's point": (
        move_a_draft_point_onto_a_signed_one,
        lambda r: f"signed session {r.signed} was changed after signing",
    ),
    "delete the last audit row": (
        delete_last_audit_row,
        lambda r: f"audit event {r.last_event} (this computer's witness of",
    ),
    "delete the last five audit rows": (
        delete_last_five_audit_rows,
        lambda r: f"audit event {r.last_event} (this computer's witness of",
    ),
    "delete every audit row": (
        delete_every_audit_row,
        lambda r: "the audit trail is empty, but this computer's witness",
    ),
    "edit an amendment": (
        edit_amendment,
        lambda r: f"amendment {r.amendment} of session {r.signed} is not the one the audit trail",
    ),
    "delete an amendment": (
        delete_amendment,
        lambda r: (
            f"audit event {r.amend_event} records an amendment of session {r.signed} that is "
            "missing"
        ),
    ),
    "set a signed session back to draft": (
        set_back_to_draft,
        lambda r: (
            f"session {r.signed} is a draft, but audit event {r.sign_event} records its signature"
        ),
    ),
    "delete a signed session with all its children": (
        delete_signed_session_with_children,
        lambda r: f"signed session {r.signed} is missing (audit event {r.sign_event}",
    ),
    "delete a signed session's alert acknowledgements": (
        delete_acknowledgements,
        lambda r: (
            f"signed session {r.signed} does not match its signature (audit event {r.sign_event})"
        ),
    ),
    "edit a point, recompute the content hash": (
        edit_with_recomputed_content_hash,
        lambda r: (
            f"signed session {r.signed} does not match its signature (audit event {r.sign_event})"
        ),
    ),
    "edit a point, recompute the content hash, the seal and the chain": (
        edit_with_recomputed_content_and_chain_hashes,
        lambda r: f"audit event {r.last_event} differs from this computer's witness of",
    ),
}


def _tamper(
    r: Record, change: Callable[[Record, sqlite3.Connection], None], *, drop_triggers: bool
) -> None:
    conn = sqlite3.connect(r.path)
    try:
        if drop_triggers:
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall():
                conn.execute(f"DROP TRIGGER {name}")
        change(r, conn)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("name", list(TAMPERING))
def test_the_triggers_refuse_the_change(record: Record, name: str) -> None:
    change, _message = TAMPERING[name]
    with pytest.raises(
        sqlite3.IntegrityError, match=r"signed sessions cannot be changed|append-only"
    ):
        _tamper(record, change, drop_triggers=False)
    report = check_database(sqlite_url(record.path))
    assert report.ok, report.problems


@pytest.mark.parametrize("name", list(TAMPERING))
def test_check_names_the_changed_record_once_the_triggers_are_dropped(
    record: Record, name: str
) -> None:
    change, message = TAMPERING[name]
    _tamper(record, change, drop_triggers=True)
    report = check_database(sqlite_url(record.path))
    assert not report.ok
    expected = message(record)
    assert any(expected in problem for problem in report.problems), report.problems


@pytest.mark.parametrize(
    "name", ["REPLACE an audit event", "delete a signed session's alert acknowledgements"]
)
def test_the_worker_processes_of_a_large_file_find_the_same(
    record: Record, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large file is hashed in worker processes, in windows and chain ranges: forced
    here on a small one, with windows of 2 sessions and ranges of 3 audit events."""
    monkeypatch.setattr(integrity, "PROCESSES_FROM_BYTES", 0)
    monkeypatch.setattr(signature_check, "WINDOW", 2)
    monkeypatch.setattr(audit_chain, "RANGE", 3)
    clean = check_database(sqlite_url(record.path))
    assert clean.ok and clean.events == record.last_event, clean.problems
    change, message = TAMPERING[name]
    _tamper(record, change, drop_triggers=True)
    report = check_database(sqlite_url(record.path))
    assert any(message(record) in problem for problem in report.problems), report.problems
