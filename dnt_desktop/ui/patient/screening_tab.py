"""The Screening tab: earlier contraindication screenings, and a form for a new one."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Screening, catalogue
from dnt_desktop.models.enums import ScreeningStatus, Sex
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import record_screening, screenings
from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.drafts import ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.rules import RuleSettings, screening_questions, screening_review_due
from dnt_desktop.services.settings import rule_settings
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded, guarded_form
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.labels import InfoLabel
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit
from dnt_desktop.ui.widgets.list_table import fit_columns, list_table

from .body_measures import BodyMeasures, measures_text

STATUS_LABELS = {
    ScreeningStatus.PRESENT: "Present",
    ScreeningStatus.ABSENT: "Absent",
    ScreeningStatus.UNKNOWN: "Unknown",
}


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def findings_summary(screening: Screening) -> str:
    """'Present: X, Y' (and unknowns), or 'None present'."""
    present = [
        catalogue.label_of("contraindication", a.code)
        for a in screening.answers
        if a.status == ScreeningStatus.PRESENT
    ]
    unknown = [a for a in screening.answers if a.status == ScreeningStatus.UNKNOWN]
    text = "Present: " + "; ".join(present) if present else "None present"
    if unknown:
        text += f" ({len(unknown)} unknown)"
    return text


class ScreeningRow:
    """One contraindication of the form: three exclusive choices and a detail line."""

    def __init__(self, item: catalogue.Contraindication, parent: QWidget) -> None:
        self.code = item.code
        self.label = QLabel(item.label)
        self.label.setWordWrap(True)
        self.label.setToolTip(item.question)
        self.question = QLabel(item.question)
        self.question.setWordWrap(True)
        self.question.setProperty("role", "hint")
        self.group = QButtonGroup(parent)
        self.buttons: dict[ScreeningStatus, QRadioButton] = {}
        for status, text in STATUS_LABELS.items():
            button = QRadioButton(text)
            button.setAccessibleName(f"{item.label}: {text}")
            self.group.addButton(button)
            self.buttons[status] = button
        self.detail = LimitedLineEdit("screening", "detail")
        self.detail.setAccessibleName(f"{item.label}: detail")
        self.detail.setPlaceholderText("detail")

    def status(self) -> ScreeningStatus | None:
        """The chosen answer, None while unanswered."""
        for status, button in self.buttons.items():
            if button.isChecked():
                return status
        return None

    def set_status(self, status: ScreeningStatus | None) -> None:
        """Choose *status* (None clears the row)."""
        self.group.setExclusive(False)
        for value, button in self.buttons.items():
            button.setChecked(value == status)
        self.group.setExclusive(True)

    def set_asked(self, asked: bool) -> None:
        """Show the row, or hide it (and clear it) when the question does not arise."""
        for widget in (self.label, self.question, self.detail, *self.buttons.values()):
            widget.setVisible(asked)
        if not asked:
            self.set_status(None)
            self.detail.clear()

    def mark_missing(self, missing: bool) -> None:
        """Show the row's label in red while it still needs an answer."""
        self.label.setProperty("role", "error" if missing else None)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)


