"""A test helper that saves, signs and amends sessions in a loop through the services.

After each call returns it prints one line and flushes, so the test knows which records
the database owes it:

    saved TAG SESSION_ID POINTS EFFECTS NOTES
    signed TAG SESSION_ID
    amended TAG SESSION_ID AMENDMENT_ID

Usage:
    save_worker.py run DB SECONDS TAG   save for SECONDS, then exit
    save_worker.py serve DB             read "go TAG" / "reap PID" / "quit" lines on stdin;
                                        "go" forks a child that saves until it is killed
                                        and prints "pid TAG PID"; "reap" waits for a
                                        killed child and prints "reaped PID"

The fork server pays Python's start-up (about half a second) once instead of per run, so
the crash test can kill fifty real processes in a few seconds each.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import event

from dnt_desktop.models.enums import ChartView, DepthClass, Onset, Severity, Side
from dnt_desktop.services import accounts, records
from dnt_desktop.services.drafts import ConditionDraft, PointDraft, SessionDraft, SideEffectDraft
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "crash-test-password"
PRACTITIONER_ID = 1
PATIENT_IDS = (1, 2, 3)


def expected(tag: str, i: int) -> tuple[int, int, str]:
    """What save number *i* of worker *tag* contains: points, side effects, notes."""
    return 1 + i % 6, i % 2, f"{tag}-{i}"


def draft(tag: str, i: int) -> SessionDraft:
    points, effects, notes = expected(tag, i)
    point = PointDraft(
        "upper_trapezius", Side.LEFT, ChartView.BACK, 0.4, 0.2, DepthClass.DEEP, 12.0, 0.25, 25.0
    )
    return SessionDraft(
        patient_id=PATIENT_IDS[i % len(PATIENT_IDS)],
        practitioner_id=PRACTITIONER_ID,
        started_at=datetime(2026, 11, 20, 9, tzinfo=UTC) + timedelta(minutes=i),
        conditions=[ConditionDraft("neck_pain")],
        pain_before=5,
        pain_after=2,
        notes=notes,
        points=[point] * points,
        side_effects=[SideEffectDraft("soreness", Severity.MILD, Onset.AFTER)] * effects,
    )


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def save_loop(db_path: Path, tag: str, seconds: float | None) -> None:
    """Save (and every few saves sign and amend) until *seconds* pass or the process dies."""
    accounts._hasher = CHEAP_HASHER
    db = open_database(sqlite_url(db_path))

    @event.listens_for(db.engine, "connect")
    def _checkpoint_often(dbapi_connection: object, _record: object) -> None:
        # Checkpoints every few saves instead of every ~4 MB, so that kills often land in
        # one (a checkpoint cut short leaves a file shorter than its header says).
        dbapi_connection.execute("PRAGMA wal_autocheckpoint = 16")  # type: ignore[attr-defined]

    db.engine.dispose()  # connections opened from now on checkpoint often
    end = None if seconds is None else time.monotonic() + seconds
    i = 0
    while end is None or time.monotonic() < end:
        saved = save_session(db, PRACTITIONER_ID, draft(tag, i))
        points, effects, notes = expected(tag, i)
        say(f"saved {tag} {saved.session_id} {points} {effects} {notes}")
        if i % 4 == 1:  # early in every run, so that kills land in signing too
            records.sign_session(db, PRACTITIONER_ID, saved.session_id, PASSWORD)
            say(f"signed {tag} {saved.session_id}")
            amendment = records.amend_session(db, PRACTITIONER_ID, saved.session_id, notes)
            say(f"amended {tag} {saved.session_id} {amendment}")
        i += 1
    db.dispose()


def serve(db_path: Path) -> None:
    children: set[int] = set()
    for line in sys.stdin:
        command, _, arg = line.strip().partition(" ")
        if command == "go":
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:  # the child: save until killed
                try:
                    save_loop(db_path, arg, None)
                finally:
                    os._exit(0)
            children.add(pid)
            say(f"pid {arg} {pid}")
        elif command == "reap":
            pid = int(arg)
            os.waitpid(pid, 0)
            children.discard(pid)
            say(f"reaped {pid}")
        elif command == "quit":
            break
    for pid in children:
        os.kill(pid, 9)
        os.waitpid(pid, 0)


def main(argv: list[str]) -> int:
    mode, db = argv[0], Path(argv[1])
    if mode == "run":
        save_loop(db, argv[3], float(argv[2]))
    elif mode == "serve":
        serve(db)
    else:
        raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
