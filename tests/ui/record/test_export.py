"""Patient > Export complete record…: the reason asked, the zip written, the export audited."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.record.export_dialog import ExportDialog


def test_exporting_the_open_patient_from_the_menu(
    qtbot: QtBot, main_window: MainWindow, patient_id: int, ctx, tmp_path: Path
) -> None:
    actions = main_window.record_actions
    assert not actions.export_action.isEnabled()
    assert main_window.open_patient(patient_id)
    assert actions.export_action.isEnabled()
    actions.export_action.trigger()
    dialog = actions.dialog
    assert isinstance(dialog, ExportDialog)
    qtbot.waitExposed(dialog)
    assert dialog.path.text().endswith(".zip") and "Doe" in dialog.path.text()
    target = tmp_path / "jane.zip"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # no reason yet
    assert not target.exists()
    assert "Say why" in dialog.errors.message("reason")
    qtbot.keyClicks(dialog.reason, "Patient's request of 2 December")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert target.exists() and dialog.done_label.isVisible()
    assert str(target) in dialog.done_label.text()
    with zipfile.ZipFile(target) as archive:
        assert "record.pdf" in archive.namelist()
    with ctx.db.reading() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert event.patient_id == patient_id and event.actor_id == ctx.practitioner_id
    assert event.summary.endswith("Reason: Patient's request of 2 December")
    dialog.close()
