"""The Consent tab: consents on record with their state; record and withdraw consent."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Consent
from dnt_desktop.models.enums import ConsentMethod
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import consents, record_consent, withdraw_consent
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.drafts import ConsentForm
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui import style
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded, guarded_form
from dnt_desktop.ui.record.consent_bar import SignedConsentBar
from dnt_desktop.ui.widgets.button_rows import message_row
from dnt_desktop.ui.widgets.dates import DATE_EXAMPLES, DateLineEdit
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.labels import scrolled
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit
from dnt_desktop.ui.widgets.list_table import fit_columns, highlighted, list_table

DEFAULT_TEXT_VERSION = "DN-consent-v1"
LIST_PAGE, RECORD_PAGE, WITHDRAW_PAGE = 0, 1, 2
FORM_WIDTH = 720


def consent_state_text(consent: Consent) -> str:
    """'Active', or 'Withdrawn 01 May 2025 by X: note'."""
    if consent.withdrawn_on is None:
        return "Active"
    who = f" by {consent.withdrawn_by.full_name}" if consent.withdrawn_by else ""
    note = f": {consent.withdrawal_note}" if consent.withdrawal_note else ""
    return f"Withdrawn {format_date(consent.withdrawn_on)}{who}{note}"


def _form_box(form: QFormLayout) -> QWidget:
    """*form* in a box no wider than ``FORM_WIDTH``."""
    box = QWidget()
    box.setLayout(form)
    box.setMaximumWidth(FORM_WIDTH)
    return box


def _date_problem(field: str, edit: DateLineEdit, what: str) -> list[Problem]:
    if edit.is_blank():
        return [Problem(field, f"Enter the date {what}.")]
    if edit.date() is None:
        return [Problem(field, f"This is not a date: type it as {DATE_EXAMPLES}.")]
    return []


class ConsentTab(QWidget):
    """Consents newest first; forms to record one and to withdraw the selected one."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self._consents: list[Consent] = []
        self._withdrawing: Consent | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_list())
        self.stack.addWidget(scrolled(self._build_record(), "Record consent"))
        self.stack.addWidget(scrolled(self._build_withdraw(), "Withdraw consent"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # --- list ------------------------------------------------------------------------

    def _build_list(self) -> QWidget:
        page = QWidget()
        self.table = list_table(
            ["Given on", "How", "Form version", "Recorded by", "State"], "Consents on record"
        )
        fit_columns(self.table, 4)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())

        self.empty_label = QLabel("No informed consent on record. Record it before needling.")
        self.empty_label.setProperty("role", "error")
        self.empty_label.setWordWrap(True)
        self.record_button = QPushButton("&Record consent…")
        self.record_button.setProperty("primary", True)
        self.record_button.setAccessibleName("Record consent")
        self.record_button.clicked.connect(self.start_record)
        self.withdraw_button = QPushButton("&Withdraw consent…")
        self.withdraw_button.setAccessibleName("Withdraw selected consent")
        self.withdraw_button.clicked.connect(self.start_withdraw)
        # consent the patient signs: print, sign on screen, attach the scan (issue 17)
        self.signed_bar = SignedConsentBar(self.ctx, self.selected_consent)
        self.table.currentCellChanged.connect(lambda *_: self.signed_bar.update_state())
        layout = QVBoxLayout(page)
        layout.addLayout(message_row(self.empty_label, [self.withdraw_button, self.record_button]))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.signed_bar)
        return page

    def _update_buttons(self) -> None:
        consent = self.selected_consent()
        self.withdraw_button.setEnabled(consent is not None and consent.withdrawn_on is None)

    def selected_consent(self) -> Consent | None:
        """The consent highlighted in the list."""
        return highlighted(self.table, self._consents)

    # --- record form -----------------------------------------------------------------

    def _build_record(self) -> QWidget:
        page = QWidget()
        self.record_general = error_label()
        self.record_errors = FieldErrors(self.record_general)
        self.consented_on = DateLineEdit()
        self.consented_on.setAccessibleName("Consent date")
        self.written = QRadioButton("Wri&tten (signed form)")
        self.written.setAccessibleName("Written consent")
        self.verbal = QRadioButton("&Verbal")
        self.verbal.setAccessibleName("Verbal consent")
        self.method_group = QButtonGroup(page)
        self.method_group.addButton(self.written)
        self.method_group.addButton(self.verbal)
        method_row = QWidget()
        method_layout = QHBoxLayout(method_row)
        method_layout.setContentsMargins(0, 0, 0, 0)
        method_layout.addWidget(self.written)
        method_layout.addWidget(self.verbal)
        method_layout.addStretch(1)
        method_row.setFocusProxy(self.written)
        method_row.setFocusPolicy(self.written.focusPolicy())
        self.text_version = LimitedLineEdit("consent", "text_version")
        self.text_version.setAccessibleName("Consent form version")
        self.consent_notes = LimitedLineEdit("consent", "notes")
        self.consent_notes.setAccessibleName("Consent notes")
        self.consent_notes.setPlaceholderText("optional, e.g. interpreter present")

        heading = QLabel("<b>Record informed consent to dry needling</b>")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Date given *", self.record_errors.add("consented_on", self.consented_on))
        form.addRow("How given *", self.record_errors.add("method", method_row))
        form.addRow("&Form version *", self.record_errors.add("text_version", self.text_version))
        form.addRow("N&otes", self.record_errors.add("notes", self.consent_notes))
        self.save_consent_button = QPushButton("&Save consent")
        self.save_consent_button.setProperty("primary", True)
        self.save_consent_button.clicked.connect(self.record)
        layout = QVBoxLayout(page)
        layout.addWidget(heading)
        layout.addWidget(_form_box(form))
        layout.addStretch(1)
        layout.addLayout(self._form_buttons(self.record_general, self.save_consent_button))
        return page

    def start_record(self) -> None:
        """Open the consent form, dated today (visible, so it is checked)."""
        self.consented_on.set_date(date.today())
        self.method_group.setExclusive(False)
        self.written.setChecked(False)
        self.verbal.setChecked(False)
        self.method_group.setExclusive(True)
        self.text_version.setText(self._consents[0].text_version if self._consents else "")
        if not self.text_version.text():
            self.text_version.setText(DEFAULT_TEXT_VERSION)
        self.consent_notes.clear()
        self.record_errors.clear()
        self.stack.setCurrentIndex(RECORD_PAGE)
        self.consented_on.setFocus()
        self.consented_on.selectAll()

    def consent_form(self) -> ConsentForm | None:
        """The consent as entered, or None after showing what is missing."""
        problems = _date_problem("consented_on", self.consented_on, "consent was given")
        method = (
            ConsentMethod.WRITTEN
            if self.written.isChecked()
            else ConsentMethod.VERBAL
            if self.verbal.isChecked()
            else None
        )
        if method is None:
            problems.append(Problem("method", "Choose how consent was given: written or verbal."))
        if not self.text_version.text().strip():
            problems.append(Problem("text_version", "Enter the consent form's version."))
        self.record_errors.show(problems)
        consented_on = self.consented_on.date()
        if problems or consented_on is None or method is None:
            return None
        return ConsentForm(
            consented_on=consented_on,
            method=method,
            text_version=self.text_version.text(),
            notes=self.consent_notes.text(),
        )

    def record(self) -> None:
        """Save the consent."""
        form = self.consent_form()
        if form is None or self.patient_id is None:
            return
        patient_id = self.patient_id
        new_id = guarded_form(
            self,
            "Record consent",
            lambda: record_consent(self.ctx.db, self.ctx.practitioner_id, patient_id, form),
            self.record_errors.show,
        )
        if new_id is None:
            return
        self.show_list()
        self.ctx.hub.publish(Changes.consent(new_id, patient_id))
        self.changed.emit()

    # --- withdraw form ---------------------------------------------------------------

    def _build_withdraw(self) -> QWidget:
        page = QWidget()
        self.withdraw_heading = QLabel()
        self.withdraw_heading.setWordWrap(True)
        self.withdraw_general = error_label()
        self.withdraw_errors = FieldErrors(self.withdraw_general)
        self.withdrawn_on = DateLineEdit()
        self.withdrawn_on.setAccessibleName("Withdrawal date")
        self.withdraw_note = LimitedLineEdit("consent", "withdrawal_note")
        self.withdraw_note.setAccessibleName("Withdrawal note")
        self.withdraw_note.setPlaceholderText("what the patient said, how it was given")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(
            "&Date withdrawn *", self.withdraw_errors.add("withdrawn_on", self.withdrawn_on)
        )
        form.addRow("N&ote", self.withdraw_errors.add("withdrawal_note", self.withdraw_note))
        warning = QLabel(
            "After withdrawal the chart shows a red alert and no needling may be charted "
            "until new consent is recorded. The consent itself stays on record."
        )
        warning.setWordWrap(True)
        warning.setProperty("role", "hint")
        self.confirm_withdraw_button = QPushButton("&Withdraw consent")
        self.confirm_withdraw_button.setStyleSheet(
            f"QPushButton {{ background: {style.DANGER_BACKGROUND}; color: white;"
            f" border-color: {style.DANGER_BACKGROUND}; }}"
        )
        self.confirm_withdraw_button.clicked.connect(self.withdraw)
        warning.setMaximumWidth(FORM_WIDTH)
        layout = QVBoxLayout(page)
        layout.addWidget(self.withdraw_heading)
        layout.addWidget(_form_box(form))
        layout.addWidget(warning)
        layout.addStretch(1)
        layout.addLayout(self._form_buttons(self.withdraw_general, self.confirm_withdraw_button))
        return page

    def start_withdraw(self) -> None:
        """Open the withdrawal form for the selected active consent."""
        consent = self.selected_consent()
        if consent is None or consent.withdrawn_on is not None:
            return
        self._withdrawing = consent
        self.withdraw_heading.setText(
            f"<b>Withdraw the consent given {format_date(consent.consented_on)}</b> "
            f"({consent.method.value}, {consent.text_version})"
        )
        self.withdrawn_on.set_date(date.today())
        self.withdraw_note.clear()
        self.withdraw_errors.clear()
        self.stack.setCurrentIndex(WITHDRAW_PAGE)
        self.withdrawn_on.setFocus()
        self.withdrawn_on.selectAll()

    def withdraw(self) -> None:
        """Record the withdrawal."""
        consent = self._withdrawing
        problems = _date_problem("withdrawn_on", self.withdrawn_on, "consent was withdrawn")
        self.withdraw_errors.show(problems)
        withdrawn_on = self.withdrawn_on.date()
        if consent is None or problems or withdrawn_on is None:
            return
        note = self.withdraw_note.text()

        def write() -> Changes:
            return withdraw_consent(
                self.ctx.db, self.ctx.practitioner_id, consent.id, withdrawn_on, note
            )

        changes = guarded_form(self, "Withdraw consent", write, self.withdraw_errors.show)
        if changes is None:
            return
        self.show_list()
        self.ctx.hub.publish(changes)
        self.changed.emit()

    # --- common ----------------------------------------------------------------------

    def _form_buttons(self, message: QLabel, action: QPushButton) -> QHBoxLayout:
        """A form's message line, Cancel (back to the list) and its *action* button."""
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.show_list)
        return message_row(message, [cancel, action])

    def show_list(self) -> None:
        """Back to the list of consents."""
        self.stack.setCurrentIndex(LIST_PAGE)
        self.record_button.setFocus()

    def is_editing(self) -> bool:
        """True while a form is open with something typed."""
        if self.stack.currentIndex() == RECORD_PAGE:
            return self.method_group.checkedButton() is not None or bool(
                self.consent_notes.text().strip()
            )
        if self.stack.currentIndex() == WITHDRAW_PAGE:
            return bool(self.withdraw_note.text().strip())
        return False

    def show_patient(self, patient_id: int) -> None:
        """Load the patient's consents, newest first."""
        if patient_id != self.patient_id:
            self.stack.setCurrentIndex(LIST_PAGE)
        self.patient_id = patient_id
        rows = guarded(self, "Consents", lambda: consents(self.ctx.db, patient_id))
        self._consents = rows or []
        self.table.setRowCount(len(self._consents))
        for number, consent in enumerate(self._consents):
            values = (
                format_date(consent.consented_on),
                consent.method.value.capitalize(),
                consent.text_version,
                consent.practitioner.full_name if consent.practitioner else "",
                consent_state_text(consent),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                if column == 4:
                    active = consent.withdrawn_on is None
                    item.setForeground(QColor(style.OK_TEXT if active else style.ERROR_TEXT))
                self.table.setItem(number, column, item)
        self.empty_label.setVisible(not self._consents)
        if self._consents:
            self.table.setCurrentCell(0, 0)
        self._update_buttons()
        self.signed_bar.show_patient(patient_id, [c.id for c in self._consents])

    def consents_shown(self) -> list[Consent]:
        """The consents listed, newest first."""
        return list(self._consents)
