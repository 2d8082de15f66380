"""Locking after the idle time and on Ctrl+L; unlocking with the password; nothing lost."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.signin.lock import LOCKED_TITLE
from dnt_desktop.ui.signin.lock_overlay import LockOverlay


def actions(db: Database) -> list[str]:
    with db.reading() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def overlay_on(window) -> LockOverlay | None:
    found = [o for o in window.findChildren(LockOverlay) if o.parentWidget() is window]
    return found[0] if found else None


def covered(window) -> bool:
    """The lock screen is up over the whole window, on top of everything in it."""
    overlay = overlay_on(window)
    if overlay is None or not overlay.isVisible() or overlay.geometry() != window.rect():
        return False
    for x, y in ((5, 5), (window.width() // 2, window.height() // 3), (10, window.height() - 10)):
        hit = window.childAt(x, y)
        if hit is not overlay and not overlay.isAncestorOf(hit):
            return False
    return True


@pytest.fixture
def sam_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, consented_patient
) -> MainWindow:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    window.open_patient(consented_patient)
    return window


def open_editor(qtbot: QtBot, window: MainWindow, patient_id: int) -> SessionEditorWindow:
    editor = window.open_session(patient_id)
    assert isinstance(editor, SessionEditorWindow)
    editor.resize(1280, 720)
    qtbot.waitExposed(editor)
    return editor


def unlock_with(qtbot: QtBot, overlay: LockOverlay, password: str) -> None:
    qtbot.keyClicks(overlay.password, password)
    qtbot.keyClick(overlay.password, Qt.Key.Key_Return)


def test_idle_time_locks_every_window_and_the_password_unlocks_with_nothing_lost(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts, consented_patient
) -> None:
    editor = open_editor(qtbot, sam_window, consented_patient)
    qtbot.keyClicks(editor.notes.notes, "Typed before the lock")
    title = editor.windowTitle()

    sam_window.lock.idle_ms = 200
    qtbot.waitUntil(lambda: sam_window.lock.is_locked, timeout=5000)

    for window in (sam_window, editor):
        assert covered(window), window
        assert window.windowTitle() == LOCKED_TITLE
    main_overlay = overlay_on(sam_window)
    assert main_overlay is not None
    assert "Sam Physio" in main_overlay.who.text()
    assert actions(db)[-1] == "lock"

    editor_overlay = overlay_on(editor)
    assert editor_overlay is not None
    unlock_with(qtbot, editor_overlay, "not my password")
    assert sam_window.lock.is_locked
    assert covered(sam_window) and covered(editor)
    assert editor_overlay.error.text() == "The password is wrong. Check Caps Lock and try again."
    assert actions(db)[-1] == "unlock_failed"

    unlock_with(qtbot, editor_overlay, clinic_accounts.password)
    assert not sam_window.lock.is_locked
    assert overlay_on(sam_window) is None or not overlay_on(sam_window).isVisible()
    assert not any(o.isVisible() for o in editor.findChildren(LockOverlay))
    assert editor.notes.notes.toPlainText() == "Typed before the lock"
    assert editor.has_unsaved_changes
    assert editor.windowTitle() == title
    assert actions(db)[-1] == "unlock"


def test_ctrl_l_locks_at_once_and_keys_do_not_reach_the_window_behind(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts
) -> None:
    sam_window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is sam_window)
    qtbot.keyClick(sam_window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert sam_window.lock.is_locked
    assert covered(sam_window)
    with db.reading() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (last.action, last.summary) == ("lock", "Screen locked (on request)")

    # Ctrl+N (new session) and typing go nowhere while locked.
    qtbot.keyClick(
        sam_window.register.search_box, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.keyClicks(sam_window.register.search_box, "doe")
    assert sam_window.editors == []
    assert sam_window.register.search_box.text() == ""

    overlay = overlay_on(sam_window)
    assert overlay is not None and QApplication.focusWidget() is overlay.password
    unlock_with(qtbot, overlay, clinic_accounts.password)
    assert not sam_window.lock.is_locked


def test_a_window_opened_while_locked_is_covered_too(
    qtbot: QtBot, sam_window: MainWindow, consented_patient
) -> None:
    sam_window.lock_now()
    editor = open_editor(qtbot, sam_window, consented_patient)  # e.g. opened by a timer
    qtbot.waitUntil(lambda: covered(editor))


def test_the_idle_timer_restarts_on_input(qtbot: QtBot, sam_window: MainWindow) -> None:
    timer = sam_window.lock._timer
    sam_window.lock.idle_ms = 60_000
    timer.stop()  # as if it had run down to nothing without input
    qtbot.keyClick(sam_window.register.search_box, Qt.Key.Key_A)
    assert timer.isActive()
    assert timer.remainingTime() > 59_000
    timer.stop()
    qtbot.mouseClick(sam_window.register.search_box, Qt.MouseButton.LeftButton)
    assert timer.isActive()
    assert not sam_window.lock.is_locked


def test_a_dialog_open_at_the_lock_is_covered_and_kept_as_it_was(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts
) -> None:
    dialog = sam_window.change_my_password()
    assert dialog is not None
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.current, "half-typed")
    sam_window.lock_now()

    assert covered(dialog) and covered(sam_window)
    overlay = overlay_on(dialog)
    assert overlay is not None
    unlock_with(qtbot, overlay, "wrong")  # Enter must not press the dialog's Save
    assert dialog.isVisible() and sam_window.lock.is_locked
    qtbot.keyClick(overlay.password, Qt.Key.Key_Escape)  # nor Esc its Cancel
    assert dialog.isVisible()

    unlock_with(qtbot, overlay, clinic_accounts.password)
    assert not sam_window.lock.is_locked
    assert dialog.isVisible()
    assert dialog.current.text() == "half-typed"
    assert "password_change" not in [e for e in actions(db)]
