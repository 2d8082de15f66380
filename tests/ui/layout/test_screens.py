"""Every main screen on the clinic's screen: inside it, nothing cut off, readable aloud.

The suite's offscreen screen is 1366x768 (tests/conftest.py); ``test_scaled`` runs this
module again at QT_SCALE_FACTOR=1.25, where the same screen is 1093x614 logical pixels.
Each screen is opened as the app opens it (no resizing by the test) on the showcase
patient: long names, two danger alerts and a review warning, eight points.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.chart_view import (
    CONSENT_TAB,
    DETAILS_TAB,
    HISTORY_TAB,
    MEDICAL_TAB,
    SCREENING_TAB,
)
from dnt_desktop.ui.session.editor_window import (
    NOTES_TAB,
    SIDE_EFFECTS_TAB,
    TREATMENT_TAB,
    SessionEditorWindow,
)

from .checks import accessibility_problems, cell_problems, frame_problems, text_problems
from .conftest import Scene

Opener = Callable[[], QWidget]


def settle(qtbot: QtBot, window: QWidget) -> QWidget:
    """Let the window lay itself out as it would on screen."""
    qtbot.waitExposed(window)
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)
    return window


@pytest.fixture
def main_of(qtbot: QtBot, ctx_of) -> Iterator[Callable[[int], MainWindow]]:
    """Opens the main window of an account as the app does; closes it (Discard) at the end."""
    windows: list[MainWindow] = []

    def make(account_id: int) -> MainWindow:
        window = MainWindow(ctx_of(account_id))
        window.show()
        windows.append(window)
        return window

    yield make
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
        for window in windows:
            for entry in list(window.editors):
                entry.window.discard_and_close()
            window.close()
            window.deleteLater()
    qtbot.wait(1)


def check(window: QWidget) -> None:
    problems = frame_problems(window) + text_problems(window) + accessibility_problems(window)
    assert not problems, "\n".join(problems)


# --- the main window with the showcase chart ------------------------------------------


@pytest.mark.parametrize(
    ("tab", "form"),
    [
        (DETAILS_TAB, ""),
        (MEDICAL_TAB, ""),
        (SCREENING_TAB, ""),
        (SCREENING_TAB, "new screening"),
        (CONSENT_TAB, ""),
        (CONSENT_TAB, "record consent"),
        (HISTORY_TAB, ""),
    ],
)
def test_the_chart_and_each_tab_fit(
    qtbot: QtBot, scene: Scene, main_of, tab: int, form: str
) -> None:
    window = main_of(scene.accounts.sam_id)
    window.register.focus_search()
    window.open_patient(scene.showcase.patient_id)
    window.show_tab(tab)
    if form == "new screening":
        window.chart.screening_tab.start_new()
    elif form == "record consent":
        window.chart.consent_tab.start_record()
    settle(qtbot, window)
    check(window)
    assert window.chart.banner.alert_count() == 3  # two dangers and the review warning
    if tab == HISTORY_TAB:
        assert not cell_problems(window.chart.history_tab.table)
        scroll = window.chart.history_tab.table.horizontalScrollBar()
        assert not scroll.isVisible(), "the Sessions list scrolls sideways: columns are hidden"


# --- the session editor with eight points ---------------------------------------------


@pytest.mark.parametrize("section", ["points", TREATMENT_TAB, NOTES_TAB, SIDE_EFFECTS_TAB])
def test_the_session_editor_with_eight_points_fits(
    qtbot: QtBot, scene: Scene, main_of, section: object
) -> None:
    window = main_of(scene.accounts.sam_id)
    editor = window.open_session(scene.showcase.patient_id, scene.showcase.session_id)
    assert isinstance(editor, SessionEditorWindow)
    if section == "points":
        editor.points.table.setFocus()
        editor._show_points()
    else:
        editor.show_section(int(section))  # type: ignore[arg-type]
    settle(qtbot, editor)
    check(editor)
    assert editor.points.model.rowCount() == 8
    if section == "points":
        table = editor.points.table
        assert not cell_problems(table), cell_problems(table)
        assert not table.horizontalScrollBar().isVisible(), "the point table scrolls sideways"
    if section == SIDE_EFFECTS_TAB:
        assert not cell_problems(editor.side_effects.table)
        from dnt_desktop.ui.session.side_effects_model import EffectColumn

        for column in (EffectColumn.CODE, EffectColumn.ONSET, EffectColumn.SEVERITY):
            assert not cell_list_problems(editor.side_effects.table, 0, column)
    if section == "points":
        from dnt_desktop.ui.session.points_model import PointColumn

        for row, column in ((0, PointColumn.MUSCLE_CODE), (1, PointColumn.DEPTH_CLASS)):
            assert not cell_list_problems(editor.points.table, row, column)


def cell_list_problems(table, row: int, column: int) -> list[str]:
    """Open the list of a cell (as F2 would) and check it is wide enough for its items."""
    from PySide6.QtWidgets import QComboBox

    from .checks import combo_problems

    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    QApplication.processEvents()
    boxes = [w for w in table.viewport().findChildren(QComboBox) if w.isVisible()]
    assert boxes, f"no list opened in column {column}"
    box = boxes[-1]
    problems = combo_problems(box.window(), only=box)
    table.closePersistentEditor(index)
    table.setFocus()  # ends the edit
    QApplication.processEvents()
    return problems


# --- dialogs --------------------------------------------------------------------------


def test_the_patient_form_fits(qtbot: QtBot, scene: Scene, main_of) -> None:
    window = main_of(scene.accounts.sam_id)
    dialog = window.edit_patient(scene.showcase.patient_id)
    settle(qtbot, dialog)
    check(dialog)
    address = dialog.address
    lines = address.fontMetrics().lineSpacing() * 3
    assert address.viewport().height() >= lines + 2 * address.document().documentMargin() - 1
    dialog.email.setText("not an address")
    dialog.save()  # a message appears under the field: the dialog grows, inside the screen
    QApplication.processEvents()
    check(dialog)
    dialog.done(0)


def test_the_sign_in_dialog_fits(qtbot: QtBot, db, scene: Scene) -> None:
    from dnt_desktop.demo import DEMO_PASSWORD_NOTE
    from dnt_desktop.ui.signin.login_dialog import LoginDialog

    dialog = LoginDialog(db, clinic_name="Riverside Physiotherapy", note=DEMO_PASSWORD_NOTE)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("sam")
    dialog.password.setText("wrong password")
    dialog.accept()
    settle(qtbot, dialog)
    assert dialog.message.isVisible()
    check(dialog)


def test_the_aftercare_preview_fits(qtbot: QtBot, scene: Scene, main_of) -> None:
    from dnt_desktop.ui.aftercare.preview import AftercarePreviewDialog

    window = main_of(scene.accounts.sam_id)
    dialog = AftercarePreviewDialog(window.ctx, scene.showcase.session_id, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    check(dialog)


def test_the_settings_fit(qtbot: QtBot, scene: Scene, main_of) -> None:
    window = main_of(scene.accounts.admin_id)
    dialog = window.open_settings()
    assert dialog is not None
    settle(qtbot, dialog)
    check(dialog)
    dialog.done(0)


def test_the_audit_trail_fits(qtbot: QtBot, scene: Scene, main_of) -> None:
    window = main_of(scene.accounts.admin_id)
    viewer = window.open_audit_trail()
    assert viewer is not None
    settle(qtbot, viewer)
    check(viewer)
    viewer.close()


def test_the_help_fits_and_the_lock_screen_too(qtbot: QtBot, scene: Scene, main_of) -> None:
    window = main_of(scene.accounts.sam_id)
    help_window = window.show_help()
    settle(qtbot, help_window)
    check(help_window)
    help_window.close()
    window.lock_now()
    settle(qtbot, window)
    overlay = window.lock.overlays[0]
    problems = text_problems(overlay) + accessibility_problems(window)
    assert not problems, "\n".join(problems)
    window.lock._unlock()


def test_the_chart_of_an_open_patient_follows_the_window_width(
    qtbot: QtBot, scene: Scene, main_of
) -> None:
    """Narrowed to the register's and chart's minimum, the banner still shows all its text."""
    window = main_of(scene.accounts.sam_id)
    window.open_patient(scene.showcase.patient_id)
    settle(qtbot, window)
    window.resize(window.minimumSizeHint().width(), window.height())
    settle(qtbot, window)
    banner = window.chart.banner
    assert banner.fully_shown(), banner.visible_text()
    assert window.screen().availableGeometry().contains(window.frameGeometry())


def _ctx(window: MainWindow) -> AppContext:
    return window.ctx


def test_the_keyboard_focus_starts_in_the_search_box(qtbot: QtBot, scene: Scene, main_of) -> None:
    window = main_of(scene.accounts.sam_id)
    window.register.focus_search()
    settle(qtbot, window)
    assert QApplication.focusWidget() is window.register.search_box
    assert window.register.search_box.hasFocus()
    assert _ctx(window).practitioner_id == scene.accounts.sam_id
    assert Qt.FocusPolicy.StrongFocus & window.register.search_box.focusPolicy()


# --- daily speed: copy forward, protocols, note phrases -------------------------------


def test_copy_forward_and_the_copied_session_fit(qtbot: QtBot, scene: Scene, main_of) -> None:
    from dnt_desktop.ui.session.copy_forward_dialog import CopyForwardDialog

    window = main_of(scene.accounts.sam_id)
    settle(qtbot, window)
    assert window.open_patient(scene.showcase.patient_id)
    dialog = window.start_session(scene.showcase.patient_id)
    assert isinstance(dialog, CopyForwardDialog)
    settle(qtbot, dialog)
    check(dialog)
    dialog.copy_button.click()
    qtbot.waitUntil(lambda: bool(window.editors))
    editor = settle(qtbot, window.editors[-1].window)
    assert isinstance(editor, SessionEditorWindow)
    assert editor.points.copied_bar.isVisible()
    check(editor)
    editor.show_section(NOTES_TAB)
    settle(qtbot, editor)
    check(editor)


def test_the_protocol_and_phrase_dialogs_fit(qtbot: QtBot, scene: Scene, main_of) -> None:
    from dnt_desktop.services import protocols, sessions

    window = main_of(scene.accounts.admin_id)
    points = sessions.draft_from(sessions.load_session(window.ctx.db, scene.showcase.session_id))
    protocol_id, _ = protocols.save_protocol(
        window.ctx.db, scene.accounts.admin_id, "Upper trapezius bilateral", points.points
    )
    protocols.share_protocol(window.ctx.db, scene.accounts.admin_id, protocol_id, True)
    for dialog in (window.open_protocols(), window.open_note_phrases()):
        assert dialog is not None
        settle(qtbot, dialog)
        check(dialog)
        dialog.done(0)
