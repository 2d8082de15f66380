"""The aftercare preview (print, save) and the aftercare texts settings, driven as a user."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import ChartView, DeliveryKind, DepthClass, PageSize, Side
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare, body_map
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.drafts import ConditionDraft, PointDraft, SessionDraft
from dnt_desktop.services.sessions import save_session
from dnt_desktop.ui.aftercare import (
    AftercarePreviewDialog,
    AftercareTemplatesDialog,
    open_aftercare_preview,
)
from dnt_desktop.ui.aftercare import preview as preview_module
from dnt_desktop.ui.context import AppContext


def _point(muscle: str) -> PointDraft:
    for region in body_map.figure("back").regions:
        if muscle in region.muscles and region.side == "left":
            x = sum(p[0] for p in region.polygon) / len(region.polygon)
            y = sum(p[1] for p in region.polygon) / len(region.polygon)
            return PointDraft(muscle, Side.LEFT, ChartView.BACK, x, y, DepthClass.DEEP, 20.0)
    raise LookupError(muscle)


@pytest.fixture
def session_id(ctx: AppContext, patient_id: int) -> int:
    draft = SessionDraft(
        patient_id=patient_id,
        practitioner_id=ctx.practitioner_id,
        started_at=datetime(2026, 11, 20, 10, 30, tzinfo=UTC),
        conditions=[ConditionDraft("neck_pain")],
        points=[_point("upper_trapezius"), _point("rhomboid_major")],
    )
    return save_session(ctx.db, ctx.practitioner_id, draft).session_id


@pytest.fixture
def admin_ctx(ctx: AppContext) -> AppContext:
    """The fixture practitioner made an administrator: only they change the sheet's texts."""
    from dnt_desktop.models import Practitioner
    from dnt_desktop.models.enums import Role

    with ctx.db.transaction() as session:
        session.get(Practitioner, ctx.practitioner_id).role = Role.ADMIN
    ctx.is_admin = True
    return ctx


@pytest.fixture
def notices(ctx: AppContext) -> list[Changes]:
    seen: list[Changes] = []
    ctx.hub.changed.connect(seen.append)
    return seen


def _actions(ctx: AppContext) -> list[str]:
    with ctx.db.reading() as session:
        return list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("aftercare_%")))
        )


def test_preview_shows_the_rendered_pages(qtbot: QtBot, ctx: AppContext, session_id: int) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.document.status() == QPdfDocument.Status.Ready
    assert dialog.document.pageCount() == 1
    assert "Jane Doe" in dialog.windowTitle() and "20 November 2026" in dialog.windowTitle()
    assert dialog.status.text() == "Not yet printed or saved for the patient."
    assert dialog.print_button.isDefault()


