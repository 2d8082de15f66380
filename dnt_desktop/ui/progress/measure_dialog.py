"""Record an outcome measure: the questionnaire, the date, its answers, the score as typed."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.progress.definitions import (
    MeasureDefinition,
    measure_file_problems,
    measures,
)
from dnt_desktop.services.progress.measures import Answer, check_answers, record_measure
from dnt_desktop.services.progress.scoring import points
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.combo_box import WideComboBox

TITLE = "Record outcome measure"


class MeasureDialog(QDialog):
    """Choose a questionnaire, answer it, see its score; Save records and seals it."""

    def __init__(
        self, ctx: AppContext, patient_id: int, code: str = "psfs", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id = patient_id
        self.measure_id: int | None = None
        self.setWindowTitle(TITLE)
        self.definitions = measures()
        self.kind = WideComboBox()
        self.kind.setAccessibleName("Questionnaire")
        for definition in self.definitions.values():
            self.kind.addItem(f"{definition.short_name}: {definition.name}", definition.code)
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd MMM yyyy")
        self.when.setMaximumDate(QDate.currentDate())
        self.when.setAccessibleName("Date taken")
        self.notes = QLineEdit()
        self.notes.setAccessibleName("Note")
        self.notes.setMaxLength(2000)
        form = QFormLayout()
        form.addRow("&Questionnaire:", self.kind)
        form.addRow("&Date taken:", self.when)
        self.items_box = QWidget()
        self.items = QGridLayout(self.items_box)
        self.items.setContentsMargins(0, 0, 0, 0)
        self.file_problems = QLabel(
            "Left out: " + " ".join(measure_file_problems())
        )  # a clinic's questionnaire file with a mistake: say which, and where
        self.file_problems.setWordWrap(True)
        self.file_problems.setProperty("role", "warning")
        self.file_problems.setVisible(bool(measure_file_problems()))
        self.source = QLabel()
        self.source.setWordWrap(True)
        self.source.setProperty("role", "hint")
        self.score = QLabel()
        self.score.setWordWrap(True)
        self.score.setProperty("role", "section")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_problems)
        layout.addLayout(form)
        layout.addWidget(self.items_box)
        notes = QFormLayout()
        notes.addRow("&Note:", self.notes)
        layout.addLayout(notes)
        layout.addWidget(self.score)
        layout.addWidget(self.source)
        layout.addWidget(self.buttons)
        self.labels: list[QLineEdit | None] = []
        self.values: list[QSpinBox] = []
        self.kind.currentIndexChanged.connect(self._build_items)
        index = self.kind.findData(code)
        self.kind.setCurrentIndex(max(0, index))
        self._build_items()
        self.resize(640, 0)

    @property
    def definition(self) -> MeasureDefinition:
        """The questionnaire chosen."""
        return self.definitions[self.kind.currentData()]

    def _build_items(self) -> None:
        while self.items.count():
            widget = self.items.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        definition = self.definition
        scale = definition.scale
        self.labels, self.values = [], []
        for row, slot in enumerate(definition.slots):
            spin = QSpinBox()
            spin.setRange(scale.low - 1, scale.high)
            spin.setSpecialValueText("–")  # the value below the scale: not answered
            spin.setValue(scale.low - 1)
            spin.valueChanged.connect(self._update_score)
            if definition.named_items:
                label = QLineEdit()
                label.setMaxLength(200)
                label.setPlaceholderText(f"Activity {row + 1} the patient names")
                label.setAccessibleName(f"Activity {row + 1}")
                label.textChanged.connect(self._update_score)
                spin.setAccessibleName(f"Activity {row + 1} score")
                self.items.addWidget(label, row, 0)
                self.labels.append(label)
            else:
                text = QLabel(slot.label)
                text.setWordWrap(True)
                text.setBuddy(spin)
                spin.setAccessibleName(slot.label[:80])
                self.items.addWidget(text, row, 0)
                self.labels.append(None)
            self.items.addWidget(spin, row, 1)
            self.values.append(spin)
        self.items.setColumnStretch(0, 1)
        self.source.setText(
            f"Scale {scale.low} ({scale.low_label}) to {scale.high} ({scale.high_label}). "
            f"Minimal important change {definition.mcid_text} points: {definition.mcid_source}"
        )
        self._update_score()
        self._fit_source()

    def _fit_source(self) -> None:
        """Room for the whole source text at the dialog's width (a wrapped label's height
        is not known to the layout before it is shown)."""
        width = max(self.width(), 640) - 40
        self.source.setMinimumHeight(self.source.heightForWidth(width))
        self.score.setMinimumHeight(self.score.heightForWidth(width))

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the wrapped texts whole when the dialog is resized."""
        super().resizeEvent(event)
        self._fit_source()

    def answers(self) -> list[Answer]:
        """The answers as typed (None: '–', not answered)."""
        low = self.definition.scale.low
        return [
            Answer(
                label.text() if label is not None else "",
                spin.value() if spin.value() >= low else None,
            )
            for label, spin in zip(self.labels, self.values, strict=True)
        ]

    def _update_score(self) -> None:
        try:
            value = check_answers(self.definition, self.answers())
        except ServiceError as exc:
            self.score.setText(f"Score: –   ({exc})")
            return
        self.score.setText(f"Score: {points(value)}")

    def save(self) -> None:
        """Record and seal the measure; the dialog stays open with what was typed on error."""
        picked = self.when.date()
        taken = date(picked.year(), picked.month(), picked.day())
        result = guarded(
            self,
            TITLE,
            lambda: record_measure(
                self.ctx.db,
                self.ctx.practitioner_id,
                self.patient_id,
                self.definition.code,
                taken,
                self.answers(),
                notes=self.notes.text(),
                definition=self.definition,
            ),
        )
        if result is None:
            return
        self.measure_id, changes = result
        self.ctx.hub.publish(changes)
        self.accept()
