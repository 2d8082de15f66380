"""The record's screens (issue 17) fit the clinic's screen, read in full and can be named
by a screen reader: the Files tab, the viewer, export, consent signing, consent text,
retention and the date of death."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from dnt_desktop.demo.past_retention import add_past_retention
from dnt_desktop.services.attachments import add_attachment
from dnt_desktop.ui.patient.chart_view import FILES_TAB
from tests.sample_files import pdf_bytes

from .conftest import Scene
from .test_screens import check, main_of, settle  # noqa: F401  (main_of: a fixture)


def test_the_files_tab_and_the_viewer_fit(qtbot: QtBot, scene: Scene, main_of) -> None:  # noqa: F811
    window = main_of(scene.accounts.sam_id)
    patient = scene.showcase.patient_id
    add_attachment(
        window.ctx.db,
        scene.accounts.sam_id,
        patient,
        "referral letter.pdf",
        pdf_bytes(),
        kind="referral",
    )
    window.open_patient(patient)
    window.chart.tabs.setCurrentIndex(FILES_TAB)
    settle(qtbot, window)
    check(window)
    window.chart.files_tab.table.setCurrentCell(0, 0)
    viewer = window.chart.files_tab.view_selected()
    assert viewer is not None
    settle(qtbot, viewer)
    check(viewer)
    viewer.close()


def _dialogs(window) -> list[QDialog]:
    actions = window.record_actions
    bar = window.chart.consent_tab.signed_bar
    return [
        actions.export_current,
        bar.sign_on_screen,
        bar.print_form,
        actions.record_death,
    ]


def test_the_patients_record_dialogs_fit(qtbot: QtBot, scene: Scene, main_of) -> None:  # noqa: F811
    window = main_of(scene.accounts.sam_id)
    window.open_patient(scene.showcase.patient_id)
    settle(qtbot, window)
    for open_dialog in _dialogs(window):
        dialog = open_dialog()
        assert dialog is not None, open_dialog
        settle(qtbot, dialog)
        check(dialog)
        dialog.done(0)


def test_the_administrators_record_dialogs_fit(qtbot: QtBot, scene: Scene, main_of) -> None:  # noqa: F811
    window = main_of(scene.accounts.admin_id)
    add_past_retention(window.ctx.db)
    for open_dialog in (
        window.record_actions.open_retention,
        window.record_actions.edit_consent_text,
    ):
        dialog = open_dialog()
        assert dialog is not None
        settle(qtbot, dialog)
        check(dialog)
        dialog.done(0)
