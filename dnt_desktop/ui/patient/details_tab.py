"""The Details tab: contact, emergency contact and notes, with Edit and Archive."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Patient
from dnt_desktop.services import aftercare
from dnt_desktop.services.dates import format_birth, format_datetime
from dnt_desktop.ui.widgets.labels import InfoLabel

from .form_dialog import SEX_LABELS

_NOT_RECORDED = "—"


def handout_language_label(code: str) -> str:
    """'Bengali (বাংলা)' for a shipped set; the code of a set the clinic added."""
    for text_set in aftercare.shipped_sets():
        if text_set.code == code:
            return text_set.label
    return code


def _value_label(name: str) -> QLabel:
    label = InfoLabel(name=name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class DetailsTab(QWidget):
    """Read-only details; ``edit_requested`` and ``archive_requested`` ask the window to act."""

    edit_requested = Signal()
    archive_requested = Signal(bool)

    FIELDS = (
        ("date_of_birth", "Date of birth"),
        ("sex", "Sex"),
        ("chart_number", "Chart no."),
        ("handout_language", "Handouts in"),
        ("referrer", "Referred by"),  # filled by the chart view (issue 15)
        ("phone", "Phone"),
        ("email", "E-mail"),
        ("address", "Address"),
        ("emergency_contact", "Emergency contact"),
        ("notes", "Notes"),
        ("created_at", "Registered"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._archived = False
        self.values: dict[str, QLabel] = {}
        body = QWidget()
        form = QFormLayout(body)
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(10)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for name, title in self.FIELDS:
            caption = QLabel(title)
            caption.setProperty("role", "hint")
            self.values[name] = _value_label(title)
            form.addRow(caption, self.values[name])
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # read by its labels, not a focus stop
        scroll.setAccessibleName("Patient details")
        scroll.setWidget(body)

        self.edit_button = QPushButton("&Edit details…")
        self.edit_button.setAccessibleName("Edit patient details")
        self.edit_button.clicked.connect(self.edit_requested)
        self.archive_button = QPushButton("Arc&hive patient…")
        self.archive_button.clicked.connect(lambda: self.archive_requested.emit(not self._archived))
        buttons = QHBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.archive_button)

        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)

    def show_patient(self, patient: Patient) -> None:
        """Fill the labels from *patient*."""
        shown = {
            "date_of_birth": format_birth(patient.date_of_birth),
            "sex": SEX_LABELS.get(patient.sex, str(patient.sex)),
            "chart_number": patient.chart_number,
            "handout_language": handout_language_label(patient.handout_language),
            "phone": patient.phone,
            "email": patient.email,
            "address": patient.address,
            "emergency_contact": patient.emergency_contact,
            "notes": patient.notes,
            "created_at": format_datetime(patient.created_at),
        }
        for name, label in self.values.items():
            label.setText(shown.get(name) or _NOT_RECORDED)
        self._archived = patient.archived
        self.archive_button.setText("Rest&ore patient" if patient.archived else "Arc&hive patient…")
        self.archive_button.setAccessibleName(
            "Restore patient" if patient.archived else "Archive patient"
        )
