"""Administration > Consent text…: the clinic's consent text, saved as a new version."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.consent_text import current_text, save_text, versions
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded_form
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit, LimitedPlainTextEdit
from dnt_desktop.ui.widgets.window_size import place_window


def next_version(version: str) -> str:
    """'DN-consent-v1' -> 'DN-consent-v2'; anything else gets '-2'."""
    head = version.rstrip("0123456789")
    tail = version[len(head) :]
    return f"{head}{int(tail) + 1}" if tail else f"{version}-2"


class ConsentTextDialog(QDialog):
    """The text in force, editable; Save keeps it as a new version (older ones stay)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("consent_text_dialog")
        self.setWindowTitle("Consent text")
        text = current_text(ctx.db)
        known = versions(ctx.db)
        history = ", ".join(
            f"{v.version} ({format_datetime(v.created_at)})"
            if v.created_at
            else f"{v.version} (shipped)"
            for v in known
        )
        self.current = QLabel(
            f"In force: <b>{text.version}</b>. Versions kept: {history}. Consents name the "
            "version they were given on; saving adds a new version and changes none."
        )
        self.current.setWordWrap(True)
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.version = LimitedLineEdit("consent_text", "version")
        self.version.setAccessibleName("Version of the new text")
        self.version.setText(next_version(text.version))
        self.body = LimitedPlainTextEdit("consent_text", "body")
        self.body.setAccessibleName("Consent text")
        self.body.setPlainText(text.body)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("New &version *", self.errors.add("version", self.version))
        form.addRow("&Text *", self.errors.add("body", self.body))
        hint = QLabel(
            "Blank lines separate paragraphs; a line starting with '- ' prints as a bullet. "
            "The form adds the patient's name, date of birth and chart number, and the "
            "signature box."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "hint")
        self.save_button = QPushButton("&Save as new version")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self.save)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = message_row(self.general, [cancel, self.save_button])
        layout = QVBoxLayout(self)
        layout.addWidget(self.current)
        layout.addLayout(form, 1)
        layout.addWidget(self.body.counter)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        place_window(self, "consent_text_dialog", 760, 680)

    def save(self) -> bool:
        version, body = self.version.text(), self.body.toPlainText()
        changes = guarded_form(
            self,
            "Consent text",
            lambda: save_text(self.ctx.db, self.ctx.practitioner_id, version, body),
            self.errors.show,
        )
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        self.accept()
        return True
