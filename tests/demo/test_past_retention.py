"""The demo's records past retention: listed, and disposed of with `check` still passing."""

from __future__ import annotations

from pathlib import Path

from dnt_desktop import demo
from dnt_desktop.demo.past_retention import add_past_retention
from dnt_desktop.services.disposal import dispose_of, records_past_retention
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url


def test_the_demo_offers_records_past_retention_to_dispose_of(db: Database, db_path: Path) -> None:
    demo.generate(db, patients=5, seed=2)
    ids = add_past_retention(db)
    listed = records_past_retention(db)
    assert [r.patient_id for r in listed] == ids
    assert "25th birthday" in listed[1].retention.rule
    dispose_of(db, 1, ids[0], "Demo: retention over")
    assert [r.patient_id for r in records_past_retention(db)] == ids[1:]
    assert check_database(sqlite_url(db_path)).ok
