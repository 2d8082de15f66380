"""Windows sized from the screen they open on, kept inside it, remembered per screen size."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSettings, QSize, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.session.editor_window import PREFERRED_SIZE, SessionEditorWindow
from dnt_desktop.ui.widgets.window_size import (
    FRAME_ALLOWANCE,
    fitted_size,
    keep_inside,
    place_window,
    screen_key,
)


def test_a_preferred_size_is_shrunk_to_the_screen_less_the_frame() -> None:
    small = QRect(0, 0, 1093, 614)  # 1366x768 at 125 %
    assert fitted_size(QSize(1500, 1000), small) == QSize(
        1093 - FRAME_ALLOWANCE.width(), 614 - FRAME_ALLOWANCE.height()
    )
    assert fitted_size(QSize(800, 500), small) == QSize(800, 500)
    assert screen_key(small) == "1093x614"


def test_a_window_partly_off_the_screen_is_moved_and_shrunk_back(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    area = window.screen().availableGeometry()
    window.resize(area.width() + 300, area.height() + 200)
    window.move(area.right() - 100, area.bottom() - 100)
    window.show()
    qtbot.waitExposed(window)
    keep_inside(window)
    assert area.contains(window.frameGeometry())


def test_the_editor_opens_at_the_screens_size_and_remembers_it_for_that_size(
    qtbot: QtBot, ctx: AppContext, patient_id: int
) -> None:
    first = SessionEditorWindow(ctx, patient_id)
    qtbot.addWidget(first, before_close_func=lambda w: w.discard_and_close())
    area = first.screen().availableGeometry()
    assert first.size() == fitted_size(QSize(*PREFERRED_SIZE), area)
    first.show()
    qtbot.waitExposed(first)
    assert area.contains(first.frameGeometry())
    first.resize(1000, 600)
    first.discard_and_close()
    key = f"session_editor/geometry/{screen_key(area)}"
    assert QSettings().contains(key)

    second = SessionEditorWindow(ctx, patient_id)
    qtbot.addWidget(second, before_close_func=lambda w: w.discard_and_close())
    assert second.size() == QSize(1000, 600)  # as left on a screen of this size
    QSettings().remove(key)  # another screen size: nothing remembered for it
    third = SessionEditorWindow(ctx, patient_id)
    qtbot.addWidget(third, before_close_func=lambda w: w.discard_and_close())
    assert third.size() == fitted_size(QSize(*PREFERRED_SIZE), area)


def test_place_window_centres_a_dialog_on_its_parent(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.setGeometry(100, 100, 900, 600)
    parent.show()
    dialog = QWidget(parent)
    dialog.setWindowFlag(Qt.WindowType.Dialog, True)
    placement = place_window(dialog, "a_dialog", 400, 300)
    assert not placement.restored
    assert dialog.size() == QSize(400, 300)
    assert abs(dialog.frameGeometry().center().x() - parent.frameGeometry().center().x()) <= 2
