"""The Progress tab and its dialogs on the clinic's screen: inside it, nothing cut off,
readable aloud (``test_scaled`` runs this module again at 125 %)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.services.progress.measures import Answer, record_measure
from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    save_referrer,
    set_patient_referrer,
)
from dnt_desktop.ui.main_window import MainWindow

from .checks import accessibility_problems, frame_problems, tab_problems, text_problems
from .conftest import Scene
from .test_screens import settle


def check(window: QWidget) -> None:
    problems = frame_problems(window) + text_problems(window) + accessibility_problems(window)
    assert not problems, "\n".join(problems)


@pytest.fixture
def progress_window(qtbot: QtBot, scene: Scene, ctx_of) -> Iterator[MainWindow]:
    ctx = ctx_of(scene.accounts.sam_id)
    patient = scene.showcase.patient_id
    referrer, _ = save_referrer(
        ctx.db,
        ctx.practitioner_id,
        ReferrerForm("Dr Maximiliana Featherstonehaugh-Oyelaran", "Castle Hill Medical Practice"),
    )
    set_patient_referrer(ctx.db, ctx.practitioner_id, patient, referrer)
    answers = [Answer("Turning head to reverse the car", 3), Answer("Sleeping", 4)]
    record_measure(
        ctx.db, ctx.practitioner_id, patient, "psfs", date.today(), answers + [Answer("", None)] * 3
    )
    window = MainWindow(ctx)
    window.show()
    window.open_patient(patient)
    window.chart.tabs.setCurrentWidget(window.chart.progress_tab)
    yield window
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
        window.close()
        window.deleteLater()
    qtbot.wait(1)


def test_the_progress_tab_fits_and_every_tab_is_reachable(
    qtbot: QtBot, progress_window: MainWindow
) -> None:
    settle(qtbot, progress_window)
    check(progress_window)
    assert not tab_problems(progress_window)
    bar = progress_window.chart.tabs.tabBar()
    for index in range(bar.count()):  # each tab shown whole, or reachable by the arrows
        assert bar.tabRect(index).width() > 0
    tab = progress_window.chart.progress_tab
    assert tab.record_button.isVisible() and tab.letter_button.isVisible()


def test_the_measure_and_letter_dialogs_fit(qtbot: QtBot, progress_window: MainWindow) -> None:
    from dnt_desktop.ui.progress.letter_dialog import LetterDialog
    from dnt_desktop.ui.progress.letter_templates_dialog import LetterTemplatesDialog
    from dnt_desktop.ui.progress.measure_dialog import MeasureDialog
    from dnt_desktop.ui.progress.referrers_dialog import ReferrersDialog

    ctx = progress_window.ctx
    patient = progress_window.chart.patient_id
    assert patient is not None
    for dialog in (
        MeasureDialog(ctx, patient, "psfs", progress_window),
        MeasureDialog(ctx, patient, "groc", progress_window),
        LetterDialog(ctx, patient, "progress", progress_window),
        ReferrersDialog(ctx, progress_window),
        LetterTemplatesDialog(ctx, progress_window),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        settle(qtbot, dialog)
        check(dialog)
        dialog.done(0)
