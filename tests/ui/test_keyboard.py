"""Charting without the mouse: Tab reaches every control and never gets stuck, a point is
added and edited with keys alone, F1 and the shortcuts work in every window."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import TreatmentSession
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.editor_window import (
    NOTES_TAB,
    SIDE_EFFECTS_TAB,
    TREATMENT_TAB,
    SessionEditorWindow,
)
from dnt_desktop.ui.session.points_model import PointColumn
from dnt_desktop.ui.widgets.about_dialog import SECTIONS, AboutDialog

from .layout.checks import accessible_name, focusable

Key = Qt.Key
NO_MODIFIER = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = NO_MODIFIER) -> QWidget:
    """Press *key* where the keyboard focus is; returns the widget that has it after (the
    window when a dialog just closed)."""
    target = QApplication.focusWidget()
    assert target is not None, "nothing has the keyboard focus"
    window = target.window()
    qtbot.keyClick(target, key, modifier)
    QApplication.processEvents()
    return QApplication.focusWidget() or window


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Make *window* the active one (the offscreen platform may hand it back late)."""

    def active() -> bool:
        if QApplication.activeWindow() is not window:
            window.activateWindow()
            return False
        return True

    qtbot.waitUntil(active)


def walk(qtbot: QtBot, start: QWidget, backwards: bool = False, limit: int = 120) -> list[QWidget]:
    """Tab (or Shift+Tab) from *start* until the focus is back at *start*."""
    start.setFocus(Qt.FocusReason.TabFocusReason)
    QApplication.processEvents()
    visited: list[QWidget] = []
    for _ in range(limit):
        now = press(
            qtbot,
            Key.Key_Backtab if backwards else Key.Key_Tab,
            SHIFT if backwards else NO_MODIFIER,
        )
        if now is start:
            return visited
        assert now not in visited, f"Tab went round without coming back: {accessible_name(now)!r}"
        visited.append(now)
    raise AssertionError(f"Tab never came back to {accessible_name(start)!r}: a keyboard trap")


@pytest.fixture
def sam_main(qtbot: QtBot, open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts):
    return open_main(ctx_of(clinic_accounts.sam_id))


@pytest.fixture
def showcase(db: Database, clinic_accounts):
    from dnt_desktop.demo.showcase import add_showcase

    return add_showcase(db, clinic_accounts.sam_id)


def test_from_the_register_to_every_control_of_the_editor_and_back(
    qtbot: QtBot, sam_main: MainWindow, showcase
) -> None:
    window = sam_main
    window.activateWindow()
    window.register.focus_search()
    qtbot.keyClicks(window.register.search_box, "Featherstonehaugh")
    press(qtbot, Key.Key_Return)  # opens the chart: the focus lands on a named control
    qtbot.waitUntil(lambda: window.chart.patient_id == showcase.patient_id)
    focus = QApplication.focusWidget()
    assert focus is window.chart.history_tab.table
    assert accessible_name(focus) == "Session history"

    press(qtbot, Key.Key_Return)  # opens the highlighted session (the showcase's)
    qtbot.waitUntil(lambda: bool(window.editors))
    editor = window.editors[0].window
    assert isinstance(editor, SessionEditorWindow)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)

    start = editor.header.started_edit
    for section in ("points", TREATMENT_TAB, NOTES_TAB, SIDE_EFFECTS_TAB):
        if section == "points":
            editor._show_points()
        else:
            editor.show_section(section)
        forward = walk(qtbot, start)
        expected = set(focusable(editor)) - {start}
        missed = [accessible_name(w) for w in expected if w not in forward]
        assert not missed, f"Tab never reaches {missed} ({section})"
        assert editor.points.table in forward or section != "points"
        backward = walk(qtbot, start, backwards=True)
        assert backward == list(reversed(forward)), f"Shift+Tab differs ({section})"
        for widget in forward:
            assert accessible_name(widget).strip(), f"unnamed focus stop {widget!r}"

    # The point table has rows: Tab from it goes on, it does not walk its cells.
    editor._show_points()
    table = editor.points.table
    table.setFocus()
    table.setCurrentIndex(table.model().index(2, PointColumn.MUSCLE_CODE))
    assert press(qtbot, Key.Key_Tab) is editor.points.region_box
    assert press(qtbot, Key.Key_Backtab, SHIFT) is table

    qtbot.keyClick(QApplication.focusWidget(), Key.Key_Escape)  # unchanged: it just closes
    qtbot.waitUntil(lambda: not window.editors)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.isAncestorOf(QApplication.focusWidget()) or QApplication.focusWidget() is window


