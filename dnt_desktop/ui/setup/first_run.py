"""First start on an empty database: the clinic's details and the first (admin) practitioner."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import Role
from dnt_desktop.services.clinic import (
    ClinicForm,
    PractitionerForm,
    add_practitioner,
    clinic_problems,
    get_clinic,
    practitioner_problems,
    save_clinic,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.feedback import guarded_form
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class FirstRunDialog(QDialog):
    """Collects the clinic details and the first practitioner, then saves both.

    After ``accept()``, ``practitioner_id`` is the new admin's id.
    """

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.practitioner_id: int | None = None
        self.setWindowTitle("Welcome to dnt-desktop: set up your clinic")
        self.setMinimumWidth(840)

        intro = QLabel(
            "This database is new. Enter your clinic's details (they appear on aftercare "
            "sheets) and your own practitioner account. You can change them later."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "hint")

        self.general = error_label()
        self.errors = FieldErrors(self.general)

        self.clinic_name = _line("Clinic name", "e.g. Riverside Physiotherapy")
        self.clinic_address = QPlainTextEdit()
        self.clinic_address.setAccessibleName("Clinic address")
        self.clinic_address.setTabChangesFocus(True)
        self.clinic_address.setFixedHeight(64)
        self.clinic_phone = _line("Clinic phone")
        self.clinic_email = _line("Clinic e-mail", "name@example.com")
        self.clinic_website = _line("Clinic website")

        clinic_box = QGroupBox("Clinic")
        clinic_form = QFormLayout(clinic_box)
        clinic_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        clinic_form.addRow("&Name *", self.errors.add("name", self.clinic_name))
        clinic_form.addRow("&Address", self.clinic_address)
        clinic_form.addRow("&Phone", self.clinic_phone)
        clinic_form.addRow("&E-mail", self.errors.add("email", self.clinic_email))
        clinic_form.addRow("&Website", self.clinic_website)

        self.full_name = _line("Practitioner full name", "e.g. Alex Morgan")
        self.username = _line("User name", "e.g. alex.morgan")
        self.registration = _line("Registration number", "professional registration")
        self.full_name.textEdited.connect(self._suggest_username)
        self._username_touched = False
        self.username.textEdited.connect(lambda _t: setattr(self, "_username_touched", True))

        person_box = QGroupBox("Your practitioner account (administrator)")
        person_form = QFormLayout(person_box)
        person_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        person_form.addRow("&Full name *", self.errors.add("full_name", self.full_name))
        person_form.addRow("&User name *", self.errors.add("username", self.username))
        person_form.addRow("&Registration no.", self.registration)
        note = QLabel("The first account administers the clinic's settings and accounts.")
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        person_form.addRow(note)

        columns = QHBoxLayout()
        columns.addWidget(clinic_box, 1)
        columns.addWidget(person_box, 1)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Save and start")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(columns)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self._prefill()
        self.clinic_name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _prefill(self) -> None:
        """Keep what an interrupted earlier setup already saved."""
        clinic = get_clinic(self.db)
        if clinic is None:
            return
        self.clinic_name.setText(clinic.name)
        self.clinic_address.setPlainText(clinic.address)
        self.clinic_phone.setText(clinic.phone)
        self.clinic_email.setText(clinic.email)
        self.clinic_website.setText(clinic.website)

    def _suggest_username(self, name: str) -> None:
        if not self._username_touched:
            self.username.setText(".".join(name.lower().split())[:60])

    def clinic_form(self) -> ClinicForm:
        """The clinic details as typed."""
        return ClinicForm(
            name=self.clinic_name.text(),
            address=self.clinic_address.toPlainText(),
            phone=self.clinic_phone.text(),
            email=self.clinic_email.text(),
            website=self.clinic_website.text(),
        )

    def practitioner_form(self) -> PractitionerForm:
        """The first practitioner as typed (an administrator)."""
        return PractitionerForm(
            full_name=self.full_name.text(),
            username=self.username.text().strip(),
            registration_number=self.registration.text(),
            role=Role.ADMIN,
        )

    def save(self) -> None:
        """Validate both parts, then save the clinic and the practitioner."""
        clinic, person = self.clinic_form(), self.practitioner_form()
        problems = clinic_problems(clinic) + practitioner_problems(person)
        self.errors.show(problems)
        if problems:
            return

        def write() -> int:
            save_clinic(self.db, None, clinic)
            return add_practitioner(self.db, None, person)

        new_id = guarded_form(self, "Setup", write, self.errors.show)
        if new_id is not None:
            self.practitioner_id = new_id
            self.accept()
