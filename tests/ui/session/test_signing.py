"""Signing a session in the editor with the password, and what a signed session allows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QToolBar
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, TreatmentSession
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.services import records
from dnt_desktop.services.drafts import ConditionDraft, PatientForm, SessionDraft
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.point_defaults import new_point_at

CALF = ("back", 0.40, 0.83)


def save_draft(db: Database, patient_id: int, practitioner_id: int, notes: str = "") -> int:
    draft = SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
        conditions=[ConditionDraft("neck_pain")],
        pain_before=6,
        pain_after=3,
        notes=notes,
        points=[new_point_at(*CALF)],
    )
    return save_session(db, practitioner_id, draft).session_id


def status_of(db: Database, session_id: int) -> SessionStatus:
    with db.reading() as session:
        row = session.get(TreatmentSession, session_id)
        assert row is not None
        return row.status


def last_action(db: Database) -> str:
    with db.reading() as session:
        return session.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first()


def editor_of(
    qtbot: QtBot, window: MainWindow, patient_id: int, session_id: int | None
) -> SessionEditorWindow:
    editor = window.open_session(patient_id, session_id)
    assert isinstance(editor, SessionEditorWindow)
    editor.resize(1366, 768)
    qtbot.waitExposed(editor)
    with qtbot.waitActive(editor):
        editor.activateWindow()
    return editor


def confirm_alerts_if_asked(qtbot: QtBot, editor: SessionEditorWindow) -> None:
    dialog = editor.alert_dialog
    if dialog is not None and dialog.isVisible():
        box = dialog.read_box
        qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)


def enter_password(qtbot: QtBot, editor: SessionEditorWindow, password: str) -> None:
    dialog = editor.signing.password_dialog
    assert dialog is not None and dialog.isVisible(), "the password dialog did not open"
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)


@pytest.fixture
def sam_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, consented_patient
) -> MainWindow:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    window.open_patient(consented_patient)
    return window


def test_signing_saves_first_asks_the_password_and_turns_the_editor_read_only(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts, consented_patient
) -> None:
    session_id = save_draft(db, consented_patient, clinic_accounts.sam_id, "Draft notes.")
    editor = editor_of(qtbot, sam_window, consented_patient, session_id)
    assert editor.sign_action.isVisible() and editor.sign_action.isEnabled()
    assert not editor.amend_action.isVisible()
    editor.notes.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor.notes.notes, " Added just before signing.")
    assert editor.has_unsaved_changes

    editor.sign_action.trigger()
    confirm_alerts_if_asked(qtbot, editor)
    assert not editor.has_unsaved_changes  # saved before the password is asked
    enter_password(qtbot, editor, "not my password")
    dialog = editor.signing.password_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.message.text() == "The password is wrong. Check Caps Lock and try again."
    assert status_of(db, session_id) == SessionStatus.DRAFT
    assert last_action(db) == "sign_failed"
    assert not editor.is_read_only

    enter_password(qtbot, editor, clinic_accounts.password)
    assert editor.signing.password_dialog is None
    assert editor.is_read_only
    assert editor.signed_banner.isVisible()
    assert "Signed by Sam Physio on" in editor.signed_banner.text()
    assert "Signature verified" in editor.signed_banner.text()
    assert not editor.save_action.isEnabled() and not editor.save_action.isVisible()
    assert not editor.sign_action.isVisible()
    assert editor.amend_action.isVisible() and editor.amend_action.isEnabled()
    assert editor.notes.notes.isReadOnly()
    assert status_of(db, session_id) == SessionStatus.SIGNED
    assert records.signature_intact(db, session_id) is True
    assert last_action(db) == "sign"
    with db.reading() as session:
        row = session.get(TreatmentSession, session_id)
        assert row is not None and row.notes == "Draft notes. Added just before signing."
    history = sam_window.chart.history_tab.model
    assert history.rows[history.row_of(session_id)].status == SessionStatus.SIGNED


def test_a_new_session_is_saved_then_signed(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts, consented_patient
) -> None:
    editor = editor_of(qtbot, sam_window, consented_patient, None)
    chart = editor.points.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.to_widget(*CALF).toPoint())
    editor.treatment.conditions.boxes["neck_pain"].setChecked(True)
    toolbar = editor.findChild(QToolBar, "session_toolbar")
    button = toolbar.widgetForAction(editor.sign_action)
    assert button is not None and button.isVisible() and button.text() == "Sign"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    confirm_alerts_if_asked(qtbot, editor)
    enter_password(qtbot, editor, clinic_accounts.password)

    assert editor.session_id is not None
    assert editor.is_read_only
    assert status_of(db, editor.session_id) == SessionStatus.SIGNED


def test_only_the_sessions_own_practitioner_can_sign(
    qtbot: QtBot,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    db: Database,
    clinic_accounts,
    consented_patient,
) -> None:
    session_id = save_draft(db, consented_patient, clinic_accounts.sam_id)
    window = open_main(ctx_of(clinic_accounts.kim_id))
    editor = editor_of(qtbot, window, consented_patient, session_id)

    assert editor.sign_action.isVisible()
    assert not editor.sign_action.isEnabled()
    assert editor.sign_action.toolTip() == "Only Sam Physio, who charted this session, can sign it."
    editor.signing.request_sign()
    assert editor.signing.password_dialog is None
    assert status_of(db, session_id) == SessionStatus.DRAFT


def test_without_consent_the_session_stays_a_draft_and_says_why(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts
) -> None:
    patient = register_patient(
        db, clinic_accounts.sam_id, PatientForm("Roe", "Richard", date(1970, 1, 2))
    )
    session_id = save_draft(db, patient, clinic_accounts.sam_id, "Needled without consent.")
    editor = editor_of(qtbot, sam_window, patient, session_id)
    editor.sign_action.trigger()
    enter_password(qtbot, editor, clinic_accounts.password)

    assert not editor.is_read_only
    assert editor.message_bar.isVisible()
    assert editor.message_bar.text().startswith("Not signed – please fix:")
    assert "consent is not on record" in editor.message_bar.text()
    assert editor.notes.notes.toPlainText() == "Needled without consent."
    assert status_of(db, session_id) == SessionStatus.DRAFT


def test_a_signed_session_offers_no_way_to_change_it(
    qtbot: QtBot, sam_window: MainWindow, db: Database, clinic_accounts, consented_patient
) -> None:
    session_id = save_draft(db, consented_patient, clinic_accounts.sam_id, "Signed text.")
    records.sign_session(db, clinic_accounts.sam_id, session_id, clinic_accounts.password)
    editor = editor_of(qtbot, sam_window, consented_patient, session_id)

    assert editor.is_read_only
    assert not editor.save_action.isEnabled()
    assert not editor.sign_action.isVisible()
    qtbot.keyClicks(editor.notes.notes, "more")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    chart = editor.points.chart
    qtbot.mouseClick(
        chart, Qt.MouseButton.LeftButton, pos=chart.to_widget("front", 0.4, 0.26).toPoint()
    )
    assert editor.notes.notes.toPlainText() == "Signed text."
    assert editor.points.model.rowCount() == 1
    assert not editor.has_unsaved_changes
    assert last_action(db) == "sign"
    assert records.signature_intact(db, session_id) is True
