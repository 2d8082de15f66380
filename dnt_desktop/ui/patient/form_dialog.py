"""Registering a new patient or editing one's details, with messages next to each field."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import Sex
from dnt_desktop.services import aftercare
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import age_years, format_date
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import (
    get_patient,
    patient_form_problems,
    register_patient,
    update_patient,
)
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded, guarded_form
from dnt_desktop.ui.progress.referrer_field import ReferrerField
from dnt_desktop.ui.script_fonts import ensure_script_fonts
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.dates import DATE_EXAMPLES, DATE_HINT, DateLineEdit
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit, LimitedPlainTextEdit, with_counter

SEX_LABELS = {
    Sex.UNKNOWN: "Not recorded",
    Sex.FEMALE: "Female",
    Sex.MALE: "Male",
    Sex.OTHER: "Other",
}
_TEXT_FIELDS = ("address", "emergency_contact", "medical_history", "medications", "allergies")


def _line(field: str, name: str, placeholder: str = "") -> LimitedLineEdit:
    edit = LimitedLineEdit("patient", field)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class _TextBox(LimitedPlainTextEdit):
    """A multi-line field that shows *lines* whole lines (and may grow)."""

    def __init__(self, field: str, lines: int) -> None:
        super().__init__("patient", field)
        self.lines = lines
        self.setTabChangesFocus(True)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        self.ensurePolished()  # the stylesheet's padding and border count
        margins = self.contentsMargins()
        viewport = self.viewportMargins()
        text = self.fontMetrics().lineSpacing() * self.lines
        frame = margins.top() + margins.bottom() + viewport.top() + viewport.bottom()
        document = 2 * round(self.document().documentMargin())
        return QSize(200, text + frame + document + 2 * self.frameWidth() + 10)


def _text(
    field: str, name: str, lines: int, placeholder: str = "", grows: bool = False
) -> _TextBox:
    edit = _TextBox(field, lines)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    if not grows:
        edit.setMaximumHeight(edit.sizeHint().height())
    return edit


class PatientFormDialog(QDialog):
    """New patient (``patient_id`` None) or edit one; emits ``saved`` with the id."""

    saved = Signal(int)

    def __init__(
        self, ctx: AppContext, patient_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        ensure_script_fonts()
        self.ctx = ctx
        self.patient_id = patient_id
        self.version: int | None = None
        self.setWindowTitle("New patient" if patient_id is None else "Edit patient")
        self.setMinimumWidth(900)

        self.general = error_label()
        self.errors = FieldErrors(self.general)

        self.family_name = _line("family_name", "Family name", "e.g. Smith")
        self.given_name = _line("given_name", "Given name", "e.g. Jane")
        self.date_of_birth = DateLineEdit()
        self.date_of_birth.setAccessibleName("Date of birth")
        self.birth_hint = QLabel(DATE_HINT)
        self.birth_hint.setProperty("role", "hint")
        self.date_of_birth.date_changed.connect(self._show_birth_hint)
        birth_row = QWidget()
        birth_layout = QHBoxLayout(birth_row)
        birth_layout.setContentsMargins(0, 0, 0, 0)
        birth_layout.addWidget(self.date_of_birth)
        birth_layout.addWidget(self.birth_hint, 1)
        birth_row.setFocusProxy(self.date_of_birth)
        birth_row.setFocusPolicy(self.date_of_birth.focusPolicy())
        self.sex = WideComboBox()
        self.sex.setAccessibleName("Sex")
        for value, label in SEX_LABELS.items():
            self.sex.addItem(label, value)
        self.handout_language = WideComboBox()
        self.handout_language.setAccessibleName("Handout language")
        self.handout_language.setToolTip(
            "The language the patient's aftercare sheets print in (it can be changed when printing)"
        )
        sets = guarded(self, "Patient", lambda: aftercare.text_sets(ctx.db)) or [aftercare.ENGLISH]
        for text_set in sets:
            note = "  (not reviewed)" if text_set.unreviewed else ""
            self.handout_language.addItem(text_set.label + note, text_set.code)
        self.chart_number = _line("chart_number", "Chart number", "assigned automatically")
        if patient_id is None:
            # Assigned by the app unless the clinic types its own: Tab goes past it
            # (Alt+H or a click still reach it).
            self.chart_number.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            self.chart_number.setToolTip(
                "Left empty, the next chart number is assigned when the patient is saved; "
                "type one to use the clinic's own numbering"
            )
        self.phone = _line("phone", "Phone")
        self.email = _line("email", "E-mail", "name@example.com")
        self.address = _text("address", "Address", 3, "house, street, town, postcode")
        self.emergency_contact = _text(
            "emergency_contact", "Emergency contact", 2, "name, relation, phone"
        )
        self.medical_history = _text("medical_history", "Medical history", 3, grows=True)
        self.medications = _text(
            "medications", "Medications", 3, "current medicines, incl. blood thinners", grows=True
        )
        self.allergies = _text("allergies", "Allergies", 2, grows=True)
        self.notes = _text("notes", "Notes", 3, grows=True)

        person = QGroupBox("Patient")
        form = QFormLayout(person)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&Family name *", self.errors.add("family_name", self.family_name))
        form.addRow("&Given name *", self.errors.add("given_name", self.given_name))
        form.addRow("Date of &birth *", self.errors.add("date_of_birth", birth_row))
        form.addRow("&Sex", self.sex)
        form.addRow("Handout lan&guage", self.errors.add("handout_language", self.handout_language))
        form.addRow("C&hart no.", self.errors.add("chart_number", self.chart_number))
        form.addRow("&Phone", self.errors.add("phone", self.phone))
        form.addRow("&E-mail", self.errors.add("email", self.email))
        self.referrer = ReferrerField(ctx)  # issue 15: letters go to the referrer
        form.addRow("&Referred by", self.referrer)
        form.addRow("A&ddress", self._box_row("address"))
        form.addRow("E&mergency contact", self._box_row("emergency_contact"))

        clinical = QGroupBox("Clinical background")
        clinical_form = QFormLayout(clinical)
        clinical_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        clinical_form.addRow("Medical &history", self._box_row("medical_history"))
        clinical_form.addRow("Medica&tions", self._box_row("medications"))
        clinical_form.addRow("&Allergies", self._box_row("allergies"))
        clinical_form.addRow("&Notes", self._box_row("notes"))

        columns = QHBoxLayout()
        columns.addWidget(person, 1)
        columns.addWidget(clinical, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save patient")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        required = QLabel("* required")
        required.setProperty("role", "hint")
        bottom = QHBoxLayout()
        bottom.addWidget(required)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addLayout(columns)
        layout.addWidget(self.general)
        layout.addLayout(bottom)

        order = [
            self.family_name,
            self.given_name,
            self.date_of_birth,
            self.sex,
            self.handout_language,
            self.chart_number,
            self.phone,
            self.email,
            self.referrer,
            self.address,
            self.emergency_contact,
            self.medical_history,
            self.medications,
            self.allergies,
            self.notes,
        ]
        for first, second in pairwise(order):
            self.setTabOrder(first, second)
        if patient_id is not None:
            self._load(patient_id)
        self._initial = self.form()
        self.family_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _box_row(self, field: str) -> QWidget:
        """The multi-line field *field* with its counter and its error message."""
        box = getattr(self, field)
        return with_counter(box, self.errors.add(field, box))

    # --- loading and reading ---------------------------------------------------------

    def _load(self, patient_id: int) -> None:
        patient = guarded(self, "Edit patient", lambda: get_patient(self.ctx.db, patient_id))
        if patient is None:
            return
        self.version = patient.version
        self.setWindowTitle(f"Edit patient: {patient.display_name}")
        self.family_name.setText(patient.family_name)
        self.given_name.setText(patient.given_name)
        self.date_of_birth.set_date(patient.date_of_birth)
        self.sex.setCurrentIndex(max(self.sex.findData(patient.sex), 0))
        self.set_handout_language(patient.handout_language)
        guarded(self, "Edit patient", lambda: self.referrer.load(patient_id))
        self.chart_number.setText(patient.chart_number)
        self.chart_number.setPlaceholderText("")
        self.phone.setText(patient.phone)
        self.email.setText(patient.email)
        for name in (*_TEXT_FIELDS, "notes"):
            getattr(self, name).setPlainText(getattr(patient, name))

    def form(self) -> PatientForm:
        """What is typed, as the service's form."""
        return PatientForm(
            family_name=self.family_name.text(),
            given_name=self.given_name.text(),
            date_of_birth=self.date_of_birth.date(),
            chart_number=self.chart_number.text(),
            sex=self.sex.currentData(),
            phone=self.phone.text(),
            email=self.email.text(),
            address=self.address.toPlainText(),
            emergency_contact=self.emergency_contact.toPlainText(),
            medical_history=self.medical_history.toPlainText(),
            medications=self.medications.toPlainText(),
            allergies=self.allergies.toPlainText(),
            notes=self.notes.toPlainText(),
            handout_language=self.handout_language.currentData() or "en",
        )

    def set_handout_language(self, code: str) -> None:
        """Select the set *code* (added to the list when it is not there any more)."""
        index = self.handout_language.findData(code)
        if index < 0:
            self.handout_language.addItem(code, code)
            index = self.handout_language.count() - 1
        self.handout_language.setCurrentIndex(index)

    def is_changed(self) -> bool:
        """True when something was typed since the dialog opened."""
        return self.form() != self._initial or self.referrer.changed()

    def _show_birth_hint(self, born: date | None) -> None:
        if born is None:
            self.birth_hint.setText(DATE_HINT if self.date_of_birth.is_blank() else "not a date")
        elif born > date.today():
            self.birth_hint.setText(f"{format_date(born)}: in the future")
        else:
            self.birth_hint.setText(f"{format_date(born)}, {age_years(born)} years")

    # --- saving ----------------------------------------------------------------------

    def problems(self, form: PatientForm) -> list[Problem]:
        """The service's validation, with a format hint for a date that was not understood."""
        problems = patient_form_problems(form)
        if form.date_of_birth is None and not self.date_of_birth.is_blank():
            problems = [
                Problem("date_of_birth", f"This is not a date: type it as {DATE_EXAMPLES}.")
                if p.field == "date_of_birth"
                else p
                for p in problems
            ]
        return problems

    def save(self) -> None:
        """Validate and save; on success emit ``saved`` and close."""
        form = self.form()
        problems = self.problems(form)
        self.errors.show(problems)
        if problems:
            return
        if self.patient_id is None:
            saved_id = guarded_form(
                self,
                "Save patient",
                lambda: register_patient(self.ctx.db, self.ctx.practitioner_id, form),
                self.errors.show,
            )
        else:
            patient_id = self.patient_id

            def update() -> int:
                update_patient(
                    self.ctx.db, self.ctx.practitioner_id, patient_id, form, self.version
                )
                return patient_id

            saved_id = guarded_form(self, "Save patient", update, self.errors.show)
        if saved_id is None:
            return
        self.patient_id = saved_id
        self._initial = form
        referred = guarded(self, "Save patient", lambda: self.referrer.save(saved_id))
        self.ctx.hub.publish(Changes.patient(saved_id) | (referred or Changes()))
        self.saved.emit(saved_id)
        self.accept()

    def reject(self) -> None:
        """Cancel, asking first when something typed would be lost."""
        if self.is_changed():
            answer = QMessageBox.question(
                self,
                self.windowTitle(),
                "Discard what you typed in this form?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
