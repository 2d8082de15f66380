"""Amending a signed session from the editor; the amendments in the editor and the chart."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dnt_desktop.services import records
from dnt_desktop.services.drafts import ConditionDraft, SessionDraft
from dnt_desktop.services.sessions import load_session, save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import DatabaseBusyError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session import signing
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.point_defaults import new_point_at

SIGNED_NOTES = "Familiar pain reproduced at the left calf."


@pytest.fixture
def signed_session(db: Database, clinic_accounts, consented_patient) -> int:
    """A session of Sam's, signed."""
    draft = SessionDraft(
        patient_id=consented_patient,
        practitioner_id=clinic_accounts.sam_id,
        started_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
        conditions=[ConditionDraft("neck_pain")],
        notes=SIGNED_NOTES,
        points=[new_point_at("back", 0.40, 0.83)],
    )
    session_id = save_session(db, clinic_accounts.sam_id, draft).session_id
    records.sign_session(db, clinic_accounts.sam_id, session_id, clinic_accounts.password)
    return session_id


@pytest.fixture
def kim_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, consented_patient
) -> MainWindow:
    window = open_main(ctx_of(clinic_accounts.kim_id))
    window.open_patient(consented_patient)
    return window


def open_signed(
    qtbot: QtBot, window: MainWindow, patient_id: int, session_id: int
) -> SessionEditorWindow:
    editor = window.open_session(patient_id, session_id)
    assert isinstance(editor, SessionEditorWindow)
    editor.resize(1366, 768)
    qtbot.waitExposed(editor)
    return editor


def test_an_amendment_added_in_the_editor_shows_there_and_in_the_chart(
    qtbot: QtBot,
    kim_window: MainWindow,
    db: Database,
    consented_patient: int,
    signed_session: int,
) -> None:
    editor = open_signed(qtbot, kim_window, consented_patient, signed_session)
    panel = editor.amendments_panel
    assert panel.isVisible()
    assert panel.title.text() == "Amendments: none"
    assert "Signature verified" in editor.signed_banner.text()

    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = editor.signing.amendment_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.save_button.isEnabled()  # nothing written yet
    qtbot.keyClicks(dialog.text, "Correction: the point was on the RIGHT calf.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert editor.signing.amendment_dialog is None
    assert panel.title.text() == "Amendments (1)"
    (shown,) = panel.list.items
    assert (shown.author_name, shown.text) == (
        "Kim Other",
        "Correction: the point was on the RIGHT calf.",
    )
    assert "Kim Other" in panel.list.toPlainText()
    assert "Correction: the point was on the RIGHT calf." in panel.list.toPlainText()

    history = kim_window.chart.history_tab
    row = history.model.row_of(signed_session)
    assert row is not None
    assert history.model.index(row, 5).data() == "Amended (1)"
    history.table.setCurrentIndex(history.model.index(row, 0))
    assert history.amendments_box.isVisible()
    assert "Kim Other" in history.amendments.toPlainText()
    assert "RIGHT calf" in history.amendments.toPlainText()

    assert records.signature_intact(db, signed_session) is True
    assert load_session(db, signed_session).notes == SIGNED_NOTES
    assert editor.notes.notes.toPlainText() == SIGNED_NOTES


def test_a_busy_database_keeps_the_amendment_text_for_another_try(
    qtbot: QtBot,
    kim_window: MainWindow,
    db: Database,
    consented_patient: int,
    signed_session: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = open_signed(qtbot, kim_window, consented_patient, signed_session)
    editor.amend_action.trigger()
    dialog = editor.signing.amendment_dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.text, "Addition: bruise resolved after 3 days.")

    def busy(*_args, **_kwargs):
        raise DatabaseBusyError("The database is busy. Nothing was lost: try again in a moment.")

    monkeypatch.setattr(signing.records, "amend_session", busy)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text().startswith("Not added: The database is busy.")
    assert dialog.text.toPlainText() == "Addition: bruise resolved after 3 days."
    assert records.amendments(db, signed_session) == []

    monkeypatch.undo()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert [a.text for a in records.amendments(db, signed_session)] == [
        "Addition: bruise resolved after 3 days."
    ]


def test_a_draft_has_no_amendments_panel(
    qtbot: QtBot, kim_window: MainWindow, consented_patient: int
) -> None:
    editor = kim_window.open_session(consented_patient)
    assert isinstance(editor, SessionEditorWindow)
    assert not editor.amendments_panel.isVisible()
    assert not editor.amend_action.isVisible()
    assert editor.signing.request_amendment() is None
