"""Killing the app (SIGKILL) at random moments never damages the database or loses a save.

A fork server (save_worker.py) starts a fresh real process for each run; the process
saves, signs and amends sessions through the services and is killed with SIGKILL after a
random few hundred milliseconds. After every kill the database passes `check` and holds
every record whose save had returned.
"""

from __future__ import annotations

import os
import queue
import random
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url

from .conftest import WORKER, Ledger

KILLS = 60

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")


class Server:
    """The fork server, with its output read on a thread so the test never blocks on it."""

    def __init__(self, db_path: Path) -> None:
        self.errors = db_path.with_name("worker-errors.txt")
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), "serve", str(db_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors.open("w"),
            text=True,
            bufsize=1,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def send(self, command: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()

    def until(self, prefix: str, ledger: Ledger) -> str:
        """Feed lines to *ledger* until one starts with *prefix*; return that line."""
        while True:
            try:
                line = self.lines.get(timeout=30)
            except queue.Empty:
                errors = self.errors.read_text()
                raise AssertionError(f"the worker fell silent; its errors: {errors}") from None
            if line.startswith(prefix):
                return line
            assert ledger.take(line), f"unexpected worker output: {line!r}"

    def drain(self, ledger: Ledger) -> None:
        while not self.lines.empty():
            ledger.take(self.lines.get_nowait())

    def close(self) -> None:
        if self.process.poll() is None:
            self.send("quit")
            self.process.wait(timeout=30)


def test_sigkill_at_random_moments_loses_nothing_that_was_saved(crash_db: Path) -> None:
    rng = random.Random(20261125)
    ledger = Ledger()
    server = Server(crash_db)
    try:
        for run in range(KILLS):
            server.send(f"go r{run}")
            pid = int(server.until(f"pid r{run} ", ledger).split()[2])
            threading.Event().wait(rng.uniform(0.05, 0.45))
            os.kill(pid, signal.SIGKILL)
            server.send(f"reap {pid}")
            server.until(f"reaped {pid}", ledger)
            server.drain(ledger)
            report = check_database(sqlite_url(crash_db))
            assert report.ok, f"after kill {run + 1}: {report.problems[:5]}"
            assert ledger.missing_from(crash_db) == [], f"after kill {run + 1}"
    finally:
        server.close()
    assert len(ledger.saved) >= KILLS and ledger.signed and ledger.amendments
    exe = Path(sys.executable).with_name("dnt-desktop")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "dnt_desktop"]
    result = subprocess.run(
        [*command, "check", "--db", str(crash_db)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stdout.startswith("OK"), result.stdout + result.stderr
