"""Clinic details, practitioners and clinic-wide settings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import AppSetting, Clinic, Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.storage.engine import Database

from . import audit
from .errors import NotFoundError, PermissionDeniedError, ValidationError
from .patients import EMAIL_PATTERN
from .rules import Problem, RuleSettings, text_problems

CLINIC_ID = 1
USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{2,60}$")


@dataclass
class ClinicForm:
    """The clinic's contact details as the setup and settings dialogs edit them."""

    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""


@dataclass
class PractitionerForm:
    """A practitioner account as the setup and admin dialogs edit it."""

    full_name: str
    username: str
    registration_number: str = ""
    role: Role = Role.PRACTITIONER


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


def require_admin(session: Session, actor_id: int, what: str = "manage accounts") -> Practitioner:
    """The acting account, if it is an active administrator; else PermissionDeniedError."""
    actor = session.get(Practitioner, actor_id)
    if actor is None or not actor.active or actor.role != Role.ADMIN:
        raise PermissionDeniedError(f"Only an administrator can {what}.")
    return actor


def save_clinic(db: Database, actor_id: int | None, form: ClinicForm) -> None:
    """Create or update the clinic's details (an administrator's change; *actor_id* None
    only while the first-run setup enters them, before any account exists)."""
    problems = clinic_problems(form)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        if actor_id is not None:
            require_admin(session, actor_id, "change the clinic's details")
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


def practitioner_problems(form: PractitionerForm) -> list[Problem]:
    """Validation of a practitioner account."""
    problems = text_problems(
        "practitioner",
        {
            "full_name": form.full_name,
            "username": form.username,
            "registration_number": form.registration_number,
        },
    )
    if problems:
        return problems
    if not form.full_name.strip():
        problems.append(Problem("full_name", "Enter the practitioner's full name."))
    if not USERNAME_PATTERN.match(form.username.strip()):
        problems.append(
            Problem(
                "username",
                "The user name needs 2-60 lower-case letters, digits, dots, dashes or underscores.",
            )
        )
    return problems


def add_practitioner(
    db: Database, actor_id: int | None, form: PractitionerForm, password_hash: str | None = None
) -> int:
    """Create a practitioner account; returns its id."""
    problems = practitioner_problems(form)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        return insert_practitioner(session, actor_id, form, password_hash)


def insert_practitioner(
    session: Session, actor_id: int | None, form: PractitionerForm, password_hash: str | None
) -> int:
    """Add a (validated) account inside the caller's transaction, audited; returns its id."""
    username = form.username.strip()
    if session.scalar(select(Practitioner.id).where(Practitioner.username == username)):
        raise ValidationError([Problem("username", f"The user name {username} is taken.")])
    row = Practitioner(
        full_name=form.full_name.strip(),
        username=username,
        registration_number=form.registration_number.strip(),
        role=form.role,
        password_hash=password_hash,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id if actor_id is not None else row.id,
        "create",
        entity_type="practitioner",
        entity_id=row.id,
        summary=f"Account {username} ({form.role.value}) created",
    )
    return row.id


def practitioners(db: Database, *, active_only: bool = True) -> list[Practitioner]:
    """Practitioners by name."""
    with db.reading() as session:
        query = select(Practitioner).order_by(Practitioner.full_name)
        if active_only:
            query = query.where(Practitioner.active.is_(True))
        return list(session.scalars(query))


def get_practitioner(db: Database, practitioner_id: int) -> Practitioner:
    """One practitioner."""
    with db.reading() as session:
        row = session.get(Practitioner, practitioner_id)
        if row is None:
            raise NotFoundError(f"Practitioner {practitioner_id} does not exist.")
        return row


# --- clinic-wide settings ------------------------------------------------------------

SETTING_DEFAULTS: dict[str, str] = {
    "lung_risk_needle_limit_mm": "25",
    "idle_lock_minutes": "10",
    "stale_draft_days": "2",
    "backup_keep": "30",
    "backup_folder": "",
}
POSITIVE_INTEGER_SETTINGS = frozenset({"idle_lock_minutes", "stale_draft_days", "backup_keep"})


def setting_problems(key: str, value: str) -> list[Problem]:
    """Validation of a setting's new value (whole numbers of at least 1 where counted)."""
    if key not in SETTING_DEFAULTS:
        return [Problem(key, f"Unknown setting {key}.")]
    if key == "backup_folder":
        return text_problems("setting", {key: value})
    if key in POSITIVE_INTEGER_SETTINGS and not (value.strip().isdigit() and int(value) >= 1):
        return [Problem(key, "Enter a whole number of at least 1.")]
    return []


def integer_setting(session: Session, key: str) -> int:
    """A counted setting as a number (its default when the stored value is unusable)."""
    value = get_setting(session, key).strip()
    if value.isdigit() and int(value) >= 1:
        return int(value)
    return int(SETTING_DEFAULTS[key])


def get_setting(session: Session, key: str) -> str:
    """A clinic-wide setting, or its default."""
    row = session.get(AppSetting, key)
    return row.value if row else SETTING_DEFAULTS[key]


def settings_values(db: Database) -> dict[str, str]:
    """Every clinic-wide setting (its default where never set), e.g. for a settings dialog."""
    with db.reading() as session:
        return {key: get_setting(session, key) for key in SETTING_DEFAULTS}


def set_setting(db: Database, actor_id: int, key: str, value: str) -> None:
    """Change a clinic-wide setting (administrators only; audited)."""
    problems = setting_problems(key, value)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin(session, actor_id, "change the clinic's settings")
        row = session.get(AppSetting, key)
        old = row.value if row else SETTING_DEFAULTS[key]
        if row is None:
            session.add(AppSetting(key=key, value=value))
        else:
            row.value = value
        audit.record(
            session, actor_id, "update", entity_type="setting", summary=f"{key}: {old} -> {value}"
        )


def rule_settings(db: Database) -> RuleSettings:
    """The thresholds the clinical rules apply in this clinic."""
    with db.reading() as session:
        return RuleSettings(
            lung_risk_needle_limit_mm=float(get_setting(session, "lung_risk_needle_limit_mm"))
        )