def test_a_point_is_added_and_edited_without_the_mouse(
    qtbot: QtBot, db: Database, sam_main: MainWindow, consented_patient: int
) -> None:
    window = sam_main
    window.open_patient(consented_patient)
    window.activateWindow()
    window.chart.history_tab.table.setFocus()
    press(qtbot, Key.Key_N, CTRL)  # a new session
    qtbot.waitUntil(lambda: bool(window.editors))
    editor = window.editors[0].window
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    points = editor.points

    points.region_box.setFocus()
    region = points.region_box.findText("Back: Right calf and ankle")
    if region < 0:
        region = next(
            i for i in range(points.region_box.count()) if "calf" in points.region_box.itemText(i)
        )
    while points.region_box.currentIndex() != region:
        press(qtbot, Key.Key_Down)
    assert press(qtbot, Key.Key_Tab) is points.add_button
    press(qtbot, Key.Key_Space)  # Add point: the point is in the table, the focus too
    assert points.model.rowCount() == 1
    table = points.table
    assert QApplication.focusWidget() is table
    assert table.currentIndex().column() == PointColumn.MUSCLE_CODE

    press(qtbot, Key.Key_F2)  # the muscle list
    box = QApplication.focusWidget()
    assert isinstance(box, QComboBox)
    target = box.findData("gastrocnemius_medial")
    assert target >= 0
    while box.currentIndex() != target:
        press(qtbot, Key.Key_Down if box.currentIndex() < target else Key.Key_Up)
    press(qtbot, Key.Key_Tab)  # keeps the muscle and edits the next cell: the side
    side = QApplication.focusWidget()
    assert isinstance(side, QComboBox) and side.objectName() == "side_editor"
    side.setCurrentIndex(side.findText("Left"))
    press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QTableView.State.EditingState)
    assert table.model().index(0, PointColumn.MUSCLE_CODE).data() == "Gastrocnemius (medial head)"
    assert table.model().index(0, PointColumn.SIDE).data() == "Left"

    press(qtbot, Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: editor.alert_dialog is not None or editor.session_id is not None)
    if editor.alert_dialog is not None:
        dialog = editor.alert_dialog
        qtbot.waitExposed(dialog)
        dialog.read_box.setFocus()
        press(qtbot, Key.Key_Space)
        press(qtbot, Key.Key_Return)
    qtbot.waitUntil(lambda: editor.session_id is not None)
    with db.reading() as session:
        row = session.get(TreatmentSession, editor.session_id)
        assert row is not None and [p.muscle_code for p in row.points] == ["gastrocnemius_medial"]
        assert row.points[0].side.value == "left"


def test_ctrl_w_closes_the_editor_and_discard_has_an_access_key(
    qtbot: QtBot, db: Database, sam_main: MainWindow, consented_patient: int
) -> None:
    editor = sam_main.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitActive(editor)
    editor.notes.notes.setPlainText("Typed, then thrown away.")
    activate(qtbot, editor)
    editor.points.chart.setFocus()
    press(qtbot, Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: editor.close_prompt is not None and editor.close_prompt.isVisible())
    box = editor.close_prompt
    assert box is not None
    discard = box.button(QMessageBox.StandardButton.Discard)
    assert discard.text().replace("&", "") == "Discard" and "&D" in discard.text()
    assert all("&" in b.text() for b in box.buttons())  # Save, Discard, Cancel: Alt+letter
    qtbot.keyClick(box, Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: not sam_main.editors)
    with db.reading() as session:
        assert session.scalars(select(TreatmentSession)).first() is None


def test_f1_opens_the_help_in_every_window(
    qtbot: QtBot, sam_main: MainWindow, consented_patient: int
) -> None:
    def help_shown() -> AboutDialog | None:
        found = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, AboutDialog) and w.isVisible()
        ]
        return found[-1] if found else None

    def f1_in(window: QWidget, focus: QWidget) -> AboutDialog:
        window.activateWindow()
        qtbot.waitActive(window)
        focus.setFocus()
        qtbot.keyClick(focus, Key.Key_F1)
        qtbot.waitUntil(lambda: help_shown() is not None)
        shown = help_shown()
        assert shown is not None
        shown.close()
        qtbot.waitUntil(lambda: help_shown() is None)
        return shown

    f1_in(sam_main, sam_main.register.search_box)
    sam_main.open_patient(consented_patient)
    editor = sam_main.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    qtbot.waitExposed(editor)
    f1_in(editor, editor.points.chart)
    editor.discard_and_close()
    dialog = sam_main.edit_patient(consented_patient)  # a window-modal dialog
    qtbot.waitExposed(dialog)
    f1_in(dialog, dialog.phone)
    dialog.done(0)


def _keys(sequence: QKeySequence) -> list[str]:
    text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
    return [part.strip() for part in text.split(",") if part.strip()]


