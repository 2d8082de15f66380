"""Two app instances saving to one SQLite file at the same time lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url

from .conftest import WORKER, Ledger

SECONDS = 3


def test_two_processes_saving_together_lose_no_save(crash_db: Path) -> None:
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "run", str(crash_db), str(SECONDS), tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    ledger = Ledger()
    for out, _err in outputs:
        for line in out.splitlines():
            assert ledger.take(line), line
    tags = {notes.split("-")[0] for _points, _effects, notes in ledger.saved.values()}
    assert tags == {"a", "b"}  # both really saved, interleaved on one file
    assert ledger.missing_from(crash_db) == []
    report = check_database(sqlite_url(crash_db))
    assert report.ok, report.problems[:5]
