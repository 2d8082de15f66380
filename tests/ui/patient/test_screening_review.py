"""Screening as a physiotherapist expects it: no pregnancy question for a man, "None of
these" for a patient with nothing to declare, and an old screening flagged for review."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ScreeningStatus, Sex
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import record_screening, screenings
from dnt_desktop.services.drafts import PatientForm, ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.rules import screening_questions
from dnt_desktop.services.settings import set_setting, settings_values
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.chart_view import SCREENING_TAB


def click(qtbot: QtBot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_man_is_not_asked_about_pregnancy_and_none_of_these_answers_the_rest(
    qtbot: QtBot, db: Database, practitioner_id: int, main_window: MainWindow
) -> None:
    man = register_patient(
        db, practitioner_id, PatientForm("Roe", "John", date(1970, 1, 1), sex=Sex.MALE)
    )
    main_window.open_patient(man)
    main_window.show_tab(SCREENING_TAB)
    tab = main_window.chart.screening_tab
    click(qtbot, tab.new_button)
    shown = [row.code for row in tab.rows if row.label.isVisible()]
    assert "pregnancy" not in shown
    assert shown == [item.code for item in screening_questions(Sex.MALE)]

    anticoagulants = tab.rows[0]
    click(qtbot, anticoagulants.buttons[ScreeningStatus.PRESENT])
    qtbot.keyClicks(anticoagulants.detail, "Rivaroxaban")
    click(qtbot, tab.none_button)  # the others: absent, the answer given stays
    assert anticoagulants.status() == ScreeningStatus.PRESENT
    assert all(row.status() == ScreeningStatus.ABSENT for row in tab.asked_rows()[1:])
    click(qtbot, tab.record_button)

    (stored,) = screenings(db, man)
    answers = {a.code: a.status for a in stored.answers}
    assert "pregnancy" not in answers
    assert answers["bleeding_anticoagulants"] == ScreeningStatus.PRESENT
    assert "Rivaroxaban" in main_window.chart.banner.visible_text()


def test_a_woman_is_asked_every_question(
    qtbot: QtBot, db: Database, practitioner_id: int, main_window: MainWindow
) -> None:
    woman = register_patient(
        db, practitioner_id, PatientForm("Roe", "Jane", date(1972, 1, 1), sex=Sex.FEMALE)
    )
    main_window.open_patient(woman)
    main_window.show_tab(SCREENING_TAB)
    tab = main_window.chart.screening_tab
    click(qtbot, tab.new_button)
    assert [row.code for row in tab.rows if row.label.isVisible()] == [
        item.code for item in catalogue.contraindications()
    ]


def _screen(db: Database, practitioner_id: int, patient_id: int, when: datetime) -> int:
    answers = [
        ScreeningAnswerForm(item.code, ScreeningStatus.ABSENT)
        for item in catalogue.contraindications()
    ]
    return record_screening(
        db, practitioner_id, patient_id, ScreeningForm(answers, screened_at=when)
    )


def test_a_screening_older_than_the_setting_is_flagged_for_review_on_the_chart(
    qtbot: QtBot, db: Database, practitioner_id: int, patient_id: int, main_window: MainWindow
) -> None:
    _screen(db, practitioner_id, patient_id, datetime.now(UTC) - timedelta(days=400))
    main_window.open_patient(patient_id)
    banner = main_window.chart.banner.visible_text()
    assert "WARNING: Screening due for review" in banner
    assert "the clinic reviews every 12 months" in banner
    main_window.show_tab(SCREENING_TAB)
    state = main_window.chart.screening_tab.empty_label
    assert state.isVisible() and state.text().startswith("Due for review")

    # The clinic reviews every 24 months: not due any more (the chart follows the setting).
    admin_id = practitioner_id
    from dnt_desktop.models import Practitioner
    from dnt_desktop.models.enums import Role

    with db.transaction() as session:
        session.get(Practitioner, admin_id).role = Role.ADMIN
    main_window.ctx.hub.publish(set_setting(db, admin_id, "screening_review_months", "24"))
    assert "due for review" not in main_window.chart.banner.visible_text()
    assert not state.isVisible()
    assert settings_values(db)["screening_review_months"] == "24"

    # A fresh screening clears it whatever the interval.
    set_setting(db, admin_id, "screening_review_months", "6")
    screening_id = _screen(db, practitioner_id, patient_id, datetime.now(UTC))
    main_window.ctx.hub.publish(Changes.screening(screening_id, patient_id))
    assert "due for review" not in main_window.chart.banner.visible_text()


def test_administrators_set_the_review_interval_in_settings(
    qtbot: QtBot, open_main, ctx_of, clinic_accounts, db: Database
) -> None:
    window = open_main(ctx_of(clinic_accounts.admin_id))
    dialog = window.open_settings()
    assert dialog is not None
    spin = dialog.spins["screening_review_months"]
    assert spin.value() == 12
    spin.setValue(18)
    dialog.save()
    assert settings_values(db)["screening_review_months"] == "18"
