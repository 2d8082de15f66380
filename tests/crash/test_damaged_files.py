"""A damaged database file is reported on open with a clear message and left untouched."""

from __future__ import annotations

import contextlib
import hashlib
import random
import shutil
from pathlib import Path

import pytest

from dnt_desktop import demo
from dnt_desktop.services.integrity import check_database
from dnt_desktop.storage.errors import DamagedDatabaseError
from dnt_desktop.storage.file_check import FileCheck
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

PAGE = 4096


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed demo database of a few hundred sessions."""
    path = tmp_path_factory.mktemp("sound") / "clinic.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        demo.generate(db, patients=40, seed=5)
    finally:
        db.dispose()
    assert path.stat().st_size > 100 * PAGE
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_refused_untouched(path: Path, *, integrity: bool) -> None:
    before = digest(path)
    with pytest.raises(DamagedDatabaseError) as caught:
        open_database(sqlite_url(path), integrity=integrity)
    message = str(caught.value)
    assert "damaged" in message and "left untouched" in message and "restore" in message
    assert digest(path) == before
    # A read-only look at a WAL-mode file may leave SQLite's empty side files, nothing more.
    others = {p.name: p.stat().st_size for p in path.parent.iterdir() if p != path}
    assert set(others) <= {f"{path.name}-wal", f"{path.name}-shm"}
    assert others.get(f"{path.name}-wal", 0) == 0


@pytest.mark.parametrize("keep", [0.5, -PAGE, -1, 100])
def test_a_truncated_file_is_refused_on_every_open(
    sound: Path, tmp_path: Path, keep: float
) -> None:
    path = tmp_path / "clinic.sqlite3"
    data = sound.read_bytes()
    size = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    path.write_bytes(data[:size])
    assert_refused_untouched(path, integrity=False)


@pytest.mark.parametrize("trial", range(8))
def test_random_bytes_over_a_page_are_found_by_the_start_up_check(
    sound: Path, tmp_path: Path, trial: int
) -> None:
    rng = random.Random(trial)
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(sound, path)
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    start = rng.randrange(pages // 4, 3 * pages // 4) * PAGE
    length = rng.randrange(64, 2 * PAGE)
    data[start : start + length] = rng.randbytes(length)
    path.write_bytes(bytes(data))
    assert_refused_untouched(path, integrity=True)
    with contextlib.suppress(DamagedDatabaseError):  # `check` fails: a report, or at once
        assert not check_database(sqlite_url(path)).ok


@pytest.mark.parametrize("trial", range(3))
def test_the_early_background_check_finds_the_same_damage(
    sound: Path, tmp_path: Path, trial: int
) -> None:
    rng = random.Random(100 + trial)
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(sound, path)
    data = bytearray(path.read_bytes())
    pages = len(data) // PAGE
    start = rng.randrange(pages // 4, 3 * pages // 4) * PAGE
    data[start : start + PAGE] = rng.randbytes(PAGE)
    path.write_bytes(bytes(data))
    before = digest(path)

    check = FileCheck(path).start()
    with pytest.raises(DamagedDatabaseError) as caught:
        check.result()

    assert check.done and check.is_for(path)
    assert "damaged" in str(caught.value) and "left untouched" in str(caught.value)
    assert digest(path) == before


def test_the_early_background_check_passes_a_sound_file(sound: Path) -> None:
    before = digest(sound)
    check = FileCheck(sound).start()
    check.result()  # no error
    assert check.done
    assert digest(sound) == before


def test_open_waits_for_the_early_check_of_its_file_and_checks_other_files_itself(
    sound: Path, tmp_path: Path
) -> None:
    damaged = tmp_path / "clinic.sqlite3"
    data = bytearray(sound.read_bytes())
    middle = (len(data) // PAGE // 2) * PAGE
    data[middle : middle + PAGE] = random.Random(3).randbytes(PAGE)
    damaged.write_bytes(bytes(data))
    before = digest(damaged)

    with pytest.raises(DamagedDatabaseError):  # the early check's verdict
        open_database(sqlite_url(damaged), integrity=True, early_check=FileCheck(damaged).start())
    with pytest.raises(DamagedDatabaseError):  # a check of another file is no excuse
        open_database(sqlite_url(damaged), integrity=True, early_check=FileCheck(sound).start())
    assert digest(damaged) == before
