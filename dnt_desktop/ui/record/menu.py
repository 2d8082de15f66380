"""The record actions of the main window: export, retention and consent text.

Added to the window's menus by one call (``add_record_actions``) so that the window's
own code stays as it was; the actions follow the chart's patient themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu

if TYPE_CHECKING:
    from dnt_desktop.ui.main_window import MainWindow


class RecordActions:
    """Export complete record… (Patient menu); administrators' dialogs (Administration)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.dialog: QDialog | None = None
        self.export_action = QAction("E&xport complete record…", window)
        self.export_action.setToolTip(
            "Write the patient's whole record (PDF, JSON, CSV and files) as one zip"
        )
        self.export_action.triggered.connect(self.export_current)
        self.export_action.setEnabled(False)
        patient_menu = _menu(window, "&Patient")
        if patient_menu is not None:
            patient_menu.addSeparator()
            patient_menu.addAction(self.export_action)
        self.consent_text_action = QAction("Consent te&xt…", window)
        self.consent_text_action.triggered.connect(self.edit_consent_text)
        self.retention_action = QAction("&Records past retention…", window)
        self.retention_action.triggered.connect(self.open_retention)
        self.death_action = QAction("Date of &death…", window)
        self.death_action.triggered.connect(self.record_death)
        self.death_action.setEnabled(False)
        if patient_menu is not None:
            patient_menu.addAction(self.death_action)
        admin_menu = getattr(window, "admin_menu", None)
        if admin_menu is not None:  # administrators only (the services refuse others too)
            admin_menu.addSeparator()
            admin_menu.addAction(self.consent_text_action)
            admin_menu.addAction(self.retention_action)
        window.chart.session_selection_changed.connect(self.update)
        window.ctx.hub.changed.connect(lambda _changes: self.update())

    def update(self) -> None:
        patient = self.window.chart.patient
        self.export_action.setEnabled(patient is not None)
        self.death_action.setEnabled(patient is not None and patient.disposed_at is None)

    def _show(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def export_current(self) -> QDialog | None:
        """Patient > Export complete record…"""
        from .export_dialog import ExportDialog

        patient = self.window.chart.patient
        if patient is None:
            return None
        return self._show(ExportDialog(self.window.ctx, patient, self.window))

    def edit_consent_text(self) -> QDialog | None:
        """Administration > Consent text…"""
        if not self.window.ctx.is_admin:
            return None
        from .consent_text_dialog import ConsentTextDialog

        return self._show(ConsentTextDialog(self.window.ctx, self.window))

    def open_retention(self) -> QDialog | None:
        """Administration > Records past retention…"""
        if not self.window.ctx.is_admin:
            return None
        from .retention_dialog import RetentionDialog

        return self._show(RetentionDialog(self.window.ctx, self.window))

    def record_death(self) -> QDialog | None:
        """Patient > Date of death…"""
        from .death_dialog import DeathDialog

        patient = self.window.chart.patient
        if patient is None:
            return None
        return self._show(DeathDialog(self.window.ctx, patient, self.window))


def _menu(window: MainWindow, title: str) -> QMenu | None:
    for action in window.menuBar().actions():
        if action.text() == title:
            return action.menu()  # type: ignore[return-value]
    return None


def add_record_actions(window: MainWindow) -> RecordActions:
    """Add the record actions to *window*'s menus."""
    return RecordActions(window)
