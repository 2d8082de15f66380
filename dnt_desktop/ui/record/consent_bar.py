"""The signed-consent row under the Consent tab's list: print the form, sign on screen,
attach the scan of a paper signature, view the signed copy of the selected consent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from dnt_desktop.models import Consent
from dnt_desktop.services.attachments import attachment_data
from dnt_desktop.services.patients import get_patient
from dnt_desktop.services.signed_consent import attach_signed_scan, signed_copies
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded

from .attachment_viewer import AttachmentViewer
from .attachments_tab import FILE_FILTER, read_file
from .consent_dialogs import ConsentFormPreview, SignOnScreenDialog


class SignedConsentBar(QWidget):
    """Buttons for the consent the patient signs; *selected* gives the highlighted consent."""

    def __init__(
        self, ctx: AppContext, selected: Callable[[], Consent | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.selected = selected
        self.patient_id: int | None = None
        self.copies: dict[int, list[int]] = {}
        self.dialog: QDialog | None = None
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.print_button = QPushButton("Prin&t form…")
        self.print_button.setAccessibleName("Print the consent form to sign")
        self.print_button.clicked.connect(self.print_form)
        self.sign_button = QPushButton("Sig&n on screen…")
        self.sign_button.setAccessibleName("Consent signed on screen")
        self.sign_button.clicked.connect(self.sign_on_screen)
        self.attach_button = QPushButton("Attach si&gned form…")
        self.attach_button.setAccessibleName("Attach the scan of the signed form")
        self.attach_button.clicked.connect(self.choose_scan)
        self.view_button = QPushButton("View signed cop&y")
        self.view_button.setAccessibleName("View the signed copy")
        self.view_button.clicked.connect(self.view_copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.state, 1)
        for button in (self.view_button, self.attach_button, self.print_button, self.sign_button):
            layout.addWidget(button)

    def show_patient(self, patient_id: int, consent_ids: list[int]) -> None:
        self.patient_id = patient_id
        self.copies = (
            guarded(self, "Consents", lambda: signed_copies(self.ctx.db, consent_ids)) or {}
        )
        self.update_state()

    def update_state(self) -> None:
        consent = self.selected()
        copies = self.copies.get(consent.id, []) if consent else []
        self.view_button.setEnabled(bool(copies))
        self.attach_button.setEnabled(consent is not None)
        if consent is None:
            self.state.setText("")
        elif copies:
            self.state.setText("Signed copy on file.")
            self.state.setProperty("role", "")
        else:
            self.state.setText("No signed copy of this consent on file.")
            self.state.setProperty("role", "error")
        self.state.style().unpolish(self.state)
        self.state.style().polish(self.state)

    def _patient(self):  # type: ignore[no-untyped-def]
        patient_id = self.patient_id
        if patient_id is None:
            return None
        return guarded(self, "Consent", lambda: get_patient(self.ctx.db, patient_id))

    def _show(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def print_form(self) -> QDialog | None:
        patient = self._patient()
        return self._show(ConsentFormPreview(self.ctx, patient, self)) if patient else None

    def sign_on_screen(self) -> QDialog | None:
        patient = self._patient()
        return self._show(SignOnScreenDialog(self.ctx, patient, self)) if patient else None

    def choose_scan(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Attach the signed consent form", "", FILE_FILTER
        )
        if name:
            self.attach_scan(Path(name))

    def attach_scan(self, path: Path) -> bool:
        consent = self.selected()
        if consent is None:
            return False
        try:
            data = read_file(path)
        except OSError as exc:
            self.state.setText(f"{path.name} cannot be read: {exc.strerror or exc}.")
            return False
        changes = guarded(
            self,
            "Attach signed form",
            lambda: attach_signed_scan(
                self.ctx.db, self.ctx.practitioner_id, consent.id, path.name, data
            ),
        )
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        return True

    def view_copy(self) -> AttachmentViewer | None:
        consent = self.selected()
        copies = self.copies.get(consent.id, []) if consent else []
        if not copies:
            return None
        found = guarded(
            self,
            "Signed copy",
            lambda: attachment_data(self.ctx.db, self.ctx.practitioner_id, copies[-1]),
        )
        if found is None:
            return None
        viewer = AttachmentViewer(*found, parent=self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        self.viewer = viewer
        return viewer
