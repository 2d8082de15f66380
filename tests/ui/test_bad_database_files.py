"""Every odd or damaged file gets the right one-line answer from `check` and the GUI's start.

For each file of issue 13 ("Files"), on two copies of it: ``dnt-desktop check`` answers
with the right exit code and line, and the GUI's start-up either refuses it with the right
message or opens it (to the sign-in); neither writes to a file it refuses nor creates
anything beside a file it only reads (no -wal, -shm, -journal, *.partial). Where a file
can be recovered (a write cut short) it is, and it is never called damaged.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from dnt_desktop import cli, demo
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.ui import app as app_module
from dnt_desktop.ui.signin.login_dialog import LoginDialog

from . import bad_files

RAW = ("unexpected error", "[SQL", "sqlite3.", "Traceback")


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed demo database (accounts, patients, signed sessions)."""
    path = tmp_path_factory.mktemp("sound") / "clinic.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        demo.generate(db, patients=12, seed=3)
    finally:
        db.dispose()
    return path


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in *folder* (and below) with a digest of its bytes ('fifo', 'link')."""
    found = {}
    for entry in sorted(folder.rglob("*")):
        info = entry.lstat()
        name = str(entry.relative_to(folder))
        if stat.S_ISLNK(info.st_mode):
            found[name] = "link"
        elif stat.S_ISFIFO(info.st_mode):
            found[name] = "fifo"
        elif stat.S_ISREG(info.st_mode):
            found[name] = hashlib.sha256(entry.read_bytes()).hexdigest()
    return found


@dataclass(frozen=True)
class Case:
    """A bad file and the answers it must get."""

    build: Callable[[Path, Path], Path] | Callable[[Path, Path], contextlib.AbstractContextManager]
    check_code: int
    check_says: tuple[str, ...]
    gui_says: tuple[str, ...] | None  # None: the app opens it (the sign-in appears)
    never_says: tuple[str, ...] = ("damaged",)
    gone_after_reading: tuple[str, ...] = ()  # side files that recovery removes
    gone_after_opening: tuple[str, ...] = ()
    after: Callable[[Path, Path], None] | None = None


def _restored_to_before(path: Path, sound: Path) -> None:
    assert bad_files.patient_names(path) == bad_files.patient_names(sound)


def _kept_fresh_partial(path: Path, _sound: Path) -> None:
    names = {p.name for p in path.parent.iterdir()}
    assert "clinic.before-restore-20261101-100000.sqlite3.partial" in names
    assert not any("before-migration" in n or "20261101-090000" in n for n in names)


CASES = {
    "restore killed while copying the backup in": Case(
        bad_files.restore_killed_while_copying_in,
        0,
        ("note: a change to clinic.sqlite3 had been cut short", "SQLite undid it", "OK:"),
        None,
        gone_after_reading=("clinic.sqlite3-journal",),
        gone_after_opening=("clinic.sqlite3-journal",),
        after=_restored_to_before,
    ),
    "backups, restores and migrations killed midway left partial copies": Case(
        bad_files.backups_killed_midway,
        0,
        ("OK:",),
        None,
        gone_after_opening=(
            "clinic.before-migration-0003-20261101-080000.sqlite3.partial",
            "clinic.before-migration-0003-20261101-080000.sqlite3.partial-journal",
            "clinic.before-restore-20261101-090000.sqlite3.partial",
            "clinic.before-restore-20261101-090000.sqlite3.partial-journal",
        ),
        after=_kept_fresh_partial,
    ),
    "a migration killed before it committed": Case(
        bad_files.migration_killed_midway,
        0,
        ("note: schema 0003 is older than", "OK:"),
        None,
        never_says=("damaged", "newer"),
    ),
    "a named pipe at the path": Case(
        bad_files.fifo,
        1,
        ("error:", "is not a file but a named pipe", "Nothing was read from it"),
        ("is not a file but a named pipe",),
    ),
    "an empty file": Case(
        bad_files.empty_file,
        1,
        ("error:", "is an empty file, not a dnt-desktop database"),
        ("is an empty file", "creates a new database only where there is no file"),
    ),
    "a link to a drive that is not there": Case(
        bad_files.dangling_link,
        1,
        ("error:", "which does not exist", "Nothing was created there"),
        ("which does not exist", "Nothing was created there"),
    ),
    "a table dropped at the current schema": Case(
        bad_files.table_dropped,
        1,
        ("error:", "is incomplete", "(table amendment)", "changed outside dnt-desktop"),
        ("is incomplete", "(table amendment)"),
        never_says=(),
    ),
    "an unknown schema revision '0000'": Case(
        bad_files.unknown_revision,
        1,
        ("error:", "('0000') that no version of dnt-desktop writes"),
        ("that no version of dnt-desktop writes",),
        never_says=("newer",),
    ),
    "the -wal of another database beside it": Case(
        bad_files.foreign_wal,
        1,
        ("error:", "is sound, but the write-ahead log beside it (clinic.sqlite3-wal)", "move"),
        ("is sound, but the write-ahead log beside it",),
        never_says=("damaged (", "Restore the latest backup"),
    ),
    "a WAL database on a read-only drive": Case(
        bad_files.read_only_drive,
        0,
        ("note:", "is on a read-only drive", "OK:"),
        ("is on a read-only drive", "cannot save to it"),
        never_says=("damaged", "Restore"),
    ),
    "a read-only file": Case(
        bad_files.read_only_file,
        0,
        ("note:", "is read-only", "OK:"),
        ("is read-only", "cannot save to it"),
        never_says=("damaged", "Restore", "disk space"),
    ),
    "a sound file on a full disk": Case(
        bad_files.full_disk,
        0,
        ("note:", "is full", "free", "OK:"),
        ("is full", "free", "Free some space"),
        never_says=("damaged", "Restore"),
    ),
}


@contextlib.contextmanager
def built(case: Case, sound: Path, folder: Path) -> Iterator[Path]:
    made = case.build(sound, folder)
    if isinstance(made, Path):
        yield made
    else:
        with made as path:
            yield path


def run_check(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli.main(["check", "--db", str(path)])
    out = capsys.readouterr()
    return code, out.out + out.err


def start_gui(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str], bool]:
    """The app's start on *path*: its exit code, message boxes, and whether it asked to sign in."""
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _p, _title, text, *_a, **_k: shown.append(text) or QMessageBox.StandardButton.Ok,
    )
    asked: list[bool] = []

    def answer() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, LoginDialog) and widget.isVisible():
            asked.append(True)
            widget.reject()
        else:
            timer.start(20)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(answer)
    timer.start(0)
    try:
        code = app_module.run(argparse.Namespace(db=str(path), demo=False, command=None))
    finally:
        timer.stop()
    return code, shown, bool(asked)


