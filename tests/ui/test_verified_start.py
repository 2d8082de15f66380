"""The start-up guarantee: never a write to a file `check` would refuse, and no whole-file
pass over a file provably unchanged since `check` accepted it (README, "Records you can
trust", "Start-up check").

- A file noted verified by the closing work starts with no whole-file pass at all (no
  ``quick_check``, no ``dnt-desktop check``), and its writes are not held: a sound large
  file starts as fast as a small one.
- Any change to the file since (by any program, even with its modification time set back)
  makes the next start check it in full, and hold every write, the sign-in's too, until
  the verdict: a damaged file is never written to.
- A save made while the check runs waits, saying so on screen, and goes on by itself.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.services.closing import close_and_verify
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage import file_check, probe, verified
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui import app as app_module
from dnt_desktop.ui import full_check
from dnt_desktop.ui.full_check import wait_on_screen
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.signin.login_dialog import LoginDialog

WATCHDOG_MS = 60_000


def audit_rows(path: Path) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
    finally:
        conn.close()


def run_app(qtbot: QtBot, path: Path, user: str, password: str) -> dict[str, object]:
    """Start the app on *path*, sign in, note what the main window shows, close it."""
    seen: dict[str, object] = {}

    def sign_in() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog) or not dialog.isVisible():
            QTimer.singleShot(20, sign_in)
            return
        # Shown before the database was opened (it opens on a worker thread meanwhile)?
        seen["dialog_first"] = isinstance(dialog._database, app_module._Opening)
        seen["held_at_sign_in"] = dialog.db.writes_held
        dialog.username.setText(user)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        QTimer.singleShot(0, close_main)

    def close_main() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        if not windows or not windows[0].isVisible():
            QTimer.singleShot(20, close_main)
            return
        window = windows[0]
        seen["writes_stopped"] = window.ctx.db.writes_stopped
        window.close()
        QApplication.exit(0)

    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(99))
    watchdog.start(WATCHDOG_MS)
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    QTimer.singleShot(0, sign_in)
    try:
        seen["code"] = app_module.run(argparse.Namespace(db=str(path), demo=False, command=None))
    finally:
        watchdog.stop()
        QApplication.setQuitOnLastWindowClosed(quit_on_close)
    return seen


@pytest.fixture
def closed_clinic(db: Database, db_path: Path, clinic_accounts) -> Path:
    """The clinic's file, closed by the app's closing work: backed up, checked, verified."""
    register_patient(db, clinic_accounts.admin_id, PatientForm("Kept", "Ann", date(1970, 1, 2)))
    db.dispose()
    close_and_verify(db_path, clinic_accounts.admin_id)
    assert verified.unchanged_since_verified(db_path) is not None
    return db_path


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every whole-file pass the start-up makes: quick_check and the full check."""
    made: list[str] = []
    real_quick, real_full = file_check.check_integrity, full_check.FullCheck.start

    def quick(path: Path) -> None:
        made.append("quick_check")
        real_quick(path)

    def full(self: full_check.FullCheck) -> full_check.FullCheck:
        made.append("check")
        return real_full(self)

    monkeypatch.setattr(file_check, "check_integrity", quick)
    monkeypatch.setattr(probe, "check_integrity", quick)
    monkeypatch.setattr(full_check.FullCheck, "start", full)
    return made


def test_a_file_unchanged_since_it_was_verified_starts_without_a_whole_file_pass(
    qtbot: QtBot, closed_clinic: Path, clinic_accounts, passes: list[str]
) -> None:
    seen = run_app(qtbot, closed_clinic, "sam", clinic_accounts.password)

    assert seen["code"] == 0
    assert passes == []  # flat with the file's size: nothing read page by page
    assert seen["dialog_first"] is True  # the sign-in showed before SQLAlchemy was needed
    assert seen["held_at_sign_in"] is False and seen["writes_stopped"] is None
    # The run wrote (its sign-in) and closed: the closing work verified the new state.
    assert verified.unchanged_since_verified(closed_clinic) is not None


