"""Consent the patient signs on screen: a signature drawn with the mouse is stored with the
consent (in the signed form) and shown; the printed form names the patient."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from dnt_desktop.services.attachments import attachment_data, attachments
from dnt_desktop.services.clinical import clinical_state
from dnt_desktop.services.consent_text import current_text
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.patient.chart_view import CONSENT_TAB
from dnt_desktop.ui.record.attachment_viewer import AttachmentViewer
from dnt_desktop.ui.record.consent_dialogs import ConsentFormPreview, SignOnScreenDialog
from dnt_desktop.ui.record.signature_box import SignatureBox


@pytest.fixture
def consent_window(patient_id: int, main_window: MainWindow) -> MainWindow:
    assert main_window.open_patient(patient_id)
    main_window.chart.tabs.setCurrentIndex(CONSENT_TAB)
    return main_window


def draw(qtbot: QtBot, box: SignatureBox, points: list[tuple[int, int]]) -> None:
    qtbot.mousePress(box, Qt.MouseButton.LeftButton, pos=QPoint(*points[0]))
    for x, y in points[1:]:
        qtbot.mouseMove(box, QPoint(x, y))
    qtbot.mouseRelease(box, Qt.MouseButton.LeftButton, pos=QPoint(*points[-1]))


def test_a_signature_drawn_on_screen_is_stored_and_shown(
    qtbot: QtBot, consent_window: MainWindow, patient_id: int, ctx
) -> None:
    bar = consent_window.chart.consent_tab.signed_bar
    qtbot.mouseClick(bar.sign_button, Qt.MouseButton.LeftButton)
    dialog = bar.dialog
    assert isinstance(dialog, SignOnScreenDialog)
    qtbot.waitExposed(dialog)
    assert dialog.body.toPlainText() == current_text(ctx.db).body
    assert not dialog.save_button.isEnabled()  # nothing signed yet
    draw(qtbot, dialog.signature, [(30, 90), (60, 40), (90, 100), (130, 50), (170, 95), (220, 60)])
    assert not dialog.signature.is_empty() and dialog.save_button.isEnabled()
    image = QImage.fromData(dialog.signature.png())
    assert not image.isNull() and image.width() > 100
    assert any(
        image.pixelColor(x, image.height() // 2).lightness() < 128 for x in range(image.width())
    )
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    (copy,) = attachments(ctx.db, patient_id)
    assert copy.kind == "signature" and copy.consent_id == dialog.consent_id
    _info, stored = attachment_data(ctx.db, ctx.practitioner_id, copy.id)
    page = PdfReader(io.BytesIO(stored)).pages[0]
    assert len(page.images) == 1  # the drawn signature, in its box
    assert "Jane Doe" in page.extract_text()
    assert clinical_state(ctx.db, patient_id).signed_consent is True

    tab = consent_window.chart.consent_tab
    assert tab.table.item(0, 0).text() and bar.state.text() == "Signed copy on file."
    viewer = bar.view_copy()
    assert isinstance(viewer, AttachmentViewer)
    qtbot.waitExposed(viewer)
    assert viewer.page_count == 1
    viewer.close()


def test_clear_empties_the_box(qtbot: QtBot, consent_window: MainWindow) -> None:
    dialog = consent_window.chart.consent_tab.signed_bar.sign_on_screen()
    draw(qtbot, dialog.signature, [(20, 20), (80, 80)])
    qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
    assert dialog.signature.is_empty() and not dialog.save_button.isEnabled()
    dialog.reject()


def test_the_printed_form_names_the_patient(qtbot: QtBot, consent_window: MainWindow, ctx) -> None:
    preview = consent_window.chart.consent_tab.signed_bar.print_form()
    assert isinstance(preview, ConsentFormPreview)
    qtbot.waitExposed(preview)
    text = " ".join(PdfReader(io.BytesIO(preview.pdf_bytes)).pages[0].extract_text().split())
    assert "Jane Doe" in text and "Consent to dry needling" in text
    assert preview.view.pdf.pageCount() >= 1
    preview.reject()


def test_an_administrator_saves_a_new_consent_text_version(qtbot: QtBot, db, tmp_path) -> None:
    from dnt_desktop.services import accounts
    from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
    from dnt_desktop.services.practitioners import PractitionerForm
    from dnt_desktop.ui.context import AppContext
    from dnt_desktop.ui.record.consent_text_dialog import ConsentTextDialog

    save_clinic(db, None, ClinicForm(name="Clinic"))
    admin = accounts.create_first_admin(db, PractitionerForm("Ada Admin", "ada"), "a-Long-pass-1")
    ctx = AppContext(db=db, practitioner_id=admin, practitioner_name="Ada Admin", is_admin=True)
    window = MainWindow(ctx)
    try:
        dialog = window.record_actions.edit_consent_text()
        assert isinstance(dialog, ConsentTextDialog)
        qtbot.waitExposed(dialog)
        assert dialog.version.text() == "DN-consent-v2"
        dialog.body.setPlainText("Consent to dry needling\n\nOur clinic's own words.")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert current_text(db).version == "DN-consent-v2"
        assert current_text(db).body.endswith("Our clinic's own words.")
    finally:
        window.close()
        window.deleteLater()
