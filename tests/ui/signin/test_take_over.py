"""A colleague takes over a locked PC: the first practitioner's open sessions are kept as
drafts (saved through the services, audited), then the sign-in comes back."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, TreatmentSession
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.signin.lock_overlay import LockOverlay


def events(db: Database) -> list[tuple[str, int | None, str]]:
    with db.reading() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        return [(e.action, e.actor_id, e.summary) for e in rows]


def main_overlay(window: MainWindow) -> LockOverlay:
    (overlay,) = [o for o in window.lock.overlays if o.parentWidget() is window]
    return overlay


def test_a_colleague_signs_the_first_user_out_keeping_the_open_session_as_a_draft(
    qtbot: QtBot,
    db: Database,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    clinic_accounts,
    consented_patient: int,
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    window.open_patient(consented_patient)
    editor = window.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    editor.notes.notes.setPlainText("Trigger points in the calf; to finish after lunch.")
    window.chart.medical_tab.editors["allergies"].setPlainText("Plasters")
    window.lock_now()
    overlay = main_overlay(window)

    qtbot.mouseClick(overlay.take_over_button, Qt.MouseButton.LeftButton)
    assert overlay.asking_take_over
    text = overlay.take_over_text.text()
    assert "Sign Sam Physio out" in text
    assert "1 open session with unsaved changes will be saved as a draft" in text
    assert "Lost: changes to the medical history" in text
    assert "Doe" not in text and "Jane" not in text  # no patient is named on the lock screen
    assert overlay.take_over_text.accessibleDescription().startswith("Sign Sam Physio out")

    qtbot.mouseClick(overlay.back_button, Qt.MouseButton.LeftButton)  # changed their mind
    assert not overlay.asking_take_over and window.lock.is_locked
    qtbot.mouseClick(overlay.take_over_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(overlay.confirm_take_over, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.sign_out_requested
    assert not window.lock.is_locked and not editor.isVisible()
    qtbot.waitUntil(lambda: not window.editors)
    with db.reading() as session:
        (kept,) = session.scalars(select(TreatmentSession)).all()
        assert kept.status == SessionStatus.DRAFT
        assert kept.practitioner_id == clinic_accounts.sam_id
        assert kept.notes == "Trigger points in the calf; to finish after lunch."
    trail = events(db)
    assert ("create", clinic_accounts.sam_id) in [(a, who) for a, who, _s in trail]
    action, actor, summary = trail[-1]
    assert (action, actor) == ("sign_out", clinic_accounts.sam_id)
    assert "1 open session(s) kept as drafts" in summary
    assert "changes to the medical history" in summary


def test_an_incomplete_session_is_named_as_lost_before_the_colleague_confirms(
    qtbot: QtBot,
    db: Database,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    clinic_accounts,
    consented_patient: int,
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    window.open_patient(consented_patient)
    editor = window.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    chart = editor.points.chart
    click = chart.to_widget("back", 0.40, 0.83).toPoint()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=click)  # a point, muscle to choose
    editor.points.model.setData(
        editor.points.model.index(0, 1), "", Qt.ItemDataRole.EditRole
    )  # no muscle: it cannot be saved
    assert editor.has_unsaved_changes
    window.lock_now()
    overlay = main_overlay(window)
    qtbot.mouseClick(overlay.take_over_button, Qt.MouseButton.LeftButton)
    text = overlay.take_over_text.text()
    assert "1 open session is incomplete" in text and "will be lost" in text
    qtbot.mouseClick(overlay.confirm_take_over, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())
    with db.reading() as session:
        assert session.scalars(select(TreatmentSession)).first() is None
    action, _actor, summary = events(db)[-1]
    assert action == "sign_out" and "1 incomplete session(s)" in summary


def test_the_sign_in_comes_back_after_a_take_over_and_the_colleague_charts(
    qtbot: QtBot, db_path, db: Database, clinic_accounts, consented_patient: int, monkeypatch
) -> None:
    """The whole flow in ``run``: Sam is signed out at the lock screen, Kim signs in on the
    same database (no second start-up check), and quitting then backs up as usual."""
    import argparse

    from dnt_desktop.ui import app as app_module
    from dnt_desktop.ui.signin.login_dialog import LoginDialog

    from ..test_app_start import Driver, modal

    db.dispose()
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    driver = Driver()
    backups: list[str] = []
    from dnt_desktop.ui.backups import backup_jobs

    monkeypatch.setattr(
        backup_jobs.backups,
        "automatic_backup",
        lambda _db, reason, **_k: backups.append(reason),
    )
    monkeypatch.setattr(
        backup_jobs, "start_closing_process", lambda _path, _actor: backups.append("exit")
    )

    def first_sign_in(widget) -> None:
        assert isinstance(widget, LoginDialog)
        widget.username.setText("sam")
        widget.password.setText(clinic_accounts.password)
        widget.accept()
        driver.when(window_of("Sam Physio"), take_over)

    def take_over(window) -> None:
        window.lock_now()
        overlay = main_overlay(window)
        overlay.take_over_button.click()
        overlay.confirm_take_over.click()
        QApplication.exit(0)  # the window closed; in the app the last window's closing does this
        driver.when(modal(LoginDialog), second_sign_in)

    def second_sign_in(widget) -> None:
        assert isinstance(widget, LoginDialog)
        driver.seen["remembered"] = widget.username.text()
        widget.username.setText("kim")
        widget.password.setText(clinic_accounts.password)
        widget.accept()
        driver.when(window_of("Kim Other"), close)

    def close(window) -> None:
        driver.seen["kim"] = window.practitioner_label.text()
        window.close()
        QApplication.exit(0)

    driver.when(modal(LoginDialog), first_sign_in)
    try:
        code = app_module.run(argparse.Namespace(db=str(db_path), demo=False, command=None))
    finally:
        driver.stop()
        QApplication.setQuitOnLastWindowClosed(quit_on_close)
    assert not driver.failed, driver.failed
    assert code == 0
    assert driver.seen["kim"] == "Charting as: Kim Other"
    assert backups.count("exit") == 1  # once, when the app really closes


def window_of(name: str) -> Callable[[], MainWindow | None]:
    def find() -> MainWindow | None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, MainWindow)
                and widget.isVisible()
                and widget.ctx.practitioner_name == name
            ):
                return widget
        return None

    return find
