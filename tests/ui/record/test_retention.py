"""Retention on the chart, the administrator's list of records past retention, and a
disposal confirmed in the GUI."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from dnt_desktop.models import Patient
from dnt_desktop.services import accounts
from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.disposal import REMOVED
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.record.retention_dialog import RetentionDialog


@pytest.fixture
def admin_window(qtbot: QtBot, db):
    save_clinic(db, None, ClinicForm(name="Clinic"))
    admin = accounts.create_first_admin(db, PractitionerForm("Ada Admin", "ada"), "a-Long-pass-1")
    ctx = AppContext(db=db, practitioner_id=admin, practitioner_name="Ada Admin", is_admin=True)
    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    window.deleteLater()


def _registered_long_ago(db, pid: int, when: datetime) -> None:
    with db.transaction() as s:
        s.execute(update(Patient).where(Patient.id == pid).values(created_at=when))


def _facts(window: MainWindow) -> str:
    """The facts line as read: its parts are held together by no-break spaces."""
    return window.chart.facts_label.text().replace("\u00a0", " ")


def test_the_chart_shows_how_long_the_record_is_kept(admin_window: MainWindow, db) -> None:
    pid = register_patient(
        db, admin_window.ctx.practitioner_id, PatientForm("Ng", "Li", date(1980, 1, 2))
    )
    assert admin_window.open_patient(pid)
    registered = get_patient(db, pid).created_at.astimezone().date()
    expected = registered.replace(year=registered.year + 8)
    assert f"Kept until {format_date(expected)}" in _facts(admin_window)


def test_an_administrator_disposes_of_a_record_past_retention(
    qtbot: QtBot, admin_window: MainWindow, db, db_path, monkeypatch
) -> None:
    actor = admin_window.ctx.practitioner_id
    old = register_patient(db, actor, PatientForm("Olde", "Mary", date(1940, 5, 6), phone="0123"))
    recent = register_patient(db, actor, PatientForm("Newe", "Tom", date(1990, 5, 6)))
    _registered_long_ago(db, old, datetime(2010, 3, 1, tzinfo=UTC))
    dialog = admin_window.record_actions.open_retention()
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitExposed(dialog)
    assert [r.patient_id for r in dialog.rows] == [old]
    assert dialog.table.item(0, 1).text() == "Olde, Mary"
    assert recent not in [r.patient_id for r in dialog.rows]

    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)  # no reason yet
    assert "Say why" in dialog.errors.message("reason")
    qtbot.keyClicks(dialog.reason, "Annual review of records")
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, row: False)
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    assert get_patient(db, old).family_name == "Olde"  # cancelled: nothing removed
    asked = []
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, row: asked.append(row) or True)
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    assert [r.patient_id for r in asked] == [old]
    disposed = get_patient(db, old)
    assert (disposed.family_name, disposed.phone) == (REMOVED, "")
    assert dialog.rows == [] and dialog.empty.isVisible()
    assert check_database(sqlite_url(db_path)).ok
    dialog.close()
    assert admin_window.open_patient(old)
    assert "Anonymised" in _facts(admin_window)


def test_an_administrator_erases_a_record_completely(
    qtbot: QtBot, admin_window: MainWindow, db, db_path, monkeypatch
) -> None:
    """The settings offer erasing first; the confirmation counts what goes; the row
    disappears, the open chart closes, the register no longer lists the patient, the
    chart cannot be opened again, and the audit viewer still shows the tombstone."""
    from PySide6.QtWidgets import QMessageBox

    from dnt_desktop.services.audit_query import AuditFilters, list_events
    from dnt_desktop.services.disposal import DisposalKind
    from dnt_desktop.services.errors import NotFoundError
    from dnt_desktop.services.settings import settings_values
    from dnt_desktop.ui.record.retention_dialog import CHOICES

    actor = admin_window.ctx.practitioner_id
    old = register_patient(db, actor, PatientForm("Olde", "Mary", date(1940, 5, 6), phone="0123"))
    kept = register_patient(db, actor, PatientForm("Newe", "Tom", date(1990, 5, 6)))
    _registered_long_ago(db, old, datetime(2010, 3, 1, tzinfo=UTC))
    assert admin_window.open_patient(old)
    assert admin_window.chart.patient_id == old

    dialog = admin_window.record_actions.open_retention()
    assert isinstance(dialog, RetentionDialog)
    qtbot.waitExposed(dialog)
    assert dialog.kind() is DisposalKind.ANONYMISE  # the clinic's default
    assert dialog.choices[DisposalKind.ERASE].text() == CHOICES[DisposalKind.ERASE]
    erase = dialog.choices[DisposalKind.ERASE]
    qtbot.mouseClick(erase, Qt.MouseButton.LeftButton, pos=QPoint(8, erase.height() // 2))
    assert dialog.kind() is DisposalKind.ERASE
    assert "deletes all of it" in dialog.removed.text()
    assert "cannot be undone" in dialog.removed.text()
    qtbot.keyClicks(dialog.reason, "Annual review of records")

    said = dialog.confirm_text(dialog.rows[0])
    assert said is not None and "Erase the record of Olde, Mary" in said
    assert "Deleted for good: the patient's details (no other row)" in said
    assert "cannot be undone" in said
    monkeypatch.setattr(QMessageBox, "exec", lambda box: QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    assert get_patient(db, old).family_name == "Olde"  # cancelled: nothing removed
    asked = []
    monkeypatch.setattr(RetentionDialog, "confirm", lambda self, row: asked.append(row) or True)
    qtbot.mouseClick(dialog.dispose_button, Qt.MouseButton.LeftButton)
    assert [r.patient_id for r in asked] == [old]
    assert dialog.rows == [] and dialog.empty.isVisible()
    with pytest.raises(NotFoundError):
        get_patient(db, old)
    assert check_database(sqlite_url(db_path)).ok
    dialog.close()

    assert admin_window.chart.patient_id is None  # the open chart closed
    register = admin_window.register
    model = register.model
    shown = [
        model.index(r, c).data()
        for r in range(model.rowCount())
        for c in range(model.columnCount())
    ]
    assert not any("Olde" in str(text) for text in shown) and any("Newe" in str(t) for t in shown)
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: QMessageBox.StandardButton.Ok)
    assert not admin_window.open_patient(old)
    assert admin_window.open_patient(kept)
    (tomb,) = list_events(db, AuditFilters(action="erase"), actor_id=actor)
    assert tomb.patient_id == old and "Record erased" in tomb.summary

    settings = admin_window.open_settings()  # the clinic chooses erasing first
    combo = settings.combos["disposal_default"]
    combo.setCurrentIndex(combo.findData("erase"))
    assert combo.currentText() == "erasing it completely"
    qtbot.mouseClick(
        settings.buttons.button(settings.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    assert settings_values(db)["disposal_default"] == "erase"
    again = RetentionDialog(admin_window.ctx, admin_window)
    assert again.kind() is DisposalKind.ERASE
    again.close()


def test_a_recorded_death_moves_the_retention(qtbot: QtBot, admin_window: MainWindow, db) -> None:
    pid = register_patient(
        db, admin_window.ctx.practitioner_id, PatientForm("Ng", "Li", date(1980, 1, 2))
    )
    _registered_long_ago(db, pid, datetime(2020, 3, 1, tzinfo=UTC))
    assert admin_window.open_patient(pid)
    admin_window.record_actions.death_action.trigger()
    dialog = admin_window.record_actions.dialog
    qtbot.waitExposed(dialog)
    died = date.today() - timedelta(days=3)
    dialog.died_on.set_date(died)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert get_patient(db, pid).died_on == died
    assert f"Died {format_date(died)}" in _facts(admin_window)
    assert f"Kept until {format_date(died.replace(year=died.year + 8))}" in (_facts(admin_window))
