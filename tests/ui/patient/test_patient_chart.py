"""The patient chart: alert banner, screening, consent, medical tab and session history."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ConsentMethod, ScreeningStatus, SessionStatus
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import clinical_state, record_consent, screenings
from dnt_desktop.services.drafts import (
    ConditionDraft,
    ConsentForm,
    PatientForm,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.services.rules import Alert, ConsentState, Level
from dnt_desktop.services.sessions import HistoryRow, save_session
from dnt_desktop.services.signed_consent import attach_signed_scan
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.chart_view import CONSENT_TAB, HISTORY_TAB, SCREENING_TAB
from dnt_desktop.ui.patient.history_model import HistoryModel
from dnt_desktop.ui.widgets.alert_banner import AlertBanner
from tests.sample_files import png_bytes

BLEEDING = "bleeding_anticoagulants"


@pytest.fixture
def chart_window(patient_id: int, main_window: MainWindow) -> MainWindow:
    """The main window with the fixture patient's chart open."""
    assert main_window.open_patient(patient_id)
    return main_window


def click(qtbot: QtBot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill_screening(qtbot: QtBot, window: MainWindow, present: dict[str, str]) -> None:
    """Open a new screening, answer every item (absent unless in *present*) and record it."""
    tab = window.chart.screening_tab
    window.chart.tabs.setCurrentIndex(SCREENING_TAB)
    click(qtbot, tab.new_button)
    for row in tab.rows:
        if row.code in present:
            click(qtbot, row.buttons[ScreeningStatus.PRESENT])
            qtbot.keyClicks(row.detail, present[row.code])
        else:
            click(qtbot, row.buttons[ScreeningStatus.ABSENT])
    click(qtbot, tab.record_button)


def record_consent_through_tab(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.chart.consent_tab
    window.chart.tabs.setCurrentIndex(CONSENT_TAB)
    click(qtbot, tab.record_button)
    click(qtbot, tab.written)
    click(qtbot, tab.save_consent_button)


# --- banner ----------------------------------------------------------------------------


def test_new_patient_banner_asks_for_screening_and_consent(chart_window: MainWindow) -> None:
    banner = chart_window.chart.banner
    assert banner.isVisible()
    assert banner.visible_text().splitlines() == [
        "DANGER: No informed consent on record: Record the patient's consent before the first "
        "needling.",
        "WARNING: No contraindication screening on record: Screen the patient before needling.",
    ]


def test_screening_with_anticoagulants_shows_the_bleeding_alert(
    qtbot: QtBot, chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    fill_screening(qtbot, chart_window, {BLEEDING: "Apixaban 5 mg"})

    stored = screenings(ctx.db, patient_id)
    assert len(stored) == 1
    answers = {a.code: (a.status, a.detail) for a in stored[0].answers}
    assert answers[BLEEDING] == (ScreeningStatus.PRESENT, "Apixaban 5 mg")
    assert all(s == ScreeningStatus.ABSENT for c, (s, _) in answers.items() if c != BLEEDING)

    text = chart_window.chart.banner.visible_text()
    label = catalogue.label_of("contraindication", BLEEDING)
    assert f"DANGER: {label}: Apixaban 5 mg" in text
    assert "No contraindication screening" not in text
    # The history shows the new screening, with who recorded it.
    tab = chart_window.chart.screening_tab
    assert tab.stack.currentIndex() == 0
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 1).text() == "Pat Practitioner"
    assert tab.table.item(0, 2).text() == f"Present: {label}"


def test_screening_needs_an_answer_for_every_item(
    qtbot: QtBot, chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    tab = chart_window.chart.screening_tab
    chart_window.chart.tabs.setCurrentIndex(SCREENING_TAB)
    click(qtbot, tab.new_button)
    click(qtbot, tab.rows[0].buttons[ScreeningStatus.ABSENT])
    click(qtbot, tab.record_button)

    assert tab.general.isVisible()
    missing = len(catalogue.contraindications()) - 1
    assert f"{missing} still without an answer" in tab.general.text()
    assert tab.rows[1].label.property("role") == "error"
    assert screenings(ctx.db, patient_id) == []
    assert chart_window.chart.unsaved_work() == ["a screening being filled in"]


def test_earlier_screenings_stay_listed_newest_first(
    qtbot: QtBot, chart_window: MainWindow
) -> None:
    fill_screening(qtbot, chart_window, {BLEEDING: "Warfarin"})
    fill_screening(qtbot, chart_window, {})
    tab = chart_window.chart.screening_tab
    assert tab.table.rowCount() == 2
    assert tab.table.item(0, 2).text() == "None present"
    assert tab.table.item(1, 2).text().startswith("Present: ")
    # The banner follows the latest screening only.
    assert "Bleeding" not in chart_window.chart.banner.visible_text()


def test_consent_record_and_withdraw_change_the_banner(
    qtbot: QtBot, chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    fill_screening(qtbot, chart_window, {})
    banner = chart_window.chart.banner
    assert "DANGER: No informed consent on record" in banner.visible_text()

    record_consent_through_tab(qtbot, chart_window)
    assert clinical_state(ctx.db, patient_id).consent == ConsentState.ACTIVE
    # the consent is recorded, but no signed copy is on file yet (issue 17)
    assert banner.alert_count() == 1
    assert "No signed consent on file" in banner.visible_text()
    signed = chart_window.chart.consent_tab.consents_shown()[0]
    attach_signed_scan(ctx.db, ctx.practitioner_id, signed.id, "form.png", png_bytes())
    chart_window.chart.show_patient(patient_id)
    assert banner.alert_count() == 0
    assert banner.visible_text().startswith("No contraindication present")
    assert banner.visible_text().endswith("consent on record")
    tab = chart_window.chart.consent_tab
    assert tab.table.item(0, 1).text() == "Written"
    assert tab.table.item(0, 4).text() == "Active"

    tab.table.setCurrentCell(0, 0)
    click(qtbot, tab.withdraw_button)
    qtbot.keyClicks(tab.withdraw_note, "Patient declined further needling")
    click(qtbot, tab.confirm_withdraw_button)

    assert clinical_state(ctx.db, patient_id).consent == ConsentState.WITHDRAWN
    today = date.today().isoformat()
    assert banner.visible_text() == (
        f"DANGER: Consent withdrawn: The patient withdrew consent to dry needling on {today}. "
        "Do not needle."
    )
    assert tab.table.item(0, 4).text().startswith("Withdrawn ")
    assert (
        tab.table.item(0, 4)
        .text()
        .endswith("by Pat Practitioner: Patient declined further needling")
    )
    assert not tab.withdraw_button.isEnabled()


def test_consent_form_requires_how_consent_was_given(
    qtbot: QtBot, chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    tab = chart_window.chart.consent_tab
    chart_window.chart.tabs.setCurrentIndex(CONSENT_TAB)
    click(qtbot, tab.record_button)
    tab.consented_on.clear()
    qtbot.keyClicks(tab.consented_on, "2999-01-01")
    click(qtbot, tab.save_consent_button)
    assert tab.record_errors.message("method").startswith("Choose how consent was given")

    click(qtbot, tab.verbal)
    click(qtbot, tab.save_consent_button)
    assert tab.record_errors.message("consented_on") == "The consent date is in the future."
    assert clinical_state(ctx.db, patient_id).consent == ConsentState.NONE


def test_banner_cannot_be_styled_away(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    previous = app.styleSheet()
    app.setStyleSheet("* { background: white; color: white; font-size: 4pt; }")
    try:
        banner = AlertBanner()
        qtbot.addWidget(banner)
        banner.set_alerts([Alert("x", Level.DANGER, "Consent withdrawn", "Do not needle.")])
        banner.resize(600, banner.heightForWidth(600))
        banner.show()
        image = banner.grab().toImage()
        assert banner.height() >= 30
        assert image.pixelColor(QPoint(300, 3)) == QColor(style.DANGER_BACKGROUND)
        assert image.pixelColor(QPoint(5, banner.height() // 2)) == QColor(style.DANGER_BACKGROUND)
    finally:
        app.setStyleSheet(previous)


# --- medical tab and unsaved work ------------------------------------------------------


def test_medical_tab_saves_medications(
    qtbot: QtBot, chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    tab = chart_window.chart.medical_tab
    assert not tab.save_button.isEnabled()
    qtbot.keyClicks(tab.editors["medications"], "Rivaroxaban 20 mg")
    assert tab.save_button.isEnabled()
    click(qtbot, tab.save_button)
    assert get_patient(ctx.db, patient_id).medications == "Rivaroxaban 20 mg"
    assert not tab.save_button.isEnabled()


def test_switching_patient_asks_before_losing_typed_text(
    qtbot: QtBot,
    chart_window: MainWindow,
    ctx: AppContext,
    patient_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = register_patient(
        ctx.db, ctx.practitioner_id, PatientForm("Roe", "Rick", date(1970, 1, 1))
    )
    qtbot.keyClicks(chart_window.chart.medical_tab.editors["allergies"], "Latex")
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Cancel
    )
    assert not chart_window.open_patient(other)
    assert chart_window.chart.patient_id == patient_id
    assert chart_window.chart.medical_tab.editors["allergies"].toPlainText() == "Latex"

    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard
    )
    assert chart_window.open_patient(other)
    assert chart_window.chart.name_label.text() == "Roe, Rick"


# --- session history -------------------------------------------------------------------


def add_session(ctx: AppContext, patient_id: int, days_ago: int, **changes: object) -> int:
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(days=days_ago)
    draft = SessionDraft(patient_id, ctx.practitioner_id, started, **changes)  # type: ignore[arg-type]
    return save_session(ctx.db, ctx.practitioner_id, draft).session_id


def history_cells(window: MainWindow) -> list[list[str]]:
    model = window.chart.history_tab.model
    return [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_session_history_lists_sessions_newest_first(
    patient_id: int, ctx: AppContext, main_window: MainWindow
) -> None:
    older = add_session(ctx, patient_id, 20, pain_before=7, pain_after=4)
    newer = add_session(
        ctx,
        patient_id,
        2,
        conditions=[ConditionDraft("neck_pain")],
        pain_before=5,
        side_effects=[SideEffectDraft("bruising")],
    )
    main_window.open_patient(patient_id)
    tab = main_window.chart.history_tab
    assert main_window.chart.tabs.currentIndex() == HISTORY_TAB
    assert [row.session_id for row in tab.model.rows] == [newer, older]
    first, second = history_cells(main_window)
    assert first[1] == catalogue.label_of("condition", "neck_pain")
    assert first[2:][:5] == ["0", "5 → –", "Bruising (mild)", "Draft", "–"]
    assert second[3] == "7 → 4"
    assert tab.summary.text() == "2 sessions, 2 drafts not yet signed"


def test_history_refreshes_when_a_session_is_saved_elsewhere(
    chart_window: MainWindow, ctx: AppContext, patient_id: int
) -> None:
    assert chart_window.chart.history_tab.model.rowCount() == 0
    session_id = add_session(ctx, patient_id, 0)
    ctx.hub.publish(Changes.session(session_id, patient_id))
    assert chart_window.chart.history_tab.model.rows[0].session_id == session_id


def test_history_model_shows_signed_and_aftercare() -> None:
    model = HistoryModel()
    model.set_rows(
        [
            HistoryRow(
                7,
                datetime(2025, 3, 4, 10, 30),
                "Neck pain",
                4,
                None,
                2,
                "",
                SessionStatus.SIGNED,
                "Pat Practitioner",
                True,
            )
        ]
    )
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells == [
        "04 Mar 2025 10:30",
        "Neck pain",
        "4",
        "– → 2",
        "None",
        "Signed",
        "Given",
        "Pat Practitioner",
    ]


# --- opening sessions (the editor is GUI-B's SessionEditorWindow) -----------------------


@pytest.fixture
def no_close_prompts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Editors left open at the end close without asking."""
    monkeypatch.setattr(
        QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard
    )


def test_enter_in_history_opens_the_session_once(
    qtbot: QtBot, patient_id: int, ctx: AppContext, main_window: MainWindow, no_close_prompts
) -> None:
    session_id = add_session(ctx, patient_id, 1)
    main_window.open_patient(patient_id)
    table = main_window.chart.history_tab.table
    table.setFocus()
    table.setCurrentIndex(main_window.chart.history_tab.model.index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(main_window.editors) == 1
    editor = main_window.editors[0].window
    assert editor.isVisible()
    assert main_window.editors[0].session_id == session_id

    main_window.open_selected_session()  # the same session again: raised, not opened twice
    assert len(main_window.editors) == 1
    assert main_window.editors[0].window is editor

    editor.close()
    qtbot.waitUntil(lambda: not main_window.editors, timeout=3000)


def test_ctrl_n_opens_a_new_session_for_the_open_patient(
    qtbot: QtBot, chart_window: MainWindow, patient_id: int, no_close_prompts
) -> None:
    chart_window.new_session_action.trigger()
    assert len(chart_window.editors) == 1
    assert chart_window.editors[0].patient_id == patient_id
    assert chart_window.editors[0].session_id is None
    chart_window.new_session_action.trigger()  # the unsaved new session is raised again
    assert len(chart_window.editors) == 1
    for entry in list(chart_window.editors):
        entry.window.close()
    qtbot.waitUntil(lambda: not chart_window.editors, timeout=3000)


def test_closing_the_main_window_closes_editors_first(
    qtbot: QtBot, chart_window: MainWindow
) -> None:
    chart_window.new_session_action.trigger()
    editor = chart_window.editors[0].window
    assert chart_window.close()
    assert not editor.isVisible()


def test_archived_patient_cannot_get_a_new_session(
    qtbot: QtBot, ctx: AppContext, main_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = register_patient(ctx.db, ctx.practitioner_id, PatientForm("Poe", "Al", date(1960, 1, 1)))
    record_consent(
        ctx.db, ctx.practitioner_id, pid, ConsentForm(date.today(), ConsentMethod.VERBAL)
    )
    main_window.register.show_archived.setChecked(True)
    main_window.open_patient(pid)
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    assert main_window.archive_patient(pid, True)
    assert main_window.chart.archived_label.isVisibleTo(main_window)
    assert not main_window.new_session_action.isEnabled()
    assert not main_window.chart.history_tab.new_button.isEnabled()


def test_the_chart_page_is_built_with_the_first_patient_and_tracks_the_session_selection(
    main_window: MainWindow, patient_id: int
) -> None:
    chart = main_window.chart
    assert chart.stack.count() == 1  # only the "No patient open" hint: the window came up fast
    assert "No patient open" in chart.stack.currentWidget().findChild(QLabel).text()
    assert chart.unsaved_work() == []
    assert not main_window.open_session_action.isEnabled()

    add_session(main_window.ctx, patient_id, days_ago=1)
    main_window.open_patient(patient_id)

    assert chart.stack.count() == 2 and chart.stack.currentIndex() == 1
    assert chart.tabs.currentIndex() == HISTORY_TAB
    table = chart.history_tab.table
    table.selectRow(0)
    assert main_window.open_session_action.isEnabled()
    table.clearSelection()
    table.setCurrentIndex(table.model().index(-1, -1))
    assert not main_window.open_session_action.isEnabled()


# --- quitting with an editor open ----------------------------------------------------------


def _editor_with_changes(qtbot: QtBot, window: MainWindow, patient_id: int):
    window.open_patient(patient_id)
    editor = window.open_session(patient_id)
    qtbot.waitExposed(editor)
    box = editor.treatment.conditions.boxes["back_pain"]
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert box.isChecked() and editor.has_unsaved_changes
    return editor


def _answer_close_prompt(qtbot: QtBot, editor, button: QMessageBox.StandardButton) -> None:
    qtbot.waitUntil(lambda: editor.close_prompt is not None and editor.close_prompt.isVisible())
    qtbot.mouseClick(editor.close_prompt.button(button), Qt.MouseButton.LeftButton)


def test_quitting_asks_the_editor_then_closes_once_it_is_answered(
    qtbot: QtBot, main_window: MainWindow, patient_id: int
) -> None:
    editor = _editor_with_changes(qtbot, main_window, patient_id)

    assert main_window.close() is False  # the editor asks first
    _answer_close_prompt(qtbot, editor, QMessageBox.StandardButton.Discard)

    qtbot.waitUntil(lambda: not main_window.isVisible(), timeout=3000)
    assert main_window.editors == []


def test_cancelling_the_editors_question_cancels_quitting(
    qtbot: QtBot, main_window: MainWindow, patient_id: int
) -> None:
    editor = _editor_with_changes(qtbot, main_window, patient_id)

    assert main_window.close() is False
    _answer_close_prompt(qtbot, editor, QMessageBox.StandardButton.Cancel)

    assert editor.isVisible() and main_window.isVisible()
    assert "Closing cancelled" in main_window.statusBar().currentMessage()
    # Closing the editor later on its own leaves the main window open.
    editor.close()
    _answer_close_prompt(qtbot, editor, QMessageBox.StandardButton.Discard)
    qtbot.waitUntil(lambda: not main_window.editors, timeout=3000)
    QApplication.processEvents()
    assert main_window.isVisible()
