"""The audit trail's head written beside each backup (``NAME.sqlite3.head``).

A backup holds the trail as it was when the backup was taken; its side record names
that trail's last event (id and row hash) and first row hash in a line anyone can keep,
outside both files. ``dnt-desktop check --head BACKUP`` then proves that the live
database still holds that event unchanged: nothing written before the backup was cut
from the trail's end or rewritten. The record is read from the finished copy (never
from the live database file).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import datetime
from pathlib import Path

from .readonly import ReadOnlyView
from .witness import Head

SUFFIX = ".head"


def head_record_path(backup: Path) -> Path:
    """Where the head record of *backup* is written."""
    return backup.with_name(backup.name + SUFFIX)


def trail_ends(path: Path) -> tuple[str, Head] | None:
    """(first row hash, last event) of the audit trail in the database file *path*.

    For a backup or any file that is not the live database. None when it has no trail.
    """
    conn = ReadOnlyView(path).connect()  # nothing created beside the file
    try:
        first = conn.execute("SELECT row_hash FROM audit_event ORDER BY id LIMIT 1").fetchone()
        last = conn.execute(
            "SELECT id, row_hash FROM audit_event ORDER BY id DESC LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    if first is None or last is None:
        return None
    return str(first[0]), Head(int(last[0]), str(last[1]))


def write_head_record(backup: Path) -> Head | None:
    """Write the head record of the finished *backup*; returns its head (None: no trail).

    A failure to write it loses nothing (the backup itself holds its trail): it is
    skipped quietly.
    """
    try:
        ends = trail_ends(backup)
    except sqlite3.Error:
        return None
    if ends is None:
        return None
    first_hash, head = ends
    record = {
        "backup": backup.name,
        "event_id": head.event_id,
        "row_hash": head.row_hash,
        "first_hash": first_hash,
        "written_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        head_record_path(backup).write_text(json.dumps(record, indent=1) + "\n", "utf-8")
    return head


def read_head_record(path: Path) -> Head | None:
    """The head in a head record file; None when it is not one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Head(int(data["event_id"]), str(data["row_hash"]))
    except (OSError, ValueError, TypeError, KeyError):
        return None
