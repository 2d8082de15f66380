"""`dnt-desktop check` of a whole database beside SQLite's own ``PRAGMA integrity_check``.

The check is what ``dnt-desktop check`` and every restore run: SQLite's integrity and
foreign-key checks, the audit chain, and every signed session re-hashed and compared with
its signature in the audit trail. Its floor is the integrity check alone, on the same
file, through a fresh read-only connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url

from .results import Figure, Goal
from .timing import paired

GOAL = Goal("<= 3x floor", max_ratio=3.0)
MAX_REPEAT = 3
"""A check of the 100,000-patient database takes many seconds: three runs are enough."""


def integrity_check(path: Path) -> None:
    """SQLite's own ``PRAGMA integrity_check`` of the whole file, read-only."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    finally:
        connection.close()
    if rows != [("ok",)]:
        raise RuntimeError(f"{path} fails its integrity check: {rows[:3]}")


def check_figure(path: Path, patients: int, sessions: int, repeat: int) -> Figure:
    """``check_database`` of the file at *path* beside ``integrity_check`` of it."""
    url = sqlite_url(path)

    def check() -> None:
        report = check_database(url)
        if not report.ok:
            raise RuntimeError(f"the benchmark database fails its check: {report.problems[:3]}")

    app, floor = paired(min(repeat, MAX_REPEAT), check, lambda: integrity_check(path))
    return Figure(
        key="check",
        title="check the whole database",
        size=patients,
        samples=app,
        floor=floor,
        floor_title="PRAGMA integrity_check of the same file",
        goal=GOAL,
        detail=f"integrity and foreign keys, the audit chain, {sessions:,} sessions' signatures",
    )
