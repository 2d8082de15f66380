"""The witness file: one per database location, replaced whole, unreadable means none."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from dnt_desktop.storage import witness
from dnt_desktop.storage.location import sqlite_url


def test_a_location_names_the_file_or_the_server_database(tmp_path: Path) -> None:
    link = tmp_path / "link.sqlite3"
    link.symlink_to(tmp_path / "real.sqlite3")
    assert witness.location_of(sqlite_url(link)) == str((tmp_path / "real.sqlite3").resolve())
    assert witness.location_of(make_url("sqlite://")) is None
    one = make_url("postgresql+psycopg://sam:secret@clinic-server:5433/dnt")
    other = make_url("postgresql+psycopg://kim@clinic-server:5433/dnt")
    assert witness.location_of(one) == witness.location_of(other)
    assert witness.location_of(one) == "postgresql://clinic-server:5433/dnt"
    assert "secret" not in str(witness.location_of(one))


def test_a_witness_is_saved_whole_and_read_back() -> None:
    seen = witness.Witnessed(
        "/clinic/db.sqlite3", "a" * 64, 12, "b" * 64, "2026-12-04T10:00:00+00:00"
    )
    witness.save(seen)
    assert witness.load(seen.location) == seen
    (written,) = [p for p in witness.folder().glob("*.json") if seen.location in p.read_text()]
    left = written.with_name(written.name + ".4242-1.partial")  # a process killed mid-write
    left.write_text("{", encoding="utf-8")
    os.utime(left, (0, 0))
    witness.save(seen)
    assert list(witness.folder().glob(f"{written.name}.*.partial")) == []
    witness.forget(seen.location)
    assert witness.load(seen.location) is None
    witness.forget(seen.location)  # forgetting twice is fine


def test_an_unreadable_witness_counts_as_none() -> None:
    seen = witness.Witnessed(
        "/clinic/other.sqlite3", "a" * 64, 3, "c" * 64, "2026-12-04T10:00:00+00:00"
    )
    witness.save(seen)
    (file,) = [p for p in witness.folder().glob("*.json") if seen.location in p.read_text()]
    file.write_text("{not json", encoding="utf-8")
    assert witness.load(seen.location) is None
