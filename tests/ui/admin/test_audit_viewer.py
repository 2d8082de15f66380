"""The administrator's audit viewer: filters, pages, CSV export; hidden from others."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Patient
from dnt_desktop.services import accounts, audit
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.admin.audit_model import PAGE_SIZE
from dnt_desktop.ui.admin.audit_viewer import AuditViewer
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow


@pytest.fixture
def admin_window(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts, consented_patient
) -> MainWindow:
    accounts.authenticate(ctx_of(clinic_accounts.sam_id).db, "sam", clinic_accounts.password)
    return open_main(ctx_of(clinic_accounts.admin_id))


def open_viewer(qtbot: QtBot, window: MainWindow) -> AuditViewer:
    viewer = window.open_audit_trail()
    assert isinstance(viewer, AuditViewer)
    qtbot.waitExposed(viewer)
    return viewer


def choose(box: QComboBox, text: str) -> None:
    index = box.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, f"{text!r} not offered"
    box.setCurrentIndex(index)


def shown(viewer: AuditViewer, column: int) -> list[str]:
    model = viewer.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_admin_sees_the_trail_and_filters_by_action_and_user(
    qtbot: QtBot, admin_window: MainWindow, clinic_accounts
) -> None:
    titles = [a.text() for a in admin_window.menuBar().actions()]
    assert "&Administration" in titles
    viewer = open_viewer(qtbot, admin_window)
    assert viewer.model.rowCount() > 0
    assert viewer.count_label.text() == f"{viewer.model.total} events"
    assert "login" in shown(viewer, 2) and "create" in shown(viewer, 2)

    choose(viewer.action_box, "login")
    assert set(shown(viewer, 2)) == {"login"}
    assert shown(viewer, 1) == ["Sam Physio"]

    choose(viewer.action_box, "(any)")
    choose(viewer.user_box, "Alex Admin")
    assert set(shown(viewer, 1)) == {"Alex Admin"}
    assert "login" not in shown(viewer, 2)


def test_the_date_range_narrows_the_list(qtbot: QtBot, admin_window: MainWindow) -> None:
    viewer = open_viewer(qtbot, admin_window)
    today = QDate.currentDate()
    viewer.from_check.setChecked(True)
    viewer.to_check.setChecked(True)
    assert viewer.model.rowCount() > 0  # both ends today, included
    viewer.from_date.setDate(today.addDays(1))
    assert viewer.status.text() == "The end date is before the start date."
    viewer.to_date.setDate(today.addDays(2))
    assert viewer.model.rowCount() == 0
    assert viewer.count_label.text() == "No events match."
    viewer.from_check.setChecked(False)
    viewer.to_check.setChecked(False)
    assert viewer.model.rowCount() > 0


def test_the_patient_filter_finds_the_chart_number(
    qtbot: QtBot, admin_window: MainWindow, db: Database, consented_patient: int
) -> None:
    with db.reading() as session:
        chart = session.get(Patient, consented_patient).chart_number
    viewer = open_viewer(qtbot, admin_window)
    qtbot.keyClicks(viewer.patient_edit, chart)
    qtbot.keyClick(viewer.patient_edit, Qt.Key.Key_Return)

    assert viewer.patient_id == consented_patient
    assert "Doe, Jane" in viewer.patient_note.text()
    assert viewer.model.rowCount() == 2  # registered, consent recorded
    assert set(shown(viewer, 4)) == {f"Doe, Jane ({chart})"}


def test_more_events_are_fetched_as_the_list_scrolls(
    qtbot: QtBot, admin_window: MainWindow, db: Database, clinic_accounts
) -> None:
    with db.transaction() as session:
        for number in range(PAGE_SIZE + 30):
            audit.record(session, clinic_accounts.admin_id, "view", summary=f"event {number}")
    viewer = open_viewer(qtbot, admin_window)
    total = viewer.model.total
    assert viewer.model.rowCount() == PAGE_SIZE
    assert viewer.count_label.text() == f"Showing {PAGE_SIZE} of {total:,} events (scroll for more)"
    viewer.table.scrollToBottom()
    qtbot.waitUntil(lambda: viewer.model.rowCount() == total)
    assert viewer.count_label.text() == f"{total:,} events"
    assert len(set(viewer.model.rows)) == total


def test_export_writes_the_csv_and_is_audited(
    qtbot: QtBot,
    admin_window: MainWindow,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "trail"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), "CSV files (*.csv)")
    )
    viewer = open_viewer(qtbot, admin_window)
    choose(viewer.action_box, "login")
    qtbot.mouseClick(viewer.export_button, Qt.MouseButton.LeftButton)

    written = tmp_path / "trail.csv"
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:5] == ["id", "occurred_at_utc", "user", "user_name", "action"]
    assert [row[4] for row in rows[1:]] == ["login"]
    assert viewer.status.text() == f"Exported 1 event to {written}."
    with db.reading() as session:
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "export"
    assert str(written) in last.summary


def test_a_practitioner_has_no_administration_menu(
    open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts
) -> None:
    window = open_main(ctx_of(clinic_accounts.sam_id))
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Administration" not in titles
    assert window.admin_menu is None
    assert window.open_audit_trail() is None
    assert window.open_accounts() is None
    assert window.open_settings() is None