def cut_the_trail(path: Path) -> None:
    """What a program outside dnt-desktop can do: the audit trail's last event removed
    past its trigger (the trigger put back), then the modification time set back to what
    it was (only the change time, which no program sets, tells)."""
    before = path.stat()
    guard = "audit_event_no_delete"
    conn = sqlite3.connect(path)
    (sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (guard,)).fetchone()
    conn.execute(f"DROP TRIGGER {guard}")
    conn.execute("DELETE FROM audit_event WHERE id = (SELECT max(id) FROM audit_event)")
    conn.execute(sql)
    conn.commit()
    conn.close()
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns


def test_a_file_changed_since_it_was_verified_is_checked_and_never_written_to(
    qtbot: QtBot,
    closed_clinic: Path,
    clinic_accounts,
    passes: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cut_the_trail(closed_clinic)
    assert verified.unchanged_since_verified(closed_clinic) is None
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _p, _t, text, *_a, **_k: shown.append(text) or QMessageBox.StandardButton.Ok,
    )
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda _p, _t, text, *_a, **_k: shown.append(text) or QMessageBox.StandardButton.Ok,
    )
    rows = audit_rows(closed_clinic)

    seen = run_app(qtbot, closed_clinic, "sam", clinic_accounts.password)

    assert seen["code"] == 0
    assert passes == ["quick_check", "check"]
    assert seen["dialog_first"] is False  # checked and opened first, as any unverified file
    assert seen["held_at_sign_in"] is True  # the sign-in waited for the verdict
    assert str(seen["writes_stopped"]).startswith("Saving is stopped")
    assert audit_rows(closed_clinic) == rows  # nothing written: not even the sign-in
    assert any("Saving is stopped" in text for text in shown)
    assert verified.unchanged_since_verified(closed_clinic) is None


def test_a_save_made_while_the_file_is_checked_waits_on_screen_then_goes_on(
    qtbot: QtBot, db: Database, practitioner_id: int
) -> None:
    db.hold_writes()
    db.verdict_waiter = wait_on_screen
    shown: list[str] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "save_held" and widget.isVisible():
                shown.append(widget.label.text())  # type: ignore[attr-defined]
                db.give_verdict()  # the check found the file sound
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    patient = register_patient(db, practitioner_id, PatientForm("Held", "Hal", date(1980, 1, 1)))

    assert patient > 0
    assert shown and shown[0].startswith("Saving waits for the check of the database file")
    assert not [w for w in QApplication.topLevelWidgets() if _visible_held(w)]


def _visible_held(widget: QWidget) -> bool:
    return widget.objectName() == "save_held" and widget.isVisible()


def test_a_save_held_until_a_failed_verdict_is_refused_with_what_to_do(
    qtbot: QtBot, db: Database, practitioner_id: int
) -> None:
    from dnt_desktop.storage.errors import WritesStoppedError

    db.hold_writes()
    db.verdict_waiter = wait_on_screen
    QTimer.singleShot(50, lambda: db.give_verdict("Saving is stopped: test problem."))
    with pytest.raises(WritesStoppedError, match="test problem"):
        register_patient(db, practitioner_id, PatientForm("Never", "Nat", date(1980, 1, 1)))
    with db.reading() as session:
        from sqlalchemy import func, select

        from dnt_desktop.models import Patient

        assert session.scalar(select(func.count()).where(Patient.family_name == "Never")) == 0


def test_a_check_that_cannot_run_is_retried_then_stops_saving(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(full_check, "RETRY_DELAY_MS", 10)
    check = full_check.FullCheck(db)
    db.hold_writes()
    could_not = full_check.Verdict(sound=False, could_not_run="the file is busy")
    starts: list[int] = []

    def start_again() -> full_check.FullCheck:
        check._attempts += 1
        starts.append(check._attempts)
        return check

    monkeypatch.setattr(check, "start", start_again)
    check._attempts = 1  # the first run, which could not read the file
    for _ in range(full_check.RETRIES + 1):
        check._report(could_not)
        qtbot.wait(60)
    assert starts == [2, 3]
    assert check.verdict == could_not
    assert not db.writes_held
    assert "could not be checked" in str(db.writes_stopped)
