"""Administration > Records past retention…: the records whose retention period is over,
and disposing of one after confirmation: anonymising it (the clinical counts kept) or
erasing it completely, as the administrator chooses (the clinic's settings say which is
offered first)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.dates import format_date
from dnt_desktop.services.disposal import (
    DisposalKind,
    RetentionRow,
    default_disposal,
    dispose_of,
    erasure_counts,
    records_past_retention,
)
from dnt_desktop.services.disposal_erase import counts_text
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded, guarded_form
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit
from dnt_desktop.ui.widgets.list_table import fit_columns, highlighted, list_table
from dnt_desktop.ui.widgets.window_size import place_window

WHAT_IS_REMOVED = (
    "Disposing of a record anonymises it: names, the day and month of birth, phone, "
    "e-mail, address, emergency contact, medical history, medications, allergies and every "
    "note and free text (sessions, points, side effects, amendments, screenings, consents) "
    "are removed, and attached files deleted. Sessions, points, side effects, consents and "
    "screenings stay as counts for the clinic's statistics; signed sessions stay verifiable. "
    "The audit trail records what was removed and why. This cannot be undone."
)
WHAT_IS_ERASED = (
    "Erasing a record deletes all of it: the patient's details and everything linked to "
    "them (sessions with their points, side effects, conditions and alerts; amendments and "
    "events reported later; screenings, consents with their signed copies, attached files, "
    "outcome measures, letters sent, aftercare sheets given, drafts). Nothing is kept for "
    "statistics. The audit trail keeps its earlier events of the record (they name the "
    "patient by chart number) and one that says it was erased, how many rows and why. This "
    "cannot be undone."
)
CHOICES = {
    DisposalKind.ANONYMISE: "&Anonymise (keep the clinical counts for statistics)",
    DisposalKind.ERASE: "&Erase completely",
}


class RetentionDialog(QDialog):
    """The list, newest overdue last; Dispose of… asks the reason, then confirms."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[RetentionRow] = []
        self.setObjectName("retention_dialog")
        self.setWindowTitle("Records past retention")
        intro = QLabel(
            "Records whose retention period is over (adults 8 years after the last "
            "treatment, children until their 25th birthday or 8 years, whichever is longer; "
            "the periods are set in Settings)."
        )
        intro.setWordWrap(True)
        self.table = list_table(
            ["Chart no.", "Name", "Born", "Last treatment", "Kept until", "Rule"],
            "Records past retention",
        )
        fit_columns(self.table, 5)
        self.table.currentCellChanged.connect(lambda *_: self._update())
        self.empty = QLabel("No record is past its retention period.")
        self.empty.setProperty("role", "hint")
        self.choices: dict[DisposalKind, QRadioButton] = {}
        self.kind_group = QButtonGroup(self)
        choice_row = QVBoxLayout()
        choice_row.setSpacing(2)
        for kind, text in CHOICES.items():
            button = QRadioButton(text)
            button.setObjectName(f"disposal_{kind.value}")
            self.kind_group.addButton(button)
            self.choices[kind] = button
            choice_row.addWidget(button)
        chosen = guarded(self, "Records past retention", lambda: default_disposal(ctx.db))
        self.choices[chosen or DisposalKind.ANONYMISE].setChecked(True)
        self.kind_group.buttonToggled.connect(lambda *_: self._show_what_is_removed())
        self.removed = QLabel()
        self.removed.setWordWrap(True)
        self.removed.setProperty("role", "hint")
        self._show_what_is_removed()
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.reason = LimitedLineEdit("disposal", "reason")
        self.reason.setAccessibleName("Reason for the disposal")
        self.reason.setPlaceholderText("e.g. annual review of records, retention period over")
        form = QFormLayout()
        form.addRow("Dispose by", choice_row)
        form.addRow("&Reason *", self.errors.add("reason", self.reason))
        self.dispose_button = QPushButton("&Dispose of record…")
        self.dispose_button.setAccessibleName("Dispose of the selected record")
        self.dispose_button.clicked.connect(self.dispose_selected)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = message_row(self.general, [close, self.dispose_button])
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(form)
        layout.addWidget(self.removed)
        layout.addLayout(buttons)
        place_window(self, "retention_dialog", 900, 600)
        self.refresh()

    def refresh(self) -> None:
        self.rows = (
            guarded(self, "Records past retention", lambda: records_past_retention(self.ctx.db))
            or []
        )
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            values = (
                row.chart_number,
                row.name,
                format_date(row.date_of_birth),
                format_date(row.last_treatment) or "none",
                format_date(row.retention.ends_on),
                row.retention.rule,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(number, column, item)
        if self.rows:
            self.table.setCurrentCell(0, 0)
        self.empty.setVisible(not self.rows)
        self._update()

    def kind(self) -> DisposalKind:
        """The disposal chosen on screen."""
        return next(k for k, b in self.choices.items() if b.isChecked())

    def _show_what_is_removed(self) -> None:
        erase = self.kind() is DisposalKind.ERASE
        self.removed.setText(WHAT_IS_ERASED if erase else WHAT_IS_REMOVED)

    def _update(self) -> None:
        self.dispose_button.setEnabled(self.selected() is not None)

    def selected(self) -> RetentionRow | None:
        return highlighted(self.table, self.rows)

    def confirm_text(self, row: RetentionRow) -> str | None:
        """What the confirmation says for the disposal chosen (None: the record cannot be
        read, a message was shown)."""
        ended = (
            f"Its retention ended on {format_date(row.retention.ends_on)} ({row.retention.rule})."
        )
        if self.kind() is DisposalKind.ANONYMISE:
            return (
                f"Anonymise the record of {row.name} (chart no. {row.chart_number})?\n\n"
                f"{ended} {WHAT_IS_REMOVED}"
            )
        counts = guarded(self, "Erase record", lambda: erasure_counts(self.ctx.db, row.patient_id))
        if counts is None:
            return None
        return (
            f"Erase the record of {row.name} (chart no. {row.chart_number}) completely?\n\n"
            f"{ended} Deleted for good: {counts_text(counts)}.\n\n"
            f"{WHAT_IS_ERASED}"
        )

    def confirmation(self, row: RetentionRow) -> tuple[QMessageBox, QAbstractButton] | None:
        """The question asked before anything is removed, and its button that goes ahead
        (Cancel is the default)."""
        text = self.confirm_text(row)
        if text is None:
            return None
        erase = self.kind() is DisposalKind.ERASE
        box = QMessageBox(
            QMessageBox.Icon.Warning if erase else QMessageBox.Icon.Question,
            "Erase record" if erase else "Dispose of record",
            text,
            QMessageBox.StandardButton.Cancel,
            self,
        )
        go = box.addButton(
            "Erase for good" if erase else "Anonymise", QMessageBox.ButtonRole.DestructiveRole
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box, go

    def confirm(self, row: RetentionRow) -> bool:
        """Ask before anything is removed (patched in tests)."""
        asked = self.confirmation(row)
        if asked is None:
            return False
        box, go = asked
        box.exec()
        return box.clickedButton() is go

    def dispose_selected(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        if not self.reason.text().strip():
            self.errors.show(
                [Problem("reason", "Say why the record is disposed of (e.g. retention over).")]
            )
            return False
        if not self.confirm(row):
            return False
        reason, kind = self.reason.text(), self.kind()
        changes = guarded_form(
            self,
            "Dispose of record",
            lambda: dispose_of(
                self.ctx.db, self.ctx.practitioner_id, row.patient_id, reason, kind=kind
            ),
            self.errors.show,
        )
        if changes is None:
            return False
        self.ctx.hub.publish(changes)
        self.reason.clear()
        self.refresh()
        return True
