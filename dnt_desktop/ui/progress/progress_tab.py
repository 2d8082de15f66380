"""The chart's Progress tab: the pain graph, outcome measures, the referrer and letters."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QShowEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date, format_datetime
from dnt_desktop.services.progress.letters import sent_letters
from dnt_desktop.services.progress.measures import (
    RecordedMeasure,
    patient_measures,
    progress_by_measure,
    retract_measure,
)
from dnt_desktop.services.progress.pain_trend import pain_trend
from dnt_desktop.services.progress.referrers import (
    patient_referrer,
    referrers,
    set_patient_referrer,
)
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.column_fit import Column, ColumnFit
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.list_table import configure_list_table

from .pain_chart import PainChart

HEADERS = ("Date", "Measure", "Score", "Answers", "Recorded by")


class ProgressTab(QWidget):
    """Everything about how the patient is doing, for them and for their referrer."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self._stale = False
        self.measures: list[RecordedMeasure] = []
        self.chart = PainChart()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.referrer = WideComboBox()
        self.referrer.setAccessibleName("Referrer")
        self.referrer.setSizeAdjustPolicy(
            WideComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.referrer.setMinimumContentsLength(16)
        self.referrers_button = QPushButton("Refe&rrers…")
        referrer_label = QLabel("Referred &by:")
        referrer_label.setBuddy(self.referrer)

        self.model = QStandardItemModel(0, len(HEADERS), self)
        self.model.setHorizontalHeaderLabels(list(HEADERS))
        self.table = QTableView()
        self.table.setModel(self.model)
        configure_list_table(self.table, "Outcome measures", row_padding=6)
        self.table.setWordWrap(False)
        self.columns = ColumnFit(
            self.table,
            {3: Column(minimum=80), 4: Column(minimum=80, hide_rank=1)},  # answers, who
            stretch=3,
        )
        self.record_button = QPushButton("Record &measure…")
        self.error_button = QPushButton("Entered in &error…")
        self.error_button.setToolTip(
            "Set the selected measure aside with the reason; the original is kept"
        )

        self.letters = QListWidget()
        self.letters.setAccessibleName("Letters sent")
        self.letter_button = QPushButton("&Write letter…")
        self.open_letter_button = QPushButton("Open le&tter…")

        top = QHBoxLayout()
        top.addWidget(referrer_label)
        top.addWidget(self.referrer, 1)
        top.addWidget(self.referrers_button)
        actions = QHBoxLayout()  # the two everyday actions first, always in view
        actions.addWidget(self.record_button)
        actions.addWidget(self.letter_button)
        actions.addStretch(1)

        measures_box = QWidget()
        measures_layout = QVBoxLayout(measures_box)
        measures_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Outcome measures")
        title.setProperty("role", "section")
        measures_layout.addWidget(title)
        measures_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.error_button)
        row.addStretch(1)
        measures_layout.addLayout(row)

        letters_box = QWidget()
        letters_layout = QVBoxLayout(letters_box)
        letters_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Letters sent")
        title.setProperty("role", "section")
        letters_layout.addWidget(title)
        letters_layout.addWidget(self.letters, 1)
        row = QHBoxLayout()
        row.addWidget(self.open_letter_button)
        row.addStretch(1)
        letters_layout.addLayout(row)

        lower = QSplitter()
        lower.addWidget(measures_box)
        lower.addWidget(letters_box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        lower.setMinimumHeight(190)
        content = QWidget()
        inner = QVBoxLayout(content)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(actions)
        inner.addLayout(top)
        inner.addWidget(self.chart, 3)
        inner.addWidget(self.summary)
        inner.addWidget(lower, 2)
        scroll = QScrollArea()  # on a small screen the tab scrolls instead of growing
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName("Progress")
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.referrer.activated.connect(self._referrer_chosen)
        self.referrers_button.clicked.connect(self.manage_referrers)
        self.record_button.clicked.connect(lambda: self.record_measure())
        self.error_button.clicked.connect(self.mark_entered_in_error)
        self.letter_button.clicked.connect(lambda: self.write_letter())
        self.open_letter_button.clicked.connect(self.open_letter)
        self.letters.itemActivated.connect(lambda _item: self.open_letter())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        ctx.hub.changed.connect(self._on_changed)

    def preferred_focus(self) -> QWidget:
        """The first control (the chart view cannot be named by a screen reader)."""
        return self.record_button

    def show_patient(self, patient_id: int) -> None:
        """Show *patient_id*: read now when the tab is shown, else when it is next shown
        (opening a chart reads nothing for a tab nobody looks at)."""
        self.patient_id = patient_id
        self._stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: QShowEvent) -> None:
        """Read what changed while the tab was hidden."""
        super().showEvent(event)
        if self._stale and self.patient_id is not None:
            self.reload()

    def reload(self) -> None:
        """Read the patient's sessions, measures, referrer and letters again."""
        patient_id = self.patient_id
        if patient_id is None:
            return
        self._stale = False
        trend = guarded(self, "Progress", lambda: pain_trend(self.ctx.db, patient_id))
        measures = guarded(self, "Progress", lambda: patient_measures(self.ctx.db, patient_id))
        if trend is None or measures is None:
            return
        self.chart.show_trend(trend)
        self.measures = measures
        lines = [("Pain before treatment", trend.describe() + ".")]
        conditions = trend.conditions()
        if conditions:
            lines.append(("Conditions", ", ".join(conditions) + "."))
        for course in progress_by_measure(measures):
            label, _, text = course.describe().partition(": ")
            lines.append((label, text))
        self.summary.setText(
            "<br>".join(f"<b>{escape(label)}:</b> {escape(text)}" for label, text in lines)
        )
        self._fill_measures()
        self._fill_referrers()
        self._fill_letters()

    def _fill_measures(self) -> None:
        self.model.removeRows(0, self.model.rowCount())
        for item in reversed(self.measures):
            answers = "; ".join(
                f"{a.label}: {a.value}" if a.label else str(a.value)
                for a in item.answers
                if a.value is not None
            )
            cells = [
                format_date(item.taken_on),
                item.name,
                item.score_text,
                answers,
                item.practitioner,
            ]
            row = [QStandardItem(text) for text in cells]
            for cell in row:
                cell.setEditable(False)
                cell.setData(item.measure_id, Qt.ItemDataRole.UserRole)
                if not item.counts:
                    font = QFont()
                    font.setStrikeOut(True)
                    cell.setFont(font)
                    cell.setToolTip(f"Entered in error: {item.retracted_reason}")
            row[1].setText(item.name + ("" if item.counts else " (entered in error)"))
            row[3].setToolTip(answers)
            self.model.appendRow(row)
        self.columns.schedule()
        self._update_buttons()

    def _fill_referrers(self) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        chosen = guarded(self, "Referrer", lambda: patient_referrer(self.ctx.db, patient_id))
        found = guarded(self, "Referrer", lambda: referrers(self.ctx.db)) or []
        self.referrer.clear()
        self.referrer.addItem("No referrer", None)
        for referrer in found:
            self.referrer.addItem(referrer.label, referrer.referrer_id)
        if chosen is not None and self.referrer.findData(chosen.referrer_id) < 0:
            self.referrer.addItem(chosen.label + " (inactive)", chosen.referrer_id)
        index = self.referrer.findData(chosen.referrer_id) if chosen else 0
        self.referrer.setCurrentIndex(max(0, index))

    def _fill_letters(self) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        found = guarded(self, "Letters", lambda: sent_letters(self.ctx.db, patient_id)) or []
        self.letters.clear()
        for letter in found:
            to = letter.recipient.split("\n")[0] or "no referrer"
            item = QListWidgetItem(
                f"{format_datetime(letter.sent_at)}  {letter.title} to {to} ({letter.kind}, "
                f"{letter.author})"
            )
            item.setData(Qt.ItemDataRole.UserRole, letter.letter_id)
            self.letters.addItem(item)
        self.open_letter_button.setEnabled(bool(found))

    def _update_buttons(self) -> None:
        measure = self.selected_measure()
        self.error_button.setEnabled(measure is not None and measure.counts)

    def selected_measure(self) -> RecordedMeasure | None:
        """The measure highlighted in the table."""
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        measure_id = self.model.item(index.row(), 0).data(Qt.ItemDataRole.UserRole)
        return next((m for m in self.measures if m.measure_id == measure_id), None)

    # --- actions ---------------------------------------------------------------------

    def _referrer_chosen(self, index: int) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        referrer_id = self.referrer.itemData(index)
        changes = guarded(
            self,
            "Referrer",
            lambda: set_patient_referrer(
                self.ctx.db, self.ctx.practitioner_id, patient_id, referrer_id
            ),
        )
        if changes:
            self.ctx.hub.publish(changes)

    def manage_referrers(self) -> None:
        """The clinic's list of referrers."""
        from .referrers_dialog import ReferrersDialog

        ReferrersDialog(self.ctx, self).exec()

    def record_measure(self, code: str = "psfs") -> int | None:
        """Record an outcome measure for the patient; its id, or None when cancelled."""
        if self.patient_id is None:
            return None
        from .measure_dialog import MeasureDialog

        dialog = MeasureDialog(self.ctx, self.patient_id, code, self)
        dialog.exec()
        return dialog.measure_id

    def mark_entered_in_error(self) -> None:
        """Set the selected measure aside as entered in error, with the reason."""
        measure = self.selected_measure()
        if measure is None or not measure.counts:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Entered in error",
            f"Why was the {measure.name} of {format_date(measure.taken_on)} (score "
            f"{measure.score_text}) entered in error? It stays on the chart, struck through, "
            "and no longer counts.",
        )
        if not ok:
            return
        changes = guarded(
            self,
            "Entered in error",
            lambda: retract_measure(
                self.ctx.db, self.ctx.practitioner_id, measure.measure_id, reason
            ),
        )
        if changes:
            self.ctx.hub.publish(changes)

    def write_letter(self, template: str = "progress") -> None:
        """Write a letter to the referrer."""
        if self.patient_id is None:
            return
        from .letter_dialog import LetterDialog

        LetterDialog(self.ctx, self.patient_id, template, self).exec()

    def open_letter(self) -> None:
        """Show the selected kept letter exactly as sent."""
        item = self.letters.currentItem() or self.letters.item(0)
        if item is None:
            return
        from .letter_dialog import SentLetterDialog

        letter_id = item.data(Qt.ItemDataRole.UserRole)
        dialog = guarded(self, "Letter", lambda: SentLetterDialog(self.ctx, letter_id, self))
        if dialog is not None:
            dialog.exec()

    def _on_changed(self, changes: Changes) -> None:
        patient_id = self.patient_id
        if patient_id is None:
            return
        if changes.referrers or (
            changes.concerns(patient_id)
            and (changes.measures or changes.letters or changes.sessions)
        ):
            self.show_patient(patient_id)