@pytest.mark.parametrize("name", list(CASES))
def test_check_and_the_start_up_give_the_right_answer(
    name: str,
    sound: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = CASES[name]

    with built(case, sound, tmp_path / "for-check") as path:
        before = snapshot(path.parent)
        code, said = run_check(path, capsys)
        lines = [line for line in said.splitlines() if line.strip()]
        assert code == case.check_code, said
        for words in case.check_says:
            assert words in said, said
        for words in (*case.never_says, *RAW):
            assert words not in said, said
        if code != 0:
            assert len(lines) == 1, said  # one line
        if case.gone_after_reading:  # recovered: the journal's pages were put back
            assert set(snapshot(path.parent)) == set(before) - set(case.gone_after_reading)
            assert case.after is not None
            case.after(path, sound)
        else:
            assert snapshot(path.parent) == before, "check wrote or created something"

    with built(case, sound, tmp_path / "for-gui") as path:
        before = snapshot(path.parent)
        code, shown, asked = start_gui(path, monkeypatch)
        if case.gui_says is None:
            assert (code, shown, asked) == (0, [], True), shown
            after = snapshot(path.parent)
            sides = {f"clinic.sqlite3{s}" for s in ("-wal", "-shm", "-journal")}
            assert not sides & set(after), after
            for gone in case.gone_after_opening:
                assert gone not in after
            if case.after is not None:
                case.after(path, sound)
        else:
            assert code == 1 and len(shown) == 1 and not asked, shown
            for words in case.gui_says:
                assert words in shown[0], shown[0]
            for words in (*case.never_says, *RAW):
                assert words not in shown[0], shown[0]
            assert snapshot(path.parent) == before, "the start-up wrote or created something"


def test_backup_finishes_a_restore_that_was_cut_short_instead_of_calling_it_damaged(
    sound: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = bad_files.restore_killed_while_copying_in(sound, tmp_path / "data")
    code = cli.main(["backup", "--db", str(path), str(tmp_path / "copy.sqlite3")])
    said = capsys.readouterr()
    assert code == 0, said
    assert "damaged" not in said.out + said.err
    assert bad_files.patient_names(tmp_path / "copy.sqlite3") == bad_files.patient_names(sound)
    assert not os.path.exists(f"{path}-journal")
