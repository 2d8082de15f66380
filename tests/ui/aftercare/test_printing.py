"""Printing a sheet: with no printer installed it is offered as a PDF (recorded as saved),
and through CUPS the PDF itself is printed, its text intact (recorded as printed)."""

from __future__ import annotations

import io
import os
import stat
import sys
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import DeliveryKind
from dnt_desktop.pdf.printing import PrintJob, lp_command
from dnt_desktop.services import aftercare
from dnt_desktop.ui.aftercare import AftercarePreviewDialog
from dnt_desktop.ui.aftercare import preview as preview_module
from dnt_desktop.ui.context import AppContext

from .test_dialogs import session_id  # noqa: F401  (the charted session)

FAKE_LP = """#!{python}
import sys
from pathlib import Path
folder = Path(__file__).parent
(folder / "argv.txt").write_text("\\n".join(sys.argv[1:]))
(folder / "job.pdf").write_bytes(sys.stdin.buffer.read())
if {fail!r}:
    sys.stderr.write("lp: The printer or class does not exist.\\n")
    sys.exit(1)
print("request id is Clinic_Laser-7 (1 file(s))")
"""


@pytest.fixture
def fake_lp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Put an ``lp`` on PATH that keeps its arguments and document (fail=True: refuses)."""

    def install(fail: bool = False) -> Path:
        folder = tmp_path / "bin"
        folder.mkdir(exist_ok=True)
        lp = folder / "lp"
        lp.write_text(FAKE_LP.format(python=sys.executable, fail=fail), encoding="utf-8")
        lp.chmod(lp.stat().st_mode | stat.S_IEXEC)
        monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ.get('PATH', '')}")
        return folder

    return install


@pytest.fixture
def chosen_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    """One printer installed, chosen in the print dialog with two copies."""
    monkeypatch.setattr(preview_module, "installed_printers", lambda: ["Clinic_Laser"])
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QPrinter, "outputFormat", lambda self: QPrinter.OutputFormat.NativeFormat)
    monkeypatch.setattr(QPrinter, "printerName", lambda self: "Clinic_Laser")
    monkeypatch.setattr(QPrinter, "copyCount", lambda self: 2)


def _actions(ctx: AppContext) -> list[str]:
    with ctx.db.reading() as session:
        return list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("aftercare_%")))
        )


def _answer_no_printer_box(button_text: str, seen: list[str]) -> None:
    """Click *button_text* in the no-printer message as soon as it is shown."""

    def answer() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "no_printer" and w.isVisible()
        ]  # found by name: another test's window may still be the active modal one
        if not shown:
            QTimer.singleShot(20, answer)
            return
        box = shown[0]
        seen.append(box.text())
        cancel = box.button(QMessageBox.StandardButton.Cancel)
        for button in box.buttons():
            if button.text().replace("&", "") == button_text or (
                button_text == "Cancel" and button is cancel
            ):
                button.click()
                return

    QTimer.singleShot(0, answer)


def test_with_no_printer_print_says_so_and_saves_a_pdf_recorded_as_saved(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(preview_module, "installed_printers", lambda: [])
    monkeypatch.setattr(QPrintDialog, "exec", lambda self: pytest.fail("no print dialog"))
    target = tmp_path / "sheet.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "PDF (*.pdf)"))
    )
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    seen: list[str] = []
    _answer_no_printer_box("Save as PDF…", seen)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)

    assert seen == ["No printer is installed on this computer."]
    assert target.read_bytes() == dialog.pdf_bytes
    assert [r.kind for r in aftercare.deliveries(ctx.db, session_id)] == [DeliveryKind.SAVED]
    assert _actions(ctx) == ["aftercare_save"]
    assert dialog.status.text().startswith("Saved ")


def test_with_no_printer_cancel_records_nothing(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(preview_module, "installed_printers", lambda: [])
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    seen: list[str] = []
    _answer_no_printer_box("Cancel", seen)
    assert not dialog.print_sheet()
    assert seen and aftercare.deliveries(ctx.db, session_id) == []
    assert dialog.status.text() == "Not yet printed or saved for the patient."


@pytest.mark.usefixtures("chosen_printer")
def test_cups_prints_the_pdf_itself_with_its_text(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,  # noqa: F811
    fake_lp,
) -> None:
    folder = fake_lp()
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)

    sent = (folder / "job.pdf").read_bytes()
    assert sent == dialog.pdf_bytes  # the document as it is, not page images
    text = pypdf.PdfReader(io.BytesIO(sent)).pages[0].extract_text()
    assert "Jane Doe" in text and "Upper trapezius" in text
    argv = (folder / "argv.txt").read_text().splitlines()
    assert argv[:4] == ["-d", "Clinic_Laser", "-n", "2"]
    assert "media=A4" in argv and argv[-1] == "-"
    rows = aftercare.deliveries(ctx.db, session_id)
    assert [r.kind for r in rows] == [DeliveryKind.PRINTED]
    assert rows[0].detail == (
        "printed on Clinic_Laser, 2 copies; request id is Clinic_Laser-7 (1 file(s))"
    )
    assert _actions(ctx) == ["aftercare_print"]
    assert dialog.status.text().startswith("Printed ")


@pytest.mark.usefixtures("chosen_printer")
def test_a_refused_print_job_is_explained_and_not_recorded(
    qtbot: QtBot,
    ctx: AppContext,
    session_id: int,  # noqa: F811
    fake_lp,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake_lp(fail=True)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    dialog = AftercarePreviewDialog(ctx, session_id)
    qtbot.addWidget(dialog)
    assert not dialog.print_sheet()
    assert warnings and warnings[0].startswith(
        "The sheet could not be sent to Clinic_Laser: The printer or class does not exist."
    )
    assert "Nothing was recorded as printed" in warnings[0]
    assert aftercare.deliveries(ctx.db, session_id) == []


def test_the_lp_command_carries_the_print_dialogs_choices() -> None:
    job = PrintJob("Front desk", "Aftercare", 3, "Letter", "long", 2, 3)
    assert lp_command(job) == [
        *("lp", "-d", "Front desk", "-n", "3", "-t", "Aftercare"),
        *("-o", "media=Letter", "-o", "sides=two-sided-long-edge", "-P", "2-3", "-"),
    ]
    assert lp_command(PrintJob("P", copies=0))[:5] == ["lp", "-d", "P", "-n", "1"]


def test_the_status_line_tells_prints_from_saves(
    ctx: AppContext,
    session_id: int,  # noqa: F811
) -> None:
    for kind in (DeliveryKind.PRINTED, DeliveryKind.SAVED, DeliveryKind.SAVED):
        aftercare.record_delivery(ctx.db, ctx.practitioner_id, session_id, kind)
    line = aftercare.delivery_summary(aftercare.deliveries(ctx.db, session_id))
    assert line.startswith("Saved ") and "by Pat Practitioner" in line
    assert line.endswith("(printed once, saved twice).")