class ScreeningTab(QWidget):
    """History newest first, with who and when; ``New screening`` opens the form."""

    recorded = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self.sex: Sex = Sex.UNKNOWN
        self._screenings: list[Screening] = []
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_history())
        self.stack.addWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- history page ----------------------------------------------------------------

    def _build_history(self) -> QWidget:
        page = QWidget()
        self.table = list_table(["Screened", "By", "Findings"], "Earlier screenings")
        fit_columns(self.table, 2)
        self.table.currentCellChanged.connect(lambda row, *_: self._show_answers(row))
        self.answers = QTextBrowser()
        self.answers.setAccessibleName("Answers of the selected screening")
        self.answers.setOpenLinks(False)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        self.table.setMinimumHeight(70)  # short screens: the chart's banner comes first
        self.answers.setMinimumHeight(60)
        splitter.addWidget(self.table)
        splitter.addWidget(self.answers)
        splitter.setSizes([140, 200])
        self.history_splitter = splitter

        self.empty_label = InfoLabel(
            "No screening on record. Screen the patient for contraindications before needling.",
            "Screening state",
        )
        self.empty_label.setObjectName("screening_state")
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("role", "error")
        self.new_button = QPushButton("&New screening…")
        self.new_button.setProperty("primary", True)
        self.new_button.setAccessibleName("New screening")
        self.new_button.clicked.connect(self.start_new)
        layout = QVBoxLayout(page)
        layout.addLayout(message_row(self.empty_label, [self.new_button]))
        layout.addWidget(splitter, 1)
        return page

    def _show_answers(self, row: int) -> None:
        if not 0 <= row < len(self._screenings):
            self.answers.clear()
            return
        screening = self._screenings[row]
        who = screening.practitioner.full_name if screening.practitioner else ""
        lines = [
            f"<p><b>Screened {format_datetime(screening.screened_at)}</b> by {_escape(who)}</p>",
            "<table cellspacing='0' cellpadding='3'>",
        ]
        for answer in screening.answers:
            label = catalogue.label_of("contraindication", answer.code)
            status = STATUS_LABELS.get(answer.status, str(answer.status))
            colour = {"present": "#b71c1c", "unknown": "#8a5a00"}.get(answer.status, "#1b5e20")
            detail = f" &mdash; {_escape(answer.detail)}" if answer.detail else ""
            lines.append(
                f"<tr><td>{_escape(label)}</td><td style='color:{colour}'><b>{status}</b>"
                f"{detail}</td></tr>"
            )
        lines.append("</table>")
        lines.append(f"<p>{_escape(measures_text(screening.height_cm, screening.weight_kg))}</p>")
        if screening.notes:
            lines.append(f"<p><i>Notes:</i> {_escape(screening.notes)}</p>")
        self.answers.setHtml("".join(lines))

    # --- form page -------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        page = QWidget()
        intro = QLabel(
            "<b>New screening</b> (dated now). Ask each question and choose Present, Absent "
            "or Unknown; earlier screenings stay on record."
        )
        intro.setWordWrap(True)
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(2)
        self.rows: list[ScreeningRow] = []
        body = QWidget()
        body.setLayout(grid)
        for number, item in enumerate(catalogue.contraindications()):
            row = ScreeningRow(item, body)
            self.rows.append(row)
            line = number * 2
            grid.addWidget(row.label, line, 0)
            for column, status in enumerate(STATUS_LABELS, start=1):
                grid.addWidget(row.buttons[status], line, column)
            grid.addWidget(self.errors.add(f"answers[{number}].detail", row.detail), line, 4)
            grid.addWidget(row.question, line + 1, 0, 1, 5)
            grid.setRowMinimumHeight(line + 1, 0)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(4, 2)
        self.notes = LimitedLineEdit("screening", "notes")
        self.notes.setAccessibleName("Screening notes")
        self.notes.setPlaceholderText("notes (optional)")
        notes_label = QLabel("No&tes")
        notes_label.setBuddy(self.notes)
        notes_row = len(self.rows) * 2
        grid.addWidget(notes_label, notes_row, 0)
        grid.addWidget(self.errors.add("notes", self.notes), notes_row, 1, 1, 4)
        self.measures = BodyMeasures()  # issue 16: the BMI of the lung-risk depth limits
        grid.addWidget(self.measures, notes_row + 1, 0, 1, 5)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # its fields take the focus
        scroll.setAccessibleName("Screening questions")
        scroll.setWidget(body)
        self.form_scroll = scroll

        self.none_button = QPushButton("None &of these")
        self.none_button.setObjectName("screening_none")
        self.none_button.setAccessibleName("None of these: mark every unanswered question absent")
        self.none_button.setToolTip(
            "Mark every question not answered yet as Absent (answers already chosen stay)"
        )
        self.none_button.clicked.connect(self.none_of_these)
        self.record_button = QPushButton("&Record screening")
        self.record_button.setProperty("primary", True)
        self.record_button.clicked.connect(self.record)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_new)
        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addLayout(
            message_row(self.general, [self.none_button, self.cancel_button, self.record_button])
        )
        return page

    def asked_rows(self) -> list[ScreeningRow]:
        """The rows asked of this patient (no pregnancy question for a man)."""
        asked = {item.code for item in screening_questions(self.sex)}
        return [row for row in self.rows if row.code in asked]

    def none_of_these(self) -> None:
        """Answer Absent to every question still without an answer."""
        for row in self.asked_rows():
            if row.status() is None:
                row.set_status(ScreeningStatus.ABSENT)
                row.mark_missing(False)
        self.general.setVisible(False)
        self.record_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def start_new(self) -> None:
        """Show an empty form (no answer pre-chosen)."""
        for row in self.rows:
            row.set_status(None)
            row.detail.clear()
            row.mark_missing(False)
        self.notes.clear()
        self.measures.clear()
        self.errors.clear()
        asked = self.asked_rows()
        for row in self.rows:
            row.set_asked(row in asked)
        self.stack.setCurrentIndex(1)
        if asked:
            asked[0].buttons[ScreeningStatus.PRESENT].setFocus()

    def cancel_new(self) -> None:
        """Leave the form without saving."""
        self.stack.setCurrentIndex(0)
        self.new_button.setFocus()

    def is_editing(self) -> bool:
        """True while the form is open with something chosen or typed."""
        if self.stack.currentIndex() != 1:
            return False
        return (
            bool(self.notes.text().strip())
            or self.measures.has_values()
            or any(row.status() is not None or row.detail.text().strip() for row in self.rows)
        )

    def form(self) -> ScreeningForm:
        """The answers as chosen (unanswered rows are left out)."""
        answers = [
            ScreeningAnswerForm(row.code, status, row.detail.text())
            for row in self.asked_rows()
            if (status := row.status()) is not None
        ]
        return ScreeningForm(
            answers=answers,
            notes=self.notes.text(),
            height_cm=self.measures.height(),
            weight_kg=self.measures.weight(),
        )

    def record(self) -> None:
        """Check every row is answered, then store the screening."""
        if self.patient_id is None:
            return
        missing = [row for row in self.asked_rows() if row.status() is None]
        for row in self.rows:
            row.mark_missing(row in missing)
        if missing:
            self.general.setText(
                f"Answer every contraindication: {len(missing)} still without an answer "
                "(Present, Absent or Unknown)."
            )
            self.general.setVisible(True)
            missing[0].buttons[ScreeningStatus.PRESENT].setFocus()
            return
        patient_id, form = self.patient_id, self.form()
        new_id = guarded_form(
            self,
            "Record screening",
            lambda: record_screening(self.ctx.db, self.ctx.practitioner_id, patient_id, form),
            self.errors.show,
        )
        if new_id is None:
            return
        self.stack.setCurrentIndex(0)
        self.ctx.hub.publish(Changes.screening(new_id, patient_id))
        self.recorded.emit(new_id)

    # --- loading ---------------------------------------------------------------------

    def set_sex(self, sex: Sex) -> None:
        """The patient's sex decides which questions are asked (from the next form on)."""
        self.sex = sex

    def show_patient(self, patient_id: int, sex: Sex | None = None) -> None:
        """Load the patient's screenings (leaving an open form of the same patient alone)."""
        if patient_id != self.patient_id:
            self.stack.setCurrentIndex(0)
        if sex is not None:
            self.sex = sex
        self.patient_id = patient_id
        rows = guarded(self, "Screenings", lambda: screenings(self.ctx.db, patient_id))
        self._screenings = rows or []
        self.table.setRowCount(len(self._screenings))
        for number, screening in enumerate(self._screenings):
            who = screening.practitioner.full_name if screening.practitioner else ""
            values = (format_datetime(screening.screened_at), who, findings_summary(screening))
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 2 and value.startswith("Present"):
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(number, column, item)
        self._show_state(guarded(self, "Settings", lambda: rule_settings(self.ctx.db)))
        if self._screenings:
            self.table.setCurrentCell(0, 0)
            self._show_answers(0)
        else:
            self.answers.clear()

    def _show_state(self, settings: RuleSettings | None) -> None:
        """Say when there is no screening, or when the latest is due for review."""
        if not self._screenings:
            self.empty_label.setText(
                "No screening on record. Screen the patient for contraindications before needling."
            )
            self.empty_label.setVisible(True)
            return
        months = (settings or RuleSettings()).screening_review_months
        latest = self._screenings[0].screened_at
        due = screening_review_due(latest.date(), date.today(), months)
        self.empty_label.setText(
            f"Due for review: the latest screening is from {format_datetime(latest)}, more "
            f"than {months} months ago. Screen the patient again (New screening)."
            if due
            else ""
        )
        self.empty_label.setVisible(due)
