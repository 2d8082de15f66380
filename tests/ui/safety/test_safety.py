"""Issue 16, "Done when": from the demo, the Safety report for the last year with every
category beside Brady and Boyce, exported; a late bruise recorded on a signed session in
the editor changes the rate; the lung-risk depth limits and the history."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop import demo
from dnt_desktop.models import LateEvent, Practitioner, SideEffect, TreatmentSession
from dnt_desktop.models.enums import Role, SessionStatus, Severity
from dnt_desktop.services import records
from dnt_desktop.services.safety.report import default_period
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.safety import report_dialog
from dnt_desktop.ui.safety.report_dialog import SafetyReportDialog
from dnt_desktop.ui.session import late_events as late_ui
from dnt_desktop.ui.session.editor_window import SessionEditorWindow


@pytest.fixture
def demo_db(db: Database) -> Database:
    demo.generate(db, patients=60, seed=16)
    return db


def account(db: Database, username: str) -> AppContext:
    with db.reading() as s:
        person = s.scalars(select(Practitioner).where(Practitioner.username == username)).one()
        return AppContext(db, person.id, person.full_name, person.role == Role.ADMIN)


def test_the_administrator_sees_every_category_beside_brady_and_boyce_and_exports(
    qtbot: QtBot,
    demo_db: Database,
    open_main: Callable[[AppContext], MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_main(account(demo_db, "admin"))
    assert window.safety.report_action.isEnabled()
    dialog = window.safety.open_report()
    assert isinstance(dialog, SafetyReportDialog)
    qtbot.waitExposed(dialog)
    # computed off the GUI thread: the window says so and offers no export meanwhile
    assert dialog.computing and "Computing the report" in dialog.summary.text()
    assert not dialog.pdf_button.isEnabled()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=30_000)
    first, last = default_period()
    assert (dialog.first.date().toPython(), dialog.last.date().toPython()) == (first, last)
    report = dialog.report
    assert report is not None and report.treatments >= 100 and not dialog.too_few.isVisible()
    model = dialog.rates
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == [
        "Category",
        "Events",
        "Rate (95% interval)",
        "Brady 2014",
        "Boyce 2020",
        "Compared",
    ]
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert {"Bruising", "Bleeding", "Pneumothorax", "Any mild or moderate event"} <= set(labels)
    bruising = labels.index("Bruising")
    assert "95% CI" in model.index(bruising, 2).data()
    assert (model.index(bruising, 3).data(), model.index(bruising, 4).data()) == ("7.55%", "7.7%")
    pneumothorax = labels.index("Pneumothorax")
    assert "rule of three" in model.index(pneumothorax, 2).data()
    assert f"{report.treatments:,}" in dialog.summary.text()
    # the chart draws a row per category with its interval and the published markers
    dialog.tabs.setCurrentWidget(dialog.chart)
    assert len(dialog.chart.shown) >= 10
    assert dialog.chart.chart().series()

    for kind in ("pdf", "csv"):
        target = tmp_path / f"report.{kind}"
        monkeypatch.setattr(report_dialog, "ask_save_path", lambda *_a, t=target: str(t))
        button = dialog.pdf_button if kind == "pdf" else dialog.csv_button
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert target.exists()
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader((tmp_path / "report.csv").open(encoding="utf-8")))
    assert rows[1]["category"] == "bruising" and rows[1]["brady2014_percent"] == "7.550"
    dialog.close()


def test_a_practitioner_records_a_late_bruise_and_sees_the_rate_change(
    qtbot: QtBot,
    demo_db: Database,
    open_main: Callable[[AppContext], MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sarah = account(demo_db, "sarah.okafor")
    first, _last = default_period()
    start = datetime.combine(first, time.min, UTC) + timedelta(days=2)
    with demo_db.reading() as s:
        bruised = select(SideEffect.session_id).where(SideEffect.code == "bruising")
        late = select(LateEvent.session_id)
        signed = s.execute(
            select(TreatmentSession.id, TreatmentSession.patient_id)
            .where(
                TreatmentSession.practitioner_id == sarah.practitioner_id,
                TreatmentSession.status == SessionStatus.SIGNED,
                TreatmentSession.started_at > start,
                TreatmentSession.id.not_in(bruised),
                TreatmentSession.id.not_in(late),
            )
            .order_by(TreatmentSession.started_at.desc())
            .limit(1)
        ).one()
    window = open_main(sarah)
    report = window.safety.open_report()
    qtbot.waitUntil(lambda: not report.computing, timeout=30_000)
    assert report.scope.currentText() == "My sessions (Sarah Okafor)"
    assert not report.scope.isEnabled()
    before = report.row("bruising").rate.events

    window.open_patient(signed.patient_id)
    editor = window.open_session(signed.patient_id, signed.id)
    assert isinstance(editor, SessionEditorWindow)
    qtbot.waitExposed(editor)
    panel = editor.late_events_panel
    index = editor.tabs.indexOf(panel)
    assert editor.tabs.tabText(index) == "Reported &later"
    editor.tabs.setCurrentWidget(panel)
    assert panel.isVisible()
    assert panel.list.items == []
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.serious_note.isVisible()
    dialog.choose("bruising", Severity.MILD, 20, "Advised a cold pack.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert panel.dialog is None
    assert len(panel.list.items) == 1
    assert editor.tabs.tabText(index) == "Reported &later (1)"
    assert "Bruising (mild), 20 h after the treatment" in panel.list.toPlainText()
    assert "Sarah Okafor" in panel.list.toPlainText()
    assert records.signature_intact(demo_db, signed.id) is True

    # the open report followed the change notice: one more treatment with a bruise
    qtbot.waitUntil(lambda: not report.computing, timeout=30_000)
    assert report.row("bruising").rate.events == before + 1
    history = window.chart.history_tab
    row = history.model.row_of(signed.id)
    assert "late event" in history.model.index(row, 5).data()
    assert "Bruising (mild, reported later)" in history.model.index(row, 4).data()
    history.table.setCurrentIndex(history.model.index(row, 0))
    assert history.late_events.isVisible()

    # a serious event offers its incident report
    saved: list[int] = []
    monkeypatch.setattr(
        late_ui.QMessageBox, "question", lambda *_a, **_k: late_ui.QMessageBox.StandardButton.Save
    )
    monkeypatch.setattr(late_ui, "save_incident_report", lambda _w, _c, eid: saved.append(eid))
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    panel.dialog.choose("pneumothorax", Severity.SEVERE, 30, "Sent to the emergency department.")
    assert panel.dialog.serious_note.isVisible()
    qtbot.mouseClick(panel.dialog.save_button, Qt.MouseButton.LeftButton)
    assert saved and panel.incident_button.isVisible()
    qtbot.waitUntil(lambda: not report.computing, timeout=30_000)
    assert report.row("pneumothorax").rate.events == 1
    report.close()


def test_height_and_weight_are_screened_and_give_the_bmi(
    qtbot: QtBot, db: Database, patient_id: int, main_window: MainWindow
) -> None:
    from dnt_desktop.services.clinical import clinical_state
    from dnt_desktop.ui.patient.chart_view import SCREENING_TAB

    main_window.open_patient(patient_id)
    main_window.show_tab(SCREENING_TAB)
    tab = main_window.chart.screening_tab
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    measures = tab.measures
    assert measures.isVisible() and "BMI not known" in measures.bmi.text()
    measures.height_box.setFocus()
    measures.height_box.selectAll()
    qtbot.keyClicks(measures.height_box, "170")
    measures.weight_box.selectAll()
    qtbot.keyClicks(measures.weight_box, "55")
    assert measures.bmi.text() == "BMI 19.0 (BMI 18.5 to under 25)"
    qtbot.mouseClick(tab.none_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(tab.record_button, Qt.MouseButton.LeftButton)
    assert round(clinical_state(db, patient_id).bmi, 1) == 19.0
    assert "Height 170 cm, weight 55 kg: BMI 19.0" in tab.answers.toPlainText()


def test_an_administrator_changes_a_lung_risk_limit(
    qtbot: QtBot, demo_db: Database, open_main: Callable[[AppContext], MainWindow]
) -> None:
    from dnt_desktop.services.settings import rule_settings

    practitioner = open_main(account(demo_db, "sarah.okafor"))
    assert not practitioner.safety.limits_action.isEnabled()
    window = open_main(account(demo_db, "admin"))
    dialog = window.safety.open_limits()
    qtbot.waitExposed(dialog)
    names = [dialog.table.verticalHeaderItem(r).text() for r in range(dialog.table.rowCount())]
    row = names.index("Rhomboid major")
    assert dialog.table.horizontalHeaderItem(2).text() == "BMI 18.5–25\ndepth"
    assert dialog.table.item(row, 2).text() == "19"
    dialog.table.item(row, 2).setText("abc")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and "'abc' is not a number" in dialog.message.text()
    dialog.table.item(row, 2).setText("17")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert not dialog.isVisible()
    limits = rule_settings(demo_db).lung_limits
    assert limits[("rhomboid_major", "18_5_to_25")].max_depth_mm == 17
