"""A database where nothing can be saved is told as such, and never opened for writing."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

import pytest

from dnt_desktop.storage import writable
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.writable import DiskFullError, why_not_writable

Usage = namedtuple("Usage", "total used free")


def test_a_sound_file_with_room_to_save_is_writable(db_path: Path) -> None:
    assert why_not_writable(db_path) is None
    assert why_not_writable(db_path.with_name("new.sqlite3")) is None


def test_too_little_free_space_is_refused_before_anything_is_written(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writable.shutil, "disk_usage", lambda _p: Usage(10**9, 10**9, 5000))
    before = db_path.read_bytes()
    with pytest.raises(DiskFullError, match=r"is full \(4 KB free"):
        open_database(sqlite_url(db_path))
    with pytest.raises(DiskFullError):
        open_database(sqlite_url(db_path.with_name("new.sqlite3")))
    assert db_path.read_bytes() == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == ["clinic.sqlite3"]
