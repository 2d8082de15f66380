"""First start on an empty database: the clinic's details and the first administrator.

The administrator's account is created with its password (``accounts.create_first_admin``)
and signed in at once, so the first start needs no separate login.
"""

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
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts
from dnt_desktop.services.clinic_details import ClinicForm, clinic_problems, get_clinic, save_clinic
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.practitioners import PractitionerForm, practitioner_problems
from dnt_desktop.services.rules import Problem
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.signin.passwords import NewPasswordFields
from dnt_desktop.ui.widgets.field_errors import FieldErrors, error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit, LimitedPlainTextEdit, with_counter


def _line(record: str, field: str, name: str, placeholder: str = "") -> QLineEdit:
    edit = LimitedLineEdit(record, field)
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


class FirstRunDialog(QDialog):
    """Collects the clinic details and the first administrator, then saves both.

    After ``accept()``, ``practitioner_id`` is the new admin's id and ``practitioner`` the
    signed-in account (None if signing in failed: the login dialog follows). When accounts
    exist already (an interrupted older setup), only the clinic is asked for.
    """

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.practitioner_id: int | None = None
        self.practitioner: Practitioner | None = None
        self.needs_account = not accounts.has_accounts(db)
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

        self.clinic_name = _line("clinic", "name", "Clinic name", "e.g. Riverside Physiotherapy")
        self.clinic_address = LimitedPlainTextEdit("clinic", "address")
        self.clinic_address.setAccessibleName("Clinic address")
        self.clinic_address.setTabChangesFocus(True)
        self.clinic_address.setFixedHeight(64)
        self.clinic_phone = _line("clinic", "phone", "Clinic phone")
        self.clinic_email = _line("clinic", "email", "Clinic e-mail", "name@example.com")
        self.clinic_website = _line("clinic", "website", "Clinic website")

        clinic_box = QGroupBox("Clinic")
        clinic_form = QFormLayout(clinic_box)
        clinic_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        clinic_form.addRow("&Name *", self.errors.add("name", self.clinic_name))
        clinic_form.addRow(
            "&Address",
            with_counter(self.clinic_address, self.errors.add("address", self.clinic_address)),
        )
        clinic_form.addRow("&Phone", self.errors.add("phone", self.clinic_phone))
        clinic_form.addRow("&E-mail", self.errors.add("email", self.clinic_email))
        clinic_form.addRow("&Website", self.errors.add("website", self.clinic_website))

        self.full_name = _line(
            "practitioner", "full_name", "Practitioner full name", "e.g. Alex Morgan"
        )
        self.username = _line("practitioner", "username", "User name", "e.g. alex.morgan")
        self.registration = _line(
            "practitioner",
            "registration_number",
            "Registration number",
            "professional registration",
        )
        self.password = NewPasswordFields(
            lambda: self.username.text().strip(), self, label="&Password *"
        )
        self.full_name.textEdited.connect(self._suggest_username)
        self._username_touched = False
        self.username.textEdited.connect(lambda _t: setattr(self, "_username_touched", True))

        person_box = QGroupBox("Your practitioner account (administrator)")
        person_form = QFormLayout(person_box)
        person_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        person_form.addRow("&Full name *", self.errors.add("full_name", self.full_name))
        person_form.addRow("&User name *", self.errors.add("username", self.username))
        person_form.addRow(
            "&Registration no.", self.errors.add("registration_number", self.registration)
        )
        self.password.add_to(person_form)
        note = QLabel(
            "The first account administers the clinic's settings, accounts and backups. "
            "You sign in with this user name and password from now on."
        )
        note.setWordWrap(True)
        note.setProperty("role", "hint")
        person_form.addRow(note)

        columns = QHBoxLayout()
        columns.addWidget(clinic_box, 1)
        columns.addWidget(person_box, 1)
        person_box.setVisible(self.needs_account)

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
        """Validate both parts, then save the clinic and the administrator and sign in."""
        clinic, person = self.clinic_form(), self.practitioner_form()
        problems = clinic_problems(clinic)
        if self.needs_account:
            problems += practitioner_problems(person)
        self.errors.show(problems)
        password_ok = not self.needs_account or self.password.check()
        if problems or not password_ok:
            return
        password = self.password.text()
        try:
            save_clinic(self.db, None, clinic)
            if self.needs_account:
                self.practitioner_id = accounts.create_first_admin(self.db, person, password)
        except ValidationError as exc:
            self._show_problems(exc.problems)
            return
        except (ServiceError, StorageError) as exc:
            self._show_problems([Problem("", str(exc))])
            return
        if self.needs_account:
            try:
                self.practitioner = accounts.authenticate(self.db, person.username, password)
            except (ServiceError, StorageError):
                self.practitioner = None  # the account exists: the login dialog follows
        self.accept()

    def _show_problems(self, problems: list[Problem]) -> None:
        self.errors.show([p for p in problems if p.field != "password"])
        password = [p.message for p in problems if p.field == "password"]
        if password:
            self.password.show_message(password[0])
