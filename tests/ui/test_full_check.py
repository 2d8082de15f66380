"""A file that passes the start-up check but fails `check`: the app stops saving and says so.

The start-up check (SQLite's quick_check) does not compare indexes with their tables, nor
follow foreign keys, nor re-hash signed sessions; ``dnt-desktop check`` does, in its own
process once the window shows. When it finds a problem every save is refused with a
message saying what to do, the window shows it, and no backup replaces a good one.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from dnt_desktop import cli, demo
from dnt_desktop.demo import DEMO_PASSWORD
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.errors import WritesStoppedError
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.ui import app as app_module
from dnt_desktop.ui.full_check import Verdict, read_verdict, stopped_message
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.signin.login_dialog import LoginDialog

WATCHDOG_MS = 60_000


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sound") / "clinic.sqlite3"
    db = open_database(sqlite_url(path))
    try:
        demo.generate(db, patients=12, seed=3)
    finally:
        db.dispose()
    return path


def change_past_the_guard(path: Path, change: str, *params: object) -> None:
    """Run *change* on treatment_session with its update trigger out of the way (as anyone
    holding the file can), foreign keys off; the trigger is put back as it was."""
    guard = "treatment_session_signed_no_update"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (guard,)).fetchone()
    conn.execute(f"DROP TRIGGER {guard}")
    conn.execute(change, params)
    conn.execute(sql)
    conn.commit()
    conn.close()


def last_session_points_nowhere(path: Path) -> str:
    """The last session (on the table's last page) names a patient that does not exist."""
    change_past_the_guard(
        path,
        "UPDATE treatment_session SET patient_id = 999999 "
        "WHERE id = (SELECT max(id) FROM treatment_session)",
    )
    return "foreign key violation in treatment_session"


def signed_session_changed(path: Path) -> str:
    """One value of a signed session changed under its signature."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    sql = "SELECT min(id) FROM treatment_session WHERE status = 'signed'"
    (sid,) = conn.execute(sql).fetchone()
    conn.close()
    change_past_the_guard(
        path, "UPDATE treatment_session SET pain_before = pain_before + 1 WHERE id = ?", sid
    )
    return f"signed session {sid} was changed after signing"


@pytest.mark.parametrize("damage", [last_session_points_nowhere, signed_session_changed])
def test_a_file_that_fails_check_is_opened_but_never_written_to(
    damage: Callable[[Path], str],
    sound: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(sound, path)
    problem = damage(path)

    assert cli.main(["check", "--db", str(path)]) == 1
    assert problem in capsys.readouterr().out

    shown: dict[str, list[str]] = {"critical": [], "warning": []}
    for kind in shown:
        monkeypatch.setattr(
            QMessageBox,
            kind,
            lambda _p, _t, text, *_a, kind=kind, **_k: (
                shown[kind].append(text) or QMessageBox.StandardButton.Ok
            ),
        )
    seen: dict[str, object] = {}

    def poll(action: Callable[[], bool]) -> None:
        def tick() -> None:
            if not action():
                QTimer.singleShot(20, tick)

        QTimer.singleShot(0, tick)

    def sign_in() -> bool:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, LoginDialog) or not widget.isVisible():
            return False
        widget.username.setText("admin")
        qtbot.keyClicks(widget.password, DEMO_PASSWORD)
        qtbot.keyClick(widget.password, Qt.Key.Key_Return)
        poll(verdict_shown)
        return True

    def verdict_shown() -> bool:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not shown["critical"]:
            return False
        window = windows[0]
        label = window.statusBar().findChild(QLabel, "writes_stopped")
        seen["label"] = label.text() if label is not None and label.isVisible() else ""
        try:
            register_patient(window.ctx.db, 1, PatientForm("Never", "Saved", date(1990, 1, 1)))
        except WritesStoppedError as exc:
            seen["refused"] = str(exc)
        window.close()
        QApplication.exit(0)
        return True

    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(99))
    watchdog.start(WATCHDOG_MS)
    poll(sign_in)
    before = bad_rows(path)
    audit_before = audit_rows(path)
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        code = app_module.run(argparse.Namespace(db=str(path), demo=False, command=None))
    finally:
        watchdog.stop()
        QApplication.setQuitOnLastWindowClosed(quit_on_close)

    assert code == 0
    assert len(shown["critical"]) == 1
    assert problem in shown["critical"][0] and "Saving is stopped" in shown["critical"][0]
    assert "restore the latest backup" in shown["critical"][0]
    assert seen["label"] == "Saving is stopped: the database failed its check"
    assert str(seen.get("refused", "")).startswith("Saving is stopped")
    assert any("No backup was made on closing" in text for text in shown["warning"])
    assert not (tmp_path / "backups").exists()  # no daily backup of the failing file
    assert bad_rows(path) == before
    assert audit_rows(path) == audit_before  # not even the sign-in was written to it


def audit_rows(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    finally:
        conn.close()


def bad_rows(path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        patients = conn.execute("SELECT count(*) FROM patient").fetchone()[0]
        names = conn.execute("SELECT count(*) FROM patient WHERE family_name = 'Never'")
        return patients, names.fetchone()[0]
    finally:
        conn.close()


def test_a_verdict_is_read_from_checks_output() -> None:
    assert read_verdict(0, "OK: integrity check passed") == Verdict(sound=True)
    failed = read_verdict(1, "problem: signed session 4 was changed\nFAILED: 1 problem(s) found.")
    assert failed.stopped and failed.problems == ("signed session 4 was changed",)
    refused = read_verdict(1, "dnt-desktop: error: /x.sqlite3 is damaged (malformed).")
    assert refused.stopped and refused.problems == ("/x.sqlite3 is damaged (malformed).",)
    busy = read_verdict(1, "dnt-desktop: error: /x.sqlite3 is locked by another program.")
    assert not busy.stopped and busy.could_not_run
    crashed = read_verdict(1, "dnt-desktop: unexpected error: boom; details in crash.log")
    assert not crashed.stopped and "unexpected" in crashed.could_not_run
    assert not read_verdict(-9, "").stopped


def test_the_stop_message_names_the_problem_and_what_to_do() -> None:
    text = stopped_message(Verdict(sound=False, problems=("one", "two", "three")))
    assert "one (and 2 more problems)" in text
    assert "close dnt-desktop" in text and "restore the latest backup" in text


def test_disposing_the_database_on_a_worker_thread_stops_the_check(qtbot: QtBot, db) -> None:
    from dnt_desktop.ui.full_check import FullCheck
    from dnt_desktop.ui.widgets.background import wait_for

    check = FullCheck(db).start()
    assert check.running
    wait_for(db.dispose, "Restoring…")  # as a restore does, before it replaces the file
    assert not check.running and check.verdict is None
