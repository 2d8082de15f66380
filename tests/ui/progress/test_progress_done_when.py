"""Done when: from the demo, open a patient with several sessions, see the pain graph,
record a PSFS, and send a progress letter to the referring doctor as a PDF."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dnt_desktop import demo
from dnt_desktop.models import AuditEvent, PatientReferrer, Practitioner, TreatmentSession
from dnt_desktop.services.progress.letters import letter_pdf, sent_letters
from dnt_desktop.services.progress.measures import patient_measures
from dnt_desktop.services.progress.pain_trend import pain_trend
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.progress.letter_dialog import LetterDialog, SentLetterDialog
from dnt_desktop.ui.progress.measure_dialog import MeasureDialog


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def demo_patient(db: Database) -> tuple[AppContext, int]:
    demo.generate(db, patients=30, seed=3)
    with db.reading() as session:
        practitioner = session.scalars(select(Practitioner).order_by(Practitioner.id)).first()
        patient_id = session.scalar(
            select(PatientReferrer.patient_id)
            .join(TreatmentSession, TreatmentSession.patient_id == PatientReferrer.patient_id)
            .group_by(PatientReferrer.patient_id)
            .having(func.count() >= 3)
            .order_by(PatientReferrer.patient_id)
            .limit(1)
        )
    assert practitioner is not None and patient_id is not None
    return AppContext(db, practitioner.id, practitioner.full_name), patient_id


def test_done_when_from_the_demo(
    qtbot: QtBot,
    demo_patient: tuple[AppContext, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx, patient_id = demo_patient
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_patient(patient_id)
    chart = window.chart
    tabs = chart.tabs
    index = tabs.indexOf(chart.progress_tab)
    qtbot.keyClick(tabs, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    if tabs.currentIndex() != index:  # the access key needs the window active
        tabs.setCurrentIndex(index)
    tab = chart.progress_tab
    assert tab.isVisible() and tab.chart.isVisible()

    # the graph shows the sessions of the database
    trend = pain_trend(ctx.db, patient_id)
    drawn = tab.chart.points()
    scored = [p for p in trend.points if p.pain_before is not None]
    assert len(drawn) == len(scored) >= 3
    assert [before for _x, before, _after in drawn] == [p.pain_before for p in scored]
    assert "Pain before treatment" in tab.summary.text()
    first = scored[0]
    tip = tab.chart.describe_point(drawn[0][0])
    assert f"pain {first.pain_before}/10" in tip
    assert all(name in tip for name in first.conditions)
    assert tab.referrer.currentData() is not None

    # record a PSFS
    before = len(patient_measures(ctx.db, patient_id))

    def fill_psfs(dialog: MeasureDialog) -> None:
        dialog.labels[0].setText("Carrying the shopping")
        dialog.values[0].setValue(6)
        dialog.labels[1].setText("Sleeping on the side")
        dialog.values[1].setValue(7)
        assert dialog.score.text() == "Score: 6.5"
        qtbot.mouseClick(
            dialog.buttons.button(dialog.buttons.StandardButton.Save), Qt.MouseButton.LeftButton
        )

    monkeypatch.setattr(MeasureDialog, "exec", lambda self: fill_psfs(self) or 1)
    measure_id = tab.record_measure("psfs")
    assert measure_id is not None
    recorded = patient_measures(ctx.db, patient_id)
    assert len(recorded) == before + 1
    assert recorded[-1].taken_on == date.today() or recorded[-1].measure_id == measure_id
    assert tab.model.item(0, 2).text() == "6.5"

    # send a progress letter to the referrer as a PDF
    saved = tmp_path / "progress.pdf"

    def send(dialog: LetterDialog) -> None:
        assert dialog.template.currentData() == "progress"
        assert tab.referrer.currentText().split(",")[0] in dialog.to_label.text()
        assert dialog.save_to(saved)

    monkeypatch.setattr(LetterDialog, "exec", lambda self: send(self) or 1)
    qtbot.mouseClick(tab.letter_button, Qt.MouseButton.LeftButton)
    letters = sent_letters(ctx.db, patient_id)
    assert letters and letters[0].template_key == "progress"
    assert saved.read_bytes() == letter_pdf(ctx.db, letters[0].letter_id)
    text = _text(saved.read_bytes())
    assert "Sleeping on the side" not in text  # the letter reports scores, not answers
    assert "PSFS:" in text and "6.5" in text
    assert tab.letters.count() == len(letters)
    assert "Progress report" in tab.letters.item(0).text()

    # reopened exactly as sent
    tab.letters.setCurrentRow(0)
    shown: list[bytes] = []
    monkeypatch.setattr(SentLetterDialog, "exec", lambda self: shown.append(self.data) or 1)
    qtbot.mouseClick(tab.open_letter_button, Qt.MouseButton.LeftButton)
    assert shown == [saved.read_bytes()]
    with ctx.db.reading() as session:
        assert session.scalar(
            select(func.count()).where(
                AuditEvent.action == "letter_send", AuditEvent.entity_id == letters[0].letter_id
            )
        )
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    window.close()


def test_an_administrator_edits_a_letter_template(qtbot: QtBot, db: Database) -> None:
    from dnt_desktop.models.enums import Role
    from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
    from dnt_desktop.services.progress.letters import letter_template
    from dnt_desktop.ui.progress.letter_templates_dialog import LetterTemplatesDialog

    admin = add_practitioner(db, None, PractitionerForm("Ada Admin", "ada", "", Role.ADMIN))
    dialog = LetterTemplatesDialog(AppContext(db, admin, "Ada Admin", is_admin=True))
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("discharge"))
    assert "discharged" in dialog.text.toPlainText()
    dialog.text.setPlainText("Dear {referrer_name}, all done.")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert letter_template(db, "discharge") == "Dear {referrer_name}, all done."


def test_the_referrer_is_chosen_on_the_patient_form(
    qtbot: QtBot, ctx: AppContext, patient_id: int
) -> None:
    from dnt_desktop.services.progress.referrers import (
        ReferrerForm,
        patient_referrer,
        save_referrer,
    )
    from dnt_desktop.ui.patient.form_dialog import PatientFormDialog

    referrer_id, _ = save_referrer(ctx.db, ctx.practitioner_id, ReferrerForm("Dr Lee", "Quay"))
    form = PatientFormDialog(ctx, patient_id)
    qtbot.addWidget(form)
    assert form.referrer.currentText() == "No referrer"
    form.referrer.setCurrentIndex(form.referrer.findData(referrer_id))
    assert form.is_changed()
    with qtbot.waitSignal(ctx.hub.changed) as notice:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert notice.args[0].referrers and patient_id in notice.args[0].patients
    chosen = patient_referrer(ctx.db, patient_id)
    assert chosen is not None and chosen.label == "Dr Lee, Quay"


def test_the_details_tab_shows_the_referrer(qtbot: QtBot, ctx: AppContext, patient_id: int) -> None:
    from dnt_desktop.services.progress.referrers import ReferrerForm, save_referrer
    from dnt_desktop.ui.patient.chart_view import PatientChartView

    view = PatientChartView(ctx)
    qtbot.addWidget(view)
    view.show_patient(patient_id)
    assert view.details_tab.values["referrer"].text() == "—"  # none chosen
    referrer_id, _ = save_referrer(ctx.db, ctx.practitioner_id, ReferrerForm("Dr Lee", "Quay"))
    view.progress_tab.referrer.clear()
    from dnt_desktop.services.progress.referrers import set_patient_referrer

    ctx.hub.publish(set_patient_referrer(ctx.db, ctx.practitioner_id, patient_id, referrer_id))
    assert view.details_tab.values["referrer"].text() == "Dr Lee, Quay"


def test_typing_the_plan_never_overwrites_an_edited_letter(
    qtbot: QtBot, ctx: AppContext, patient_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = LetterDialog(ctx, patient_id, "initial")
    qtbot.addWidget(dialog)
    assert "Dear Doctor" in dialog.text.toPlainText()  # no referrer chosen yet
    dialog.plan.setPlainText("Six sessions")
    dialog._plan_typed()
    assert "Six sessions" in dialog.text.toPlainText() and not dialog.is_edited()
    dialog.text.setPlainText(dialog.text.toPlainText() + "\nSeen with her daughter.")
    dialog.plan.setPlainText("Eight sessions")
    dialog._plan_typed()
    assert "Seen with her daughter." in dialog.text.toPlainText()
    assert "type the plan in the text" in dialog.status.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    dialog.template.setCurrentIndex(dialog.template.findData("discharge"))
    assert "Seen with her daughter." in dialog.text.toPlainText()
    assert dialog.template.currentData() == "initial"


def test_the_measure_dialog_names_a_broken_clinic_file(
    qtbot: QtBot,
    ctx: AppContext,
    patient_id: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from dnt_desktop.services.progress import definitions

    (tmp_path / "odi.measure").write_text("code: odi\nname: Oswestry\nscale: percent\n")
    monkeypatch.setattr(definitions, "clinic_dir", lambda: tmp_path)
    definitions._loaded.cache_clear()
    try:
        dialog = MeasureDialog(ctx, patient_id, "nprs")
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.file_problems.isVisible()
        assert "odi.measure, line 4: the required key 'short_name' is missing" in (
            dialog.file_problems.text()
        )
        assert dialog.kind.count() == 3
    finally:
        definitions._loaded.cache_clear()
