"""Administration > Accounts and Settings, and File > Change my password."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from dnt_desktop.services import accounts
from dnt_desktop.services.practitioners import practitioners
from dnt_desktop.services.settings import settings_values
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.admin.account_forms import AddAccountDialog, ResetPasswordDialog
from dnt_desktop.ui.admin.accounts_dialog import AccountsDialog
from dnt_desktop.ui.admin.settings_dialog import SettingsDialog
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.signin.change_password import ChangePasswordDialog


@pytest.fixture
def admin_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts
) -> MainWindow:
    return open_main(ctx_of(clinic_accounts.admin_id))


def accounts_dialog(qtbot: QtBot, window: MainWindow) -> AccountsDialog:
    dialog = window.open_accounts()
    assert isinstance(dialog, AccountsDialog)
    qtbot.waitExposed(dialog)
    return dialog


def select_user(dialog: AccountsDialog, username: str) -> None:
    row = next(i for i, p in enumerate(dialog.rows) if p.username == username)
    dialog.table.selectRow(row)


def test_the_admin_adds_an_account_who_can_then_sign_in(
    qtbot: QtBot, admin_window: MainWindow, db: Database
) -> None:
    dialog = accounts_dialog(qtbot, admin_window)
    assert [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())] == [
        "alex",
        "kim",
        "sam",
    ]
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert isinstance(form, AddAccountDialog)
    qtbot.keyClicks(form.full_name, "Jo Example")
    assert form.username.text() == "jo.example"
    qtbot.keyClicks(form.registration, "PH-9")
    qtbot.keyClicks(form.password.password, "short")
    qtbot.keyClicks(form.password.repeat, "short")
    form.save()
    assert form.isVisible()
    assert form.password.message.text() == "The password needs at least 8 characters."

    for edit in (form.password.password, form.password.repeat):
        edit.clear()
        qtbot.keyClicks(edit, "jo's long password")
    form.save()

    assert not form.isVisible()
    assert dialog.selected() is not None and dialog.selected().username == "jo.example"
    assert dialog.status.text() == "The account of Jo Example (jo.example) was added."
    person = accounts.authenticate(db, "jo.example", "jo's long password")
    assert (person.full_name, person.registration_number, person.role.value) == (
        "Jo Example",
        "PH-9",
        "practitioner",
    )


def test_a_taken_user_name_is_said_next_to_the_field(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    dialog = accounts_dialog(qtbot, admin_window)
    form = dialog.add_account()
    qtbot.keyClicks(form.full_name, "Another Sam")
    form.username.setText("sam")
    qtbot.keyClicks(form.password.password, "a fine password")
    qtbot.keyClicks(form.password.repeat, "a fine password")
    form.save()
    assert form.isVisible()
    assert form.errors.message("username") == "The user name sam is taken."


def test_deactivate_and_reactivate_never_delete(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    clinic_accounts,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog = accounts_dialog(qtbot, admin_window)
    select_user(dialog, "alex")
    assert not dialog.active_button.isEnabled()  # not one's own account

    select_user(dialog, "kim")
    assert dialog.active_button.text() == "&Deactivate"
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    row = dialog.table.currentRow()
    assert dialog.table.item(row, 4).text() == "Deactivated"
    assert dialog.active_button.text() == "Re&activate"
    with pytest.raises(accounts.AuthenticationError):
        accounts.authenticate(db, "kim", clinic_accounts.password)

    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    assert dialog.table.item(dialog.table.currentRow(), 4).text() == "Active"
    assert accounts.authenticate(db, "kim", clinic_accounts.password).id == clinic_accounts.kim_id
    assert len(practitioners(db, active_only=False)) == 3


def test_the_admin_resets_a_password(
    qtbot: QtBot, admin_window: MainWindow, db: Database, clinic_accounts
) -> None:
    dialog = accounts_dialog(qtbot, admin_window)
    select_user(dialog, "sam")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    form = dialog.form_dialog
    assert isinstance(form, ResetPasswordDialog)
    qtbot.keyClicks(form.password.password, "a brand new one")
    qtbot.keyClicks(form.password.repeat, "a brand new one")
    qtbot.keyClick(form.password.repeat, Qt.Key.Key_Return)
    assert not form.isVisible()
    assert dialog.status.text() == "The password of Sam Physio was reset."
    assert accounts.authenticate(db, "sam", "a brand new one").id == clinic_accounts.sam_id


def test_anyone_changes_their_own_password(
    qtbot: QtBot,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    db: Database,
    clinic_accounts,
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    dialog = window.change_my_password()
    assert isinstance(dialog, ChangePasswordDialog)
    qtbot.keyClicks(dialog.current, "not it")
    qtbot.keyClicks(dialog.new_password.password, "sam's new sentence")
    qtbot.keyClicks(dialog.new_password.repeat, "sam's new sentence")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.current_message.text() == "The password is wrong. Check Caps Lock and try again."

    qtbot.keyClicks(dialog.current, clinic_accounts.password)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert accounts.authenticate(db, "sam", "sam's new sentence").id == clinic_accounts.sam_id


def test_settings_are_saved_and_the_idle_time_applies_at_once(
    qtbot: QtBot, admin_window: MainWindow, db: Database, tmp_path
) -> None:
    dialog = admin_window.open_settings()
    assert isinstance(dialog, SettingsDialog)
    assert dialog.spins["idle_lock_minutes"].value() == 10
    dialog.spins["idle_lock_minutes"].setValue(3)
    dialog.spins["stale_draft_days"].setValue(5)
    dialog.folder.setText(str(tmp_path / "usb"))
    qtbot.mouseClick(
        dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )

    assert not dialog.isVisible()
    stored = settings_values(db)
    assert stored["idle_lock_minutes"] == "3"
    assert stored["stale_draft_days"] == "5"
    assert stored["backup_folder"] == str(tmp_path / "usb")
    assert admin_window.lock.idle_ms == 3 * 60_000
