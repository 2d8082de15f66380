"""An in-process backup leaves the app's SQLite locks in place: no acknowledged save is lost.

SQLite's locks belong to the process; closing any other handle on the live file drops
them. Before the fix, the app's own backup read the file's header with ``open()``: the
next program to open the database read-write took it for unused, checkpointed it and
deleted the ``-wal`` under the running app, whose later commits then went into the deleted
file and were lost when the app was killed. (Issue 12.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url

WORKER = Path(__file__).with_name("backup_worker.py")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


class App:
    """The app's side (backup_worker.py) in its own process."""

    def __init__(self, db_path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )

    def ask(self, command: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline().strip()
        assert answer, f"the app's process ended (exit code {self.process.poll()})"
        return answer

    def save(self) -> int:
        answer = self.ask("save")
        assert answer.startswith("saved "), answer
        return int(answer.split()[1])

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


def patients_seen_by_another_program(db_path: Path) -> set[int]:
    """Open the database read-write in another process, read, close (as the sqlite3 shell)."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "print(' '.join(str(r[0]) for r in c.execute('SELECT id FROM patient')))\n"
        "c.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, check=True
    ).stdout
    return {int(word) for word in out.split()}


def test_no_acknowledged_save_is_lost_after_an_in_process_backup(
    crash_db: Path, tmp_path: Path
) -> None:
    wal = Path(f"{crash_db}-wal")
    app = App(crash_db)
    try:
        acknowledged = {app.save()}
        assert app.ask(f"backup {tmp_path / 'backup.sqlite3'}") == "backed-up"
        acknowledged |= {app.save(), app.save()}

        seen = patients_seen_by_another_program(crash_db)

        assert wal.exists(), "another program deleted the -wal under the running app"
        assert acknowledged <= seen
        acknowledged |= {app.save(), app.save()}  # after the other program came and went
        assert acknowledged <= patients_seen_by_another_program(crash_db)
    finally:
        app.kill()

    conn = sqlite3.connect(crash_db)
    try:
        stored = {row[0] for row in conn.execute("SELECT id FROM patient")}
    finally:
        conn.close()
    assert acknowledged <= stored, f"lost: {sorted(acknowledged - stored)}"
    assert check_database(sqlite_url(crash_db)).ok
