"""The clinic's own details (name, address, contacts, logo) shown on every document."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from dnt_desktop.models import Clinic, Practitioner
from dnt_desktop.storage.engine import Database

from . import audit
from .errors import ValidationError
from .patients import EMAIL_PATTERN
from .practitioners import require_admin_or_first_run
from .rules import Problem, text_problems

CLINIC_ID = 1


@dataclass
class ClinicForm:
    """The clinic's contact details as the setup and settings dialogs edit them."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


def is_set_up(db: Database) -> bool:
    """True once the clinic and at least one practitioner exist."""
    with db.reading() as session:
        return session.get(Clinic, CLINIC_ID) is not None and (
            session.scalar(select(Practitioner.id).limit(1)) is not None
        )


def get_clinic(db: Database) -> Clinic | None:
    """The clinic row, None before setup."""
    with db.reading() as session:
        return session.get(Clinic, CLINIC_ID)


def clinic_problems(form: ClinicForm) -> list[Problem]:
    """Validation of the clinic details."""
    fields = ("name", "address", "phone", "email", "website")
    problems = text_problems("clinic", {name: getattr(form, name) for name in fields})
    if problems:
        return problems
    if not form.name.strip():
        problems.append(Problem("name", "Enter the clinic's name."))
    if form.email.strip() and not EMAIL_PATTERN.match(form.email.strip()):
        problems.append(Problem("email", "The e-mail address is not valid (name@example.com)."))
    return problems


def save_clinic(db: Database, actor_id: int | None, form: ClinicForm) -> None:
    """Create or update the clinic's details: an administrator's change, or the first-run
    setup's (*actor_id* None, accepted only while no account exists)."""
    problems = clinic_problems(form)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin_or_first_run(session, actor_id, "change the clinic's details")
        clinic = session.get(Clinic, CLINIC_ID)
        created = clinic is None
        if clinic is None:
            clinic = Clinic(id=CLINIC_ID, name=form.name.strip())
            session.add(clinic)
        for name in ("name", "address", "phone", "email", "website"):
            setattr(clinic, name, getattr(form, name).strip())
        session.flush()
        audit.record(
            session,
            actor_id,
            "create" if created else "update",
            entity_type="clinic",
            entity_id=CLINIC_ID,
            summary=f"Clinic details {'entered' if created else 'changed'}: {clinic.name}",
        )
