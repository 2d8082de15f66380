"""Saving a session: ``services.sessions.save_session`` beside raw sqlite3 inserts of the
same rows in one transaction, with the app's pragmas (WAL, synchronous=FULL)."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import BUSY_TIMEOUT_MS, Database

from .fixtures import ten_point_draft
from .results import Figure, Goal
from .timing import paired

GOAL = Goal("<= 3x floor", max_ratio=3.0)
_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def raw_connection(path: Path) -> sqlite3.Connection:
    """A sqlite3 connection set up as the app sets up its own."""
    connection = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        "foreign_keys = ON",
        "journal_mode = WAL",
        "synchronous = FULL",
    ):
        connection.execute(f"PRAGMA {pragma}")
    return connection


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(tzinfo=None).strftime(_FORMAT)


def raw_save(connection: sqlite3.Connection, draft: SessionDraft) -> None:
    """Insert the session, its conditions, points, side effects and an audit row."""
    now = _stamp(datetime.now(UTC))
    cursor = connection.cursor()
    cursor.execute("BEGIN IMMEDIATE")
    cursor.execute(
        "INSERT INTO treatment_session (patient_id, practitioner_id, started_at, pain_before,"
        " pain_after, notes, thermal_advice, stretches, next_appointment, status, signed_at,"
        " signed_by_id, content_hash, created_at, updated_at, version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, 'draft', NULL, NULL, NULL, ?, ?, 1)",
        (
            draft.patient_id,
            draft.practitioner_id,
            _stamp(draft.started_at),
            draft.pain_before,
            draft.pain_after,
            draft.notes,
            draft.thermal_advice.value,
            draft.stretches,
            now,
            now,
        ),
    )
    session_id = cursor.lastrowid
    cursor.executemany(
        "INSERT INTO session_condition (session_id, code, other_text) VALUES (?, ?, ?)",
        [(session_id, c.code, c.other_text) for c in draft.conditions],
    )
    cursor.executemany(
        "INSERT INTO needling_point (session_id, number, muscle_code, side, view, x, y,"
        " depth_class, depth_mm, needle_gauge_mm, needle_length_mm, insertions,"
        " twitch_response, technique, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                number,
                p.muscle_code,
                p.side.value,
                p.view.value,
                p.x,
                p.y,
                p.depth_class.value,
                p.depth_mm,
                p.needle_gauge_mm,
                p.needle_length_mm,
                p.insertions,
                int(p.twitch_response),
                p.technique.value,
                p.notes,
            )
            for number, p in enumerate(draft.points, start=1)
        ],
    )
    cursor.executemany(
        "INSERT INTO side_effect (session_id, code, other_text, severity, onset, resolved,"
        " action_taken, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                session_id,
                e.code,
                e.other_text,
                e.severity.value,
                e.onset.value,
                int(e.resolved),
                e.action_taken,
                e.notes,
            )
            for e in draft.side_effects
        ],
    )
    summary = f"{len(draft.points)} point(s), {len(draft.side_effects)} side effect(s)"
    cursor.execute(
        "INSERT INTO audit_event (occurred_at, actor_id, action, entity_type, entity_id,"
        " patient_id, summary, workstation, prev_hash, row_hash)"
        " VALUES (?, ?, 'create', 'session', ?, ?, ?, 'benchmark', ?, ?)",
        (
            now,
            draft.practitioner_id,
            session_id,
            draft.patient_id,
            summary,
            "0" * 64,
            hashlib.sha256(summary.encode()).hexdigest(),
        ),
    )
    cursor.execute("COMMIT")


def save_figure(db: Database, path: Path, patients: int, patient_id: int, repeat: int) -> Figure:
    """Save a 10-point, 2-side-effect draft (a new session each time), app beside floor.

    *db* and *path* are a scratch copy: every round adds sessions to it.
    """
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=1)
    draft = ten_point_draft(patient_id, 1, started)
    raw = raw_connection(path)
    try:
        app, floor = paired(
            repeat, lambda: save_session(db, 1, draft), lambda: raw_save(raw, draft)
        )
    finally:
        raw.close()
    return Figure(
        key="save_session",
        title="save a session (10 points, 2 side effects)",
        size=patients,
        samples=app,
        floor=floor,
        floor_title="raw sqlite3 inserts of the same rows, one transaction",
        goal=GOAL,
        detail="both commit with WAL and synchronous=FULL (an fsync per save)",
    )
