"""Signing in: the login dialog, throttling, a first password, and the first-run admin."""

from __future__ import annotations

import argparse
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import accounts
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.ui import app as app_module
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.setup.first_run import FirstRunDialog
from dnt_desktop.ui.signin.login_dialog import LAST_USER_KEY, LoginDialog


def actions(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def login_dialog(qtbot: QtBot, db: Database) -> LoginDialog:
    dialog = LoginDialog(db, clinic_name="Test Clinic")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_login(qtbot: QtBot, dialog: LoginDialog, user: str, password: str) -> None:
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, user)
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)


def test_the_fields_can_be_found_by_name(qtbot: QtBot, db: Database, clinic_accounts) -> None:
    dialog = login_dialog(qtbot, db)
    assert isinstance(dialog, QDialog)
    user = dialog.findChild(QLineEdit, "username")
    password = dialog.findChild(QLineEdit, "password")
    assert user is dialog.username and user.accessibleName() == "User name"
    assert password is dialog.password
    assert password.echoMode() == QLineEdit.EchoMode.Password


def test_a_wrong_password_shows_the_message_and_is_audited(
    qtbot: QtBot, db: Database, clinic_accounts
) -> None:
    dialog = login_dialog(qtbot, db)
    type_login(qtbot, dialog, "sam", "not the password")

    assert dialog.isVisible()
    assert dialog.practitioner is None
    assert dialog.message.isVisible()
    assert dialog.message.text() == accounts.WRONG_CREDENTIALS
    assert dialog.password.text() == ""
    assert actions(db)[-1] == "login_failed"


def test_the_right_password_signs_in_and_remembers_the_user_name(
    qtbot: QtBot, db: Database, clinic_accounts
) -> None:
    dialog = login_dialog(qtbot, db)
    type_login(qtbot, dialog, "sam", clinic_accounts.password)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.practitioner is not None
    assert dialog.practitioner.id == clinic_accounts.sam_id
    assert actions(db)[-1] == "login"
    assert QSettings().value(LAST_USER_KEY) == "sam"

    again = login_dialog(qtbot, db)
    assert again.username.text() == "sam"
    assert again.focusWidget() is again.password


def test_after_wrong_passwords_the_wait_is_shown_and_sign_in_disabled(
    qtbot: QtBot, db: Database, clinic_accounts
) -> None:
    dialog = login_dialog(qtbot, db)
    for _ in range(2):
        type_login(qtbot, dialog, "kim", "wrong one")
    qtbot.keyClicks(dialog.password, clinic_accounts.password)  # right, but too soon
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    assert dialog.practitioner is None
    assert "Wait 1 second" in dialog.message.text()
    assert not dialog.sign_in_button.isEnabled()
    qtbot.waitUntil(lambda: dialog.sign_in_button.isEnabled(), timeout=3000)
    assert not dialog.message.isVisible()
    qtbot.keyClicks(dialog.password, clinic_accounts.password)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.practitioner is not None and dialog.practitioner.id == clinic_accounts.kim_id


def test_an_account_without_a_password_chooses_one_then_signs_in(
    qtbot: QtBot, db: Database, clinic_accounts
) -> None:
    old = add_practitioner(db, clinic_accounts.admin_id, PractitionerForm("Old Timer", "old"))
    dialog = login_dialog(qtbot, db)
    type_login(qtbot, dialog, "old", "")

    assert "has no password yet" in dialog.intro.text()
    assert dialog.new_password.password.isVisible()
    assert not dialog.password.isVisible()
    qtbot.keyClicks(dialog.new_password.password, "a new sentence")
    qtbot.keyClicks(dialog.new_password.repeat, "a new sentence!")
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.new_password.message.text()
    assert dialog.practitioner is None

    dialog.new_password.repeat.clear()
    qtbot.keyClicks(dialog.new_password.repeat, "a new sentence")
    qtbot.keyClick(dialog.new_password.repeat, Qt.Key.Key_Return)
    assert dialog.practitioner is not None and dialog.practitioner.id == old
    assert accounts.authenticate(db, "old", "a new sentence").id == old


def test_first_run_creates_an_admin_with_a_password_then_login_works(
    qtbot: QtBot, db: Database, fast_passwords: None
) -> None:
    dialog = FirstRunDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.clinic_name, "Harbour Physio")
    qtbot.keyClicks(dialog.full_name, "Robin Hale")
    qtbot.keyClicks(dialog.password.password, "robin.hale")
    qtbot.keyClicks(dialog.password.repeat, "robin.hale")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.password.message.text() == "The password must not be the user name."
    assert not accounts.has_accounts(db)

    for edit in (dialog.password.password, dialog.password.repeat):
        edit.clear()
        qtbot.keyClicks(edit, "harbour lights")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.practitioner is not None
    assert dialog.practitioner.role.value == "admin"
    assert actions(db)[-1] == "login"
    login = login_dialog(qtbot, db)
    type_login(qtbot, login, "robin.hale", "harbour lights")
    assert login.practitioner is not None and login.practitioner.id == dialog.practitioner_id


def _answer_login(qtbot: QtBot, user: str, password: str, seen: list[str]) -> None:
    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog.windowTitle())
        dialog.username.setText(user)
        qtbot.keyClicks(dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
        QTimer.singleShot(0, close_main)

    def close_main() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget.practitioner_label.text())
                seen.append("admin menu" if widget.admin_menu is not None else "no admin menu")
                widget.close()
                QApplication.exit(0)
                return
        QTimer.singleShot(20, close_main)

    QTimer.singleShot(0, poll)


def test_the_app_starts_with_the_login_and_opens_the_main_window(
    qtbot: QtBot, db_path: Path, db: Database, clinic_accounts
) -> None:
    db.dispose()
    seen: list[str] = []
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    try:
        _answer_login(qtbot, "sam", clinic_accounts.password, seen)
        code = app_module.run(argparse.Namespace(db=str(db_path), demo=False, command=None))
    finally:
        QApplication.setQuitOnLastWindowClosed(quit_on_close)

    assert code == 0
    assert seen == ["Sign in to dnt-desktop", "Charting as: Sam Physio", "no admin menu"]
    reopened = open_database(sqlite_url(db_path))
    try:
        assert "login" in actions(reopened)
        assert actions(reopened)[-1] == "backup"  # the backup made on closing
    finally:
        reopened.dispose()
    assert any(p.name.endswith("-exit.sqlite3") for p in (db_path.parent / "backups").iterdir())