def _shortcuts_of(window: QWidget) -> set[str]:
    """Every key sequence that does something in *window*: actions and shortcuts."""
    keys: set[str] = set()
    for action in window.findChildren(QAction):
        for sequence in action.shortcuts():
            keys.update(_keys(sequence))
    for shortcut in window.findChildren(QShortcut):
        keys.update(_keys(shortcut.key()))
    for button in window.findChildren(QAbstractButton):
        keys.update(_keys(button.shortcut()))
    return {key for key in keys if not key.startswith("Alt+")}  # access keys: in "dialogs"


def _listed(section: str) -> str:
    rows = next(rows for key, _title, rows in SECTIONS if key == section)
    text = " ".join(keys for keys, _what in rows)
    # "Ctrl+1 … Ctrl+5" lists Ctrl+2, Ctrl+3 and Ctrl+4 too
    for first, last in re.findall(r"Ctrl\+(\d) … Ctrl\+(\d)", text):
        text += " " + " ".join(f"Ctrl+{n}" for n in range(int(first), int(last) + 1))
    return text


def test_the_help_lists_every_shortcut_of_every_window(
    qtbot: QtBot, sam_main: MainWindow, consented_patient: int, db: Database, ctx_of
) -> None:
    from dnt_desktop.ui.aftercare.preview import AftercarePreviewDialog

    sam_main.open_patient(consented_patient)
    main_keys = _shortcuts_of(sam_main)
    assert {"Ctrl+L", "Ctrl+E", "Ctrl+F", "Ctrl+Shift+N", "Ctrl+N", "Ctrl+Q", "F1"} <= main_keys
    listed = _listed("main")
    assert not [k for k in main_keys if k not in listed], listed

    editor = sam_main.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    editor_keys = _shortcuts_of(editor)
    assert {"Ctrl+S", "Ctrl+Shift+S", "Esc", "Ctrl+W", "F1", "Ctrl+P"} <= editor_keys
    listed = _listed("editor")
    assert not [k for k in editor_keys if k not in listed], listed
    editor.notes.notes.setPlainText("Needled the calf.")
    editor.save_action.trigger()
    if editor.alert_dialog is not None:
        editor.alert_dialog.read_box.setChecked(True)
        editor.alert_dialog.accept()
    qtbot.waitUntil(lambda: editor.session_id is not None)

    preview = AftercarePreviewDialog(sam_main.ctx, editor.session_id, sam_main)
    qtbot.addWidget(preview)
    preview_keys = _shortcuts_of(preview)
    assert {"Ctrl+P", "Ctrl+S"} <= preview_keys
    listed = _listed("preview")
    assert not [k for k in preview_keys if k not in listed], listed
    editor.discard_and_close()


def test_the_new_patient_form_tabs_past_the_automatic_chart_number(
    qtbot: QtBot, sam_main: MainWindow
) -> None:
    dialog = sam_main.new_patient()
    qtbot.waitExposed(dialog)
    activate(qtbot, dialog)
    dialog.handout_language.setFocus()
    assert press(qtbot, Key.Key_Tab) is dialog.phone  # not into "Chart no."
    assert press(qtbot, Key.Key_Backtab, SHIFT) is dialog.handout_language
    qtbot.keyClick(dialog, Key.Key_H, Qt.KeyboardModifier.AltModifier)  # its access key
    assert QApplication.focusWidget() is dialog.chart_number
    qtbot.keyClick(dialog, Key.Key_F, Qt.KeyboardModifier.AltModifier)  # fields with messages
    assert QApplication.focusWidget() is dialog.family_name
    qtbot.keyClick(dialog, Key.Key_B, Qt.KeyboardModifier.AltModifier)
    assert QApplication.focusWidget() is dialog.date_of_birth
    dialog.done(0)


def test_a_field_message_goes_as_soon_as_the_field_is_changed(
    qtbot: QtBot, sam_main: MainWindow, consented_patient: int
) -> None:
    dialog = sam_main.edit_patient(consented_patient)
    qtbot.waitExposed(dialog)
    dialog.email.setText("jane.doe.example.org")
    dialog.save()
    assert dialog.errors.message("email")
    qtbot.keyClicks(dialog.email, "x")
    assert dialog.errors.message("email") == ""
    assert not dialog.email.property("invalid")
    dialog.email.setText("jane.doe@example.org")
    dialog.save()
    assert not dialog.isVisible()


def test_the_search_box_clear_button_is_named(sam_main: MainWindow) -> None:
    from PySide6.QtWidgets import QToolButton

    buttons = sam_main.register.search_box.findChildren(QToolButton)
    assert buttons and all(accessible_name(b) == "Clear the search" for b in buttons)
