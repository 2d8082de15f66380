"""Text limits and impossible values as the user meets them: what does not fit is not
added and the field says so; a refused value is explained next to its field."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from dnt_desktop.models import Patient
from dnt_desktop.services import field_limits
from dnt_desktop.services.patients import get_patient
from dnt_desktop.services.sessions import session_history
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.patient.form_dialog import PatientFormDialog
from dnt_desktop.ui.session.editor_window import NOTES_TAB, SessionEditorWindow
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit, LimitedPlainTextEdit

HUGE = "Q" * 100_000


@pytest.fixture
def patient_dialog(qtbot: QtBot, ctx: AppContext) -> Iterator:
    def make(patient_id: int | None = None) -> PatientFormDialog:
        dialog = PatientFormDialog(ctx, patient_id)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    yield make


@pytest.fixture
def editor(qtbot: QtBot, ctx: AppContext, patient_id: int) -> SessionEditorWindow:
    window = SessionEditorWindow(ctx, patient_id)
    qtbot.addWidget(window, before_close_func=lambda w: w.discard_and_close())
    window.resize(1366, 768)
    with qtbot.waitExposed(window):
        window.show()
    return window


def paste(widget: QWidget, text: str) -> None:
    QApplication.clipboard().setText(text)
    widget.setFocus()
    widget.paste()  # type: ignore[attr-defined]


def test_every_text_field_of_a_form_has_the_services_limit(patient_dialog, qtbot: QtBot) -> None:
    dialog = patient_dialog()
    limits = field_limits.FIELD_LIMITS["patient"]
    seen = set()
    for edit in dialog.findChildren(LimitedLineEdit) + dialog.findChildren(LimitedPlainTextEdit):
        name = next(n for n in limits if getattr(dialog, n, None) is edit)
        assert edit.limit == limits[name]
        if isinstance(edit, LimitedLineEdit):
            assert edit.maxLength() == limits[name].max_length
        seen.add(name)
    assert seen == set(limits)


def test_a_100000_character_paste_into_a_name_is_cut_with_a_note(
    patient_dialog, ctx: AppContext, qtbot: QtBot
) -> None:
    dialog = patient_dialog()
    paste(dialog.family_name, HUGE)
    assert dialog.family_name.text() == "Q" * 100
    assert dialog.family_name.property("limitNotice") == (
        "At most 100 characters: the rest was not added."
    )
    qtbot.keyClicks(dialog.given_name, "Jane")
    qtbot.keyClicks(dialog.date_of_birth, "17.05.1980")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert get_patient(ctx.db, dialog.patient_id).family_name == "Q" * 100


def test_a_long_box_adds_only_what_fits_and_counts(patient_dialog, qtbot: QtBot) -> None:
    dialog = patient_dialog()
    paste(dialog.address, HUGE)
    assert len(dialog.address.toPlainText()) == 500
    assert dialog.address.counter.isVisible()
    assert dialog.address.notice() == (
        "500 / 500 characters · At most 500 characters: 99,500 characters were not added."
    )
    qtbot.keyClick(dialog.address, Qt.Key.Key_Backspace)
    assert dialog.address.notice() == "499 / 500 characters"
    dialog.address.clear()
    assert not dialog.address.counter.isVisible()


def test_typing_past_the_lines_of_a_printed_box_is_refused_with_a_note(
    editor: SessionEditorWindow, qtbot: QtBot
) -> None:
    editor.tabs.setCurrentIndex(NOTES_TAB)
    box = editor.aftercare.stretches
    box.setFocus()
    for _ in range(29):
        qtbot.keyClicks(box, "Stretch")
        qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClicks(box, "Last")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert box.toPlainText().count("\n") == 29
    assert "At most 30 lines: 1 character was not added." in box.notice()


def test_a_name_stored_before_the_limits_is_shown_whole_and_refused_by_the_field(
    patient_dialog,
    db: Database,
    patient_id: int,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    with db.transaction() as session:
        session.execute(update(Patient).values(family_name="L" * 150))
    dialog = patient_dialog(patient_id)
    assert dialog.family_name.text() == "L" * 150  # nothing cut behind the user's back
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message("family_name") == (
        "The family name can have at most 100 characters (150 were entered): shorten it."
    )
    dialog.family_name.setFocus()
    dialog.family_name.end(False)
    qtbot.keyClick(dialog.family_name, Qt.Key.Key_Backspace)
    assert len(dialog.family_name.text()) == 149  # deleting works; typing more does not
    qtbot.keyClicks(dialog.family_name, "x")
    assert len(dialog.family_name.text()) == 149


def test_a_consent_dated_1800_is_explained_under_its_date(
    qtbot: QtBot, main_window, patient_id: int
) -> None:
    from dnt_desktop.ui.patient.chart_view import CONSENT_TAB

    assert main_window.open_patient(patient_id)
    tab = main_window.chart.consent_tab
    main_window.chart.tabs.setCurrentIndex(CONSENT_TAB)
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    tab.consented_on.clear()
    qtbot.keyClicks(tab.consented_on, "01.01.1800")
    qtbot.mouseClick(tab.verbal, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.save_consent_button, Qt.MouseButton.LeftButton)
    assert tab.record_errors.message("consented_on") == (
        "The consent date cannot be before 1900: check the year."
    )


def test_session_dates_are_explained_next_to_their_fields(
    editor: SessionEditorWindow, ctx: AppContext, patient_id: int
) -> None:
    editor.header.started_edit.setDateTime(QDateTime(QDate(2100, 1, 1), QTime(9, 0)))
    editor.aftercare.has_next.setChecked(True)
    editor.aftercare.next_edit.setDateTime(QDateTime(QDate(2099, 6, 1), QTime(9, 0)))
    editor.request_save()
    assert editor.header.errors.message("started_at").startswith(
        "The session date is more than a day in the future"
    )
    assert editor.aftercare.errors.message("next_appointment") == (
        "The next appointment is not after this session: check its date and time."
    )
    assert editor.tabs.currentWidget() is editor.section(NOTES_TAB)
    assert session_history(ctx.db, patient_id) == []

    editor.header.started_edit.setDateTime(QDateTime(QDate(2026, 11, 20), QTime(9, 0)))
    editor.aftercare.next_edit.setDateTime(QDateTime(QDate(2026, 11, 27), QTime(9, 0)))
    editor.request_save()
    assert editor.header.errors.message("started_at") == ""
    assert editor.aftercare.errors.message("next_appointment") == ""
    assert editor.alert_dialog is not None  # no consent on record: confirm, then saved
    editor.alert_dialog.read_box.setChecked(True)
    editor.alert_dialog.accept()
    assert len(session_history(ctx.db, patient_id)) == 1


def test_date_editors_offer_no_year_local_time_cannot_hold(editor: SessionEditorWindow) -> None:
    for edit in (editor.header.started_edit, editor.aftercare.next_edit):
        assert edit.minimumDate() == QDate(1970, 1, 3)
        assert edit.maximumDate() == QDate(2200, 12, 31)
        edit.setDateTime(QDateTime(QDate(9999, 12, 31), QTime(23, 59)))
        assert edit.date().year() == 2200


def test_a_nul_character_in_the_notes_is_explained_not_a_crash(
    editor: SessionEditorWindow, ctx: AppContext, patient_id: int
) -> None:
    editor.notes.notes.setPlainText("Tolerated well.\x00")
    editor.request_save()
    assert editor.notes.errors.message("notes") == (
        "There is a character in the clinical notes that cannot be stored (a NUL character "
        "(U+0000) at position 16): delete it and type the text again."
    )
    assert session_history(ctx.db, patient_id) == []


def test_the_point_table_offers_only_needles_that_exist(
    editor: SessionEditorWindow, qtbot: QtBot
) -> None:
    from dnt_desktop.models import catalogue
    from dnt_desktop.ui.session.points_model import PointColumn

    editor.points.add_button.click()
    table = editor.points.table
    index = table.model().index(0, PointColumn.NEEDLE_LENGTH_MM)
    table.edit(index)
    box = table.findChild(QWidget, "needle_length_editor")
    offered = [box.itemData(i) for i in range(box.count())]
    assert tuple(offered) == catalogue.needle_sizes().lengths_mm
    box.setEditText("600")
    table.commitData(box)
    assert "There is no 600 mm needle" in str(index.data(Qt.ItemDataRole.ToolTipRole))
    assert "Point 1: There is no 600 mm needle" in editor.points.message_label.text()


def test_a_session_dated_9999_before_the_rules_opens_and_is_refused_on_saving(
    qtbot: QtBot, ctx: AppContext, patient_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from sqlalchemy import text

    from dnt_desktop.services.drafts import SessionDraft
    from dnt_desktop.services.sessions import save_session

    draft = SessionDraft(patient_id, ctx.practitioner_id, datetime(2026, 11, 20, 9, tzinfo=UTC))
    session_id = save_session(ctx.db, ctx.practitioner_id, draft).session_id
    with ctx.db.transaction() as session:
        session.execute(text("UPDATE treatment_session SET started_at = '9999-12-31 23:59:00'"))
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: local time overflows
    time.tzset()
    try:
        window = SessionEditorWindow(ctx, patient_id, session_id)
        qtbot.addWidget(window, before_close_func=lambda w: w.discard_and_close())
        window.show()
        assert window.header.started_edit.date().year() == 2200  # the editor's last year
        window.request_save()
        assert window.header.errors.message("started_at").startswith(
            "The session date is more than a day in the future"
        )
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
