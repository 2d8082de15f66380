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
    assert report.row("pneumothorax").rate.events == 1
    report.close()
