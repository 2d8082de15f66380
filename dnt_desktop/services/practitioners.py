"""Practitioner accounts as records: who they are, their role, and who may manage them.

Passwords, sign-in and locking live in ``accounts``; this module holds the account rows
themselves and the one rule every administrative service applies: ``require_admin``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.storage.engine import Database

from . import audit
from .errors import NotFoundError, PermissionDeniedError, ValidationError
from .rules import Problem, text_problems

USERNAME_PATTERN = re.compile(r"^[a-z0-9._-]{2,60}$")


@dataclass
class PractitionerForm:
    """A practitioner account as the setup and admin dialogs edit it."""

    full_name: str
    username: str
    registration_number: str = ""
    role: Role = Role.PRACTITIONER


def require_admin(session: Session, actor_id: int, what: str = "manage accounts") -> Practitioner:
    """The acting account, if it is an active administrator; else PermissionDeniedError."""
    actor = session.get(Practitioner, actor_id)
    if actor is None or not actor.active or actor.role != Role.ADMIN:
        raise PermissionDeniedError(f"Only an administrator can {what}.")
    return actor


def require_admin_or_first_run(session: Session, actor_id: int | None, what: str) -> None:
    """Refuse anyone but an active administrator, except before the first account exists.

    The first-run setup enters the clinic's details and its first account before anyone
    can sign in (*actor_id* None); once an account exists, every change needs an
    administrator, whatever the caller claims.
    """
    if actor_id is None and session.scalar(select(Practitioner.id).limit(1)) is None:
        return
    if actor_id is None:
        raise PermissionDeniedError(f"Only an administrator can {what}. Sign in first.")
    require_admin(session, actor_id, what)


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
    """Create a practitioner account; returns its id.

    Administrators only, except the very first account (*actor_id* None while none exists).
    """
    problems = practitioner_problems(form)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin_or_first_run(session, actor_id, "add accounts")
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
