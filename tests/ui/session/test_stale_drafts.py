"""Unsigned sessions older than the clinic's limit are listed after sign-in, for their
practitioner only; a double-click opens one, and signing it takes it off the list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dnt_desktop.services import records
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.drafts import ConditionDraft, SessionDraft
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.point_defaults import new_point_at


def draft(db: Database, patient_id: int, practitioner_id: int, days_ago: int) -> int:
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(days=days_ago)
    session = SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=started,
        conditions=[ConditionDraft("neck_pain")],
        points=[new_point_at("back", 0.40, 0.83)],
    )
    return save_session(db, practitioner_id, session).session_id


@pytest.fixture
def drafts(db: Database, clinic_accounts, consented_patient) -> dict[str, int]:
    """Sam: drafts of 9 and 4 days and one of today; Kim: one of 6 days."""
    sam, kim = clinic_accounts.sam_id, clinic_accounts.kim_id
    return {
        "sam_old": draft(db, consented_patient, sam, 9),
        "sam_4": draft(db, consented_patient, sam, 4),
        "sam_today": draft(db, consented_patient, sam, 0),
        "kim_6": draft(db, consented_patient, kim, 6),
    }


def test_old_drafts_are_listed_for_their_practitioner_only(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, drafts
) -> None:
    sam = open_main(ctx_of(clinic_accounts.sam_id))
    banner = sam.stale_drafts
    assert banner.isVisible()
    assert (
        banner.title.text() == "2 of your sessions are still unsigned (the oldest is 9 days old)."
    )
    assert [item.session_id for item in banner.items] == [drafts["sam_old"], drafts["sam_4"]]
    assert banner.table.rowCount() == 2
    assert banner.table.item(0, 1).text() == "Doe, Jane"
    assert banner.table.item(0, 3).text() == "9 days"

    kim = open_main(ctx_of(clinic_accounts.kim_id))
    assert [item.session_id for item in kim.stale_drafts.items] == [drafts["kim_6"]]
    assert kim.stale_drafts.title.text().startswith("1 of your sessions is still unsigned")

    admin = open_main(ctx_of(clinic_accounts.admin_id))
    assert not admin.stale_drafts.isVisible()


def test_a_double_click_opens_the_draft_and_signing_it_takes_it_off_the_list(
    qtbot: QtBot,
    open_main: Callable[[AppContext], MainWindow],
    ctx_of,
    db: Database,
    clinic_accounts,
    drafts,
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    table = window.stale_drafts.table
    rect = table.visualRect(table.model().index(1, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    (entry,) = window.editors
    editor = entry.window
    assert isinstance(editor, SessionEditorWindow)
    assert editor.session_id == drafts["sam_4"]

    records.sign_session(db, clinic_accounts.sam_id, drafts["sam_4"], clinic_accounts.password)
    window.ctx.hub.publish(Changes.session(drafts["sam_4"], entry.patient_id))
    assert [item.session_id for item in window.stale_drafts.items] == [drafts["sam_old"]]

    records.sign_session(db, clinic_accounts.sam_id, drafts["sam_old"], clinic_accounts.password)
    window.ctx.hub.publish(Changes.session(drafts["sam_old"], entry.patient_id))
    assert not window.stale_drafts.isVisible()


def test_the_reminder_can_be_folded_and_dismissed_without_blocking_work(
    qtbot: QtBot, open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, drafts
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    banner = window.stale_drafts
    qtbot.mouseClick(banner.toggle_button, Qt.MouseButton.LeftButton)
    assert not banner.table.isVisible() and banner.toggle_button.text() == "Show list"
    qtbot.mouseClick(banner.toggle_button, Qt.MouseButton.LeftButton)
    assert banner.table.isVisible()

    qtbot.keyClicks(window.register.search_box, "doe")  # the register works meanwhile
    qtbot.mouseClick(banner.dismiss_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert window.register.search_box.text() == "doe"
