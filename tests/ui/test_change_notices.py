"""One operation, one typed notice: a saved session is announced once and read once."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from dnt_desktop.services.changes import Changes
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient import history_tab
from dnt_desktop.ui.session.editor_window import SessionEditorWindow


def test_saving_from_the_editor_sends_one_notice_and_reads_the_history_once(
    qtbot: QtBot,
    main_window: MainWindow,
    ctx: AppContext,
    patient_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert main_window.open_patient(patient_id)
    reads: list[int] = []
    real_history = history_tab.session_history

    def counted(db, pid):  # type: ignore[no-untyped-def]
        reads.append(pid)
        return real_history(db, pid)

    monkeypatch.setattr(history_tab, "session_history", counted)
    notices: list[Changes] = []
    ctx.hub.changed.connect(notices.append)

    editor = main_window.open_session(patient_id)
    assert isinstance(editor, SessionEditorWindow)
    editor.notes.notes.setPlainText("Tolerated well.")
    editor.request_save()
    if editor.alert_dialog is not None:  # the patient has no screening or consent yet
        editor.alert_dialog.read_box.setChecked(True)
        editor.alert_dialog.confirm_button.click()
    session_id = editor.session_id
    assert session_id is not None

    assert notices == [Changes.session(session_id, patient_id)]
    assert reads == [patient_id]
    assert [row.session_id for row in main_window.chart.history_tab.model.rows] == [session_id]
    editor.discard_and_close()