def test_save_writes_the_pdf_and_records_the_delivery(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,
    patient_id: int,
    notices: list[Changes],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    suggested: list[str] = []
    target = tmp_path / "sheet"

    def choose(parent: object, caption: str, directory: str, filters: str) -> tuple[str, str]:
        suggested.append(directory)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert suggested[0].endswith("Aftercare - Doe, Jane - 2026-11-20.pdf")
    saved = tmp_path / "sheet.pdf"
    assert saved.read_bytes() == dialog.pdf_bytes
    text = " ".join(pypdf.PdfReader(io.BytesIO(saved.read_bytes())).pages[0].extract_text().split())
    assert "Jane Doe" in text and "Upper trapezius" in text
    rows = aftercare.deliveries(ctx.db, session_id)
    assert [(r.kind, r.practitioner) for r in rows] == [(DeliveryKind.SAVED, "Pat Practitioner")]
    assert str(saved) in rows[0].detail
    assert _actions(ctx) == ["aftercare_save"]
    assert Changes.session(session_id, patient_id) in notices
    assert dialog.status.text().startswith("Saved ")


def test_a_failed_save_records_nothing(
    qtbot: QtBot, ctx: AppContext, session_id: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    assert not dialog.save_to(tmp_path / "missing" / "x.pdf")
    assert warnings and "could not be saved" in warnings[0]
    assert aftercare.deliveries(ctx.db, session_id) == []


def test_print_to_file_in_the_print_dialog_is_recorded_as_saved(
    qtbot: QtBot, ctx: AppContext, session_id: int, tmp_path: Path
) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog.prepare_printer(printer)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert dialog.print_to(printer)
    assert (tmp_path / "printed.pdf").read_bytes() == dialog.pdf_bytes  # the sheet, as text
    rows = aftercare.deliveries(ctx.db, session_id)
    assert [r.kind for r in rows] == [DeliveryKind.SAVED]
    assert rows[0].detail.endswith("printed.pdf (Print to file)")
    assert _actions(ctx) == ["aftercare_save"]
    assert dialog.status.text().startswith("Saved ")


def test_where_the_pdf_cannot_be_sent_pages_print_as_images(
    qtbot: QtBot, ctx: AppContext, session_id: int, tmp_path: Path
) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog.prepare_printer(printer)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # stands in for a Windows printer
    printer.setOutputFileName(str(tmp_path / "images.pdf"))
    assert dialog.print_images(printer, preview_module.print_job(printer, "Sheet"))
    printed = pypdf.PdfReader(tmp_path / "images.pdf")
    assert len(printed.pages) == 1
    assert round(float(printed.pages[0].mediabox.width)) == 595  # A4, as the clinic set
    rows = aftercare.deliveries(ctx.db, session_id)
    assert [r.kind for r in rows] == [DeliveryKind.PRINTED]
    assert rows[0].detail.endswith("(pages as images)")
    assert _actions(ctx) == ["aftercare_print"]


def test_cancelling_the_print_dialog_records_nothing(
    qtbot: QtBot, ctx: AppContext, session_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(preview_module, "installed_printers", lambda: ["Clinic_Laser"])
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Rejected)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert aftercare.deliveries(ctx.db, session_id) == []


def test_open_preview_of_an_unknown_session_shows_a_message(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    open_aftercare_preview(ctx, 4242)
    assert warnings == ["Session 4242 does not exist."]
    assert not preview_module._open_dialogs


def test_open_preview_shows_a_dialog(qtbot: QtBot, ctx: AppContext, session_id: int) -> None:
    open_aftercare_preview(ctx, session_id)
    dialogs = list(preview_module._open_dialogs)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    dialogs[0].close()
    qtbot.waitUntil(lambda: not preview_module._open_dialogs)


def _sheet_text(ctx: AppContext, session_id: int) -> str:
    data = render_aftercare(aftercare.load_sheet(ctx.db, session_id))
    reader = pypdf.PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.mark.usefixtures("admin_ctx")
def test_templates_dialog_saves_an_edit_and_resets_it(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,
    notices: list[Changes],
) -> None:
    dialog = AftercareTemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_block("closing")
    assert dialog.block_title.text() == "Closing words"
    assert not dialog.reset_button.isEnabled()
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "See you soon, {patient_first_name}! {typo}")
    assert dialog.problem.isVisible() and "{typo}" in dialog.problem.text()
    assert dialog.reset_button.isEnabled()
    assert dialog.blocks.currentItem().text().startswith("Closing words  (edited)")

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert aftercare.edited_keys(ctx.db) == {"closing"}
    assert "See you soon, Jane! {typo}" in _sheet_text(ctx, session_id)
    assert Changes(aftercare_texts=True) in notices
    assert dialog.saved_label.text().startswith("Saved")

    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.editor.toPlainText() == aftercare.default_text("closing")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert aftercare.edited_keys(ctx.db) == set()
    assert "See you soon" not in _sheet_text(ctx, session_id)
    assert "Questions about your treatment?" in _sheet_text(ctx, session_id)


@pytest.mark.usefixtures("admin_ctx")
def test_templates_dialog_keeps_edits_across_blocks_and_saves_settings(
    qtbot: QtBot, ctx: AppContext, session_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercareTemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_block("intro")
    dialog.editor.selectAll()
    qtbot.keyClicks(dialog.editor, "Hello {patient_first_name}.")
    dialog.select_block("title")
    dialog.select_block("intro")
    assert dialog.editor.toPlainText() == "Hello {patient_first_name}."
    dialog.alcohol_hours.setValue(48)
    dialog.page_size.setCurrentIndex(dialog.page_size.findData(PageSize.LETTER))
    dialog.emergency.setPlainText("Call 911 at once.")

    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.close()  # unsaved edits: the user is asked, and answers Save
    assert asked == ["Save your changes to the aftercare texts?"]
    assert aftercare.sheet_settings(ctx.db) == aftercare.SheetSettings(
        PageSize.LETTER, 48, "Call 911 at once."
    )
    text = _sheet_text(ctx, session_id)
    assert "Hello Jane." in text and "for 48 hours" in text and "Call 911 at once." in text


@pytest.mark.usefixtures("admin_ctx")
def test_emptying_a_safety_block_is_refused_with_the_reason(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = AftercareTemplatesDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.select_block("lung_warning")
    dialog.editor.clear()
    assert "cannot be empty" in dialog.problem.text()
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert warnings and "cannot be empty" in warnings[0]
    assert aftercare.edited_keys(ctx.db) == set()
    assert dialog.editor.toPlainText() == ""  # what the user did is still on screen
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Discard)
    dialog.close()
    assert not dialog.isVisible()


def test_save_as_pdf_offers_the_users_documents_folder(
    qtbot: QtBot, ctx: AppContext, session_id: int, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtCore import QSettings, QStandardPaths

    documents = tmp_path / "home" / "Documents"  # not there yet: made, not the program folder
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(documents))
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    assert dialog.suggested_path().parent == documents
    assert documents.is_dir()
    assert dialog.suggested_path().suffix == ".pdf"
    QSettings().setValue("aftercare/save_folder", str(tmp_path / "a folder since deleted"))
    assert dialog.suggested_path().parent == documents
    QSettings().setValue("aftercare/save_folder", str(tmp_path))
    assert dialog.suggested_path().parent == tmp_path  # the folder used last, while it exists


def test_the_preview_names_its_page_view_and_zoom_buttons(
    qtbot: QtBot, ctx: AppContext, session_id: int
) -> None:
    from PySide6.QtWidgets import QPushButton

    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    assert dialog.view.accessibleName() == "Pages of the aftercare sheet"
    names = {b.accessibleName() for b in dialog.findChildren(QPushButton)}
    assert {"Zoom in", "Zoom out"} <= names
