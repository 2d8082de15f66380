"""The chart's Files tab: files dropped or chosen, refused with a message, viewed inside."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from dnt_desktop.services.attachments import attachments
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.chart_view import FILES_TAB
from dnt_desktop.ui.record.attachment_viewer import AttachmentViewer
from tests.sample_files import ELF_PROGRAM, pdf_bytes, png_bytes


@pytest.fixture
def files_tab(patient_id: int, main_window: MainWindow):
    assert main_window.open_patient(patient_id)
    main_window.chart.tabs.setCurrentIndex(FILES_TAB)
    return main_window.chart.files_tab


def drop(tab, paths: list[Path]) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    tab.dropEvent(event)


def test_a_dropped_pdf_is_listed_and_shown_as_pages(
    qtbot: QtBot, files_tab, tmp_path: Path, patient_id: int, main_window: MainWindow
) -> None:
    letter = tmp_path / "referral letter.pdf"
    letter.write_bytes(pdf_bytes("Referral from Dr Shah"))
    files_tab.kind.setCurrentIndex(files_tab.kind.findData("referral"))
    qtbot.keyClicks(files_tab.description, "from Dr Shah")
    drop(files_tab, [letter])
    assert files_tab.table.rowCount() == 1
    assert files_tab.table.item(0, 1).text() == "Referral letter"
    assert files_tab.table.item(0, 2).text() == "referral letter.pdf"
    assert files_tab.table.item(0, 6).text() == "from Dr Shah"
    assert not files_tab.message.isVisible()
    viewer = files_tab.view_selected()
    assert isinstance(viewer, AttachmentViewer)
    qtbot.waitExposed(viewer)
    assert viewer.page_count == 1
    assert "referral letter.pdf" in viewer.heading.text()
    viewer.close()


def test_a_file_chosen_in_the_dialog_is_added_and_an_image_shown(
    qtbot: QtBot, files_tab, tmp_path: Path, patient_id: int, ctx, monkeypatch
) -> None:
    photo = tmp_path / "wound.png"
    photo.write_bytes(png_bytes(40, 30))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *_a, **_k: ([str(photo)], ""))
    qtbot.mouseClick(files_tab.add_button, Qt.MouseButton.LeftButton)
    (info,) = attachments(ctx.db, patient_id)
    assert info.filename == "wound.png" and info.mime == "image/png"
    files_tab.table.setCurrentCell(0, 0)
    viewer = files_tab.view_selected()
    qtbot.waitExposed(viewer)
    assert viewer.page_count == 1 and not viewer.view.image.isNull()
    viewer.close()


def test_a_program_named_pdf_is_refused_with_a_message(
    files_tab, tmp_path: Path, patient_id: int, ctx
) -> None:
    fake = tmp_path / "invoice.pdf"
    fake.write_bytes(ELF_PROGRAM)
    assert files_tab.add_files([fake]) == 0
    assert files_tab.message.isVisible()
    assert "not a PDF, JPEG or PNG" in files_tab.message.text()
    assert attachments(ctx.db, patient_id) == []
    QApplication.processEvents()
