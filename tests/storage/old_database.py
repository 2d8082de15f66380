"""A database as dnt-desktop wrote it before signatures entered the audit trail (0005).

Rows go in through plain SQL, in the form the app stores them (timestamps as naive UTC
text with microseconds, enum values, 0/1 flags), and the audit trail is chained the old
way (no record hash). Session 7 holds the pinned edge-case content below; its content
hash is the one computed by the code of revision 0004 (``PINNED_HASH``), so that a later
change of the canonical form cannot go unnoticed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command

from dnt_desktop.services.audit import GENESIS_HASH, chain_hash
from dnt_desktop.services.signing import content_hash_of_row
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config

EDGE_TEXT = 'Quote " backslash \\ tab\t newline\n cr\r ctrl\x01\x1f del\x7f é 中文 😀 \u2028 end'
PINNED_SESSION = {
    "id": 7,
    "patient_id": 3,
    "practitioner_id": 2,
    "started_at": datetime(2026, 11, 20, 14, 15, 0, tzinfo=UTC),
    "pain_before": None,
    "pain_after": 0,
    "notes": EDGE_TEXT,
    "thermal_advice": "ice",
    "stretches": "",
    "next_appointment": datetime(2026, 12, 1, 9, 30, 0, 123456, tzinfo=UTC),
    "signed_at": datetime(2026, 11, 20, 15, 2, 3, 456789, tzinfo=UTC),
    "signed_by_id": 2,
}
PINNED_CONDITIONS = [
    {"code": "other", "other_text": "Tennis elbow \u00e9"},
    {"code": "neck_pain", "other_text": ""},
]
PINNED_ADJUNCTS = [{"code": "exercise", "detail": '"home" programme'}]
PINNED_POINTS = [  # stored by number (as the app stores them); the hash orders them so too
    {
        "number": 2,
        "muscle_code": "gluteus_medius",
        "side": "left",
        "view": "back",
        "x": 0.123456789,
        "y": 1 / 3,
        "depth_class": "deep",
        "depth_mm": 40.0,
        "needle_gauge_mm": 0.30000000000000004,
        "needle_length_mm": 50.0,
        "insertions": 5,
        "twitch_response": False,
        "technique": "pistoning",
        "notes": "",
    },
    {
        "number": 1,
        "muscle_code": "upper_trapezius",
        "side": "right",
        "view": "back",
        "x": 0.41,
        "y": 0.19,
        "depth_class": "superficial",
        "depth_mm": 7.5,
        "needle_gauge_mm": 0.25,
        "needle_length_mm": 25.0,
        "insertions": 1,
        "twitch_response": True,
        "technique": "static",
        "notes": EDGE_TEXT,
    },
]
PINNED_EFFECTS = [
    {
        "code": "other",
        "other_text": "Dizzy",
        "severity": "moderate",
        "onset": "during",
        "resolved": False,
        "action_taken": "Rest \\ water",
        "notes": "",
    }
]
PINNED_HASH = "b715dffb6775919058eb7b065ddc871e2a54d12642576cf2b9ac5021c4c9dfde"
"""``signing.content_hash_of_row`` of the pinned session, computed by revision 0004's code."""


@dataclass(frozen=True)
class OldDatabase:
    """The records of the old database."""

    path: Path
    pinned: int = 7
    acknowledged: int = 8
    draft: int = 9
    amendment: int = 1


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")


def _value(value: object) -> object:
    if isinstance(value, datetime):
        return _stamp(value)
    if isinstance(value, bool):
        return int(value)
    return value


def _insert(conn: sqlite3.Connection, table: str, row: dict[str, object]) -> None:
    columns = ", ".join(row)
    marks = ", ".join("?" * len(row))
    conn.execute(
        f"INSERT INTO {table} ({columns}) VALUES ({marks})", [_value(v) for v in row.values()]
    )


