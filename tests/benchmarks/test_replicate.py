"""The large benchmark databases are copies of the generated demo data (``replicate``):
the copies keep the file sound and passing ``dnt-desktop check``."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from benchmarks.databases import replicate
from dnt_desktop import demo
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database


def counts(path: Path) -> tuple[int, int, int]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (
            connection.execute("SELECT count(*) FROM patient").fetchone()[0],
            connection.execute("SELECT count(*) FROM treatment_session").fetchone()[0],
            connection.execute("SELECT count(DISTINCT chart_number) FROM patient").fetchone()[0],
        )
    finally:
        connection.close()


def test_copies_of_the_demo_data_pass_check(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        demo.generate(db, patients=20, seed=2)
    finally:
        db.dispose()
    patients, sessions, _numbers = counts(path)

    replicate(path, 2)

    assert counts(path) == (3 * patients, 3 * sessions, 3 * patients)
    report = check_database(sqlite_url(path))
    assert report.ok, report.problems