class _Trail:
    """Audit events chained the way revision 0004 chained them."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.prev = GENESIS_HASH
        self.moment = datetime(2026, 11, 20, 16, 0, tzinfo=UTC)

    def add(self, actor: int | None, action: str, entity: str, entity_id: int | None) -> None:
        patient = 3 if entity in ("patient", "session") else None
        summary = f"{action} {entity} {entity_id}"
        self.moment = self.moment.replace(second=self.moment.second + 1)
        row_hash = chain_hash(
            self.prev, self.moment, actor, action, entity, entity_id, patient, summary, "old-pc"
        )
        _insert(
            self.conn,
            "audit_event",
            {
                "occurred_at": self.moment,
                "actor_id": actor,
                "action": action,
                "entity_type": entity,
                "entity_id": entity_id,
                "patient_id": patient,
                "summary": summary,
                "workstation": "old-pc",
                "prev_hash": self.prev,
                "row_hash": row_hash,
            },
        )
        self.prev = row_hash


def _session(conn: sqlite3.Connection, row: dict[str, object]) -> None:
    created = {"created_at": row["started_at"], "updated_at": row["started_at"], "version": 1}
    _insert(
        conn,
        "treatment_session",
        {**row, "status": "draft", "signed_at": None, "signed_by_id": None, **created},
    )


def _sign(conn: sqlite3.Connection, row: dict[str, object], content_hash: str) -> None:
    conn.execute(
        "UPDATE treatment_session SET status = 'signed', signed_at = ?, signed_by_id = ?, "
        "content_hash = ? WHERE id = ?",
        (_value(row["signed_at"]), row["signed_by_id"], content_hash, row["id"]),
    )


def build_old_database(path: Path, revision: str = "0004") -> OldDatabase:
    """Write the old database at *path*, migrated only up to *revision*."""
    db = Database(sqlite_url(path))
    try:
        config = alembic_config()
        with db.write_engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    trail = _Trail(conn)
    created = datetime(2026, 11, 1, 9, tzinfo=UTC)
    for pid, name, user in ((1, "Alex Admin", "alex"), (2, "Sam Physio", "sam")):
        _insert(
            conn,
            "practitioner",
            {
                "id": pid,
                "full_name": name,
                "registration_number": f"PH-{pid}",
                "username": user,
                "role": "admin" if pid == 1 else "practitioner",
                "active": True,
                "password_hash": None,
                "failed_logins": 0,
                "created_at": created,
            },
        )
        trail.add(None, "create", "practitioner", pid)
    _insert(
        conn,
        "patient",
        {
            "id": 3,
            "chart_number": "P000003",
            "family_name": "Doe",
            "given_name": "Jane",
            "family_name_key": "doe",
            "given_name_key": "jane",
            "date_of_birth": "1980-05-17",
            "sex": "female",
            **dict.fromkeys(
                ("phone", "email", "address", "emergency_contact", "medical_history"), ""
            ),
            **dict.fromkeys(("medications", "allergies", "notes"), ""),
            "archived": False,
            "created_at": created,
            "updated_at": created,
            "version": 1,
        },
    )
    trail.add(2, "create", "patient", 3)
    # Session 7: the pinned content, charted, signed, amended.
    signature = {"signed_at": PINNED_SESSION["signed_at"], "signed_by_id": 2}
    unsigned = {k: v for k, v in PINNED_SESSION.items() if k not in signature}
    _session(conn, unsigned)
    for table, rows in (
        ("session_condition", PINNED_CONDITIONS),
        ("session_adjunct", PINNED_ADJUNCTS),
        ("needling_point", sorted(PINNED_POINTS, key=lambda p: p["number"])),
        ("side_effect", PINNED_EFFECTS),
    ):
        for row in rows:
            _insert(conn, table, {"session_id": 7, **row})
    trail.add(2, "create", "session", 7)
    _sign(conn, PINNED_SESSION, PINNED_HASH)
    trail.add(2, "sign", "session", 7)
    _insert(
        conn,
        "amendment",
        {
            "id": 1,
            "session_id": 7,
            "author_id": 1,
            "created_at": datetime(2026, 11, 21, 8, 0, 0, 250000, tzinfo=UTC),
            "text": "Reviewed by phone: " + EDGE_TEXT,
        },
    )
    trail.add(1, "amend", "session", 7)
    # Session 8: no needling, an acknowledged alert, signed.
    second = {**unsigned, "id": 8, "notes": "Second session", "next_appointment": None}
    _session(conn, second)
    _insert(
        conn,
        "alert_acknowledgement",
        {
            "session_id": 8,
            "code": "anticoagulants",
            "message": "Bleeding risk: " + EDGE_TEXT,
            "acknowledged_by_id": 2,
            "acknowledged_at": datetime(2026, 11, 22, 10, 0, 0, 1, tzinfo=UTC),
        },
    )
    second_hash = content_hash_of_row(second | signature, [], [], [], [])
    _sign(conn, second | signature, second_hash)
    trail.add(2, "sign", "session", 8)
    # Session 9: a draft.
    _session(conn, {**second, "id": 9, "notes": "Still a draft"})
    trail.add(2, "create", "session", 9)
    conn.execute("COMMIT")
    conn.close()
    return OldDatabase(path)
