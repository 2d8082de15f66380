"""Practitioner accounts: Argon2id passwords, throttled sign-in, locking, and admin actions.

Passwords are hashed with argon2-cffi's ``PasswordHasher()`` defaults (Argon2id, the RFC 9106
low-memory profile) and never stored, logged, audited or put in an error message in clear.

Wrong passwords slow the account down: after the second wrong password in a row the next
attempt is refused until ``delay_seconds(failed_logins)`` have passed since the last one
(1, 2, 4, 8, 16, then 30 s). The service never sleeps; it refuses with LoginThrottledError,
whose ``wait_seconds`` the login dialog can count down. The counter lives in the database,
so it holds across workstations, and a successful password resets it.

Audit actions written here: login, login_failed, lock, unlock, unlock_failed,
password_failed (signing or changing a password), create, deactivate, reactivate,
password_reset, password_change, password_set.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dnt_desktop.models import Practitioner, utcnow
from dnt_desktop.models.enums import Role
from dnt_desktop.storage.engine import Database

from . import audit, field_limits
from .changes import Changes
from .errors import NotFoundError, PermissionDeniedError, ServiceError, ValidationError
from .password_policy import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, WRONG_CREDENTIALS
from .practitioners import (
    PractitionerForm,
    insert_practitioner,
    practitioner_problems,
    require_admin,
)
from .rules import Problem
from .settings import integer_setting

MAX_DELAY_SECONDS = 30

_hasher = PasswordHasher()


class AuthenticationError(ServiceError):
    """The user name or password is wrong, or the account cannot sign in."""


class LoginThrottledError(AuthenticationError):
    """Too many wrong passwords in a row: try again after ``wait_seconds``."""

    def __init__(self, wait_seconds: int) -> None:
        self.wait_seconds = wait_seconds
        unit = "second" if wait_seconds == 1 else "seconds"
        super().__init__(f"Too many wrong passwords. Wait {wait_seconds} {unit}, then try again.")


class PasswordNotSetError(AuthenticationError):
    """The account has no password yet (made before passwords existed): choose one."""


# --- passwords -------------------------------------------------------------------------


def password_problems(password: str, username: str = "") -> list[Problem]:
    """The password policy: at least 8 characters, not the user name."""
    bad = field_limits.unstorable_character(password)
    if bad is not None:
        return [
            Problem(
                "password",
                f"The password contains a character that cannot be used ({bad[1]}): "
                "type it again without it.",
            )
        ]
    if len(password) < MIN_PASSWORD_LENGTH:
        return [
            Problem("password", f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
        ]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [
            Problem("password", f"The password can have at most {MAX_PASSWORD_LENGTH} characters.")
        ]
    if not password.strip():
        return [Problem("password", "The password cannot be only spaces.")]
    if username and password.strip().lower() == username.strip().lower():
        return [Problem("password", "The password must not be the user name.")]
    return []


def hash_password(password: str) -> str:
    """The Argon2id hash (with its salt and parameters) to store for *password*."""
    return _hasher.hash(password)


def _matches(stored: str | None, password: str) -> bool:
    if not stored or field_limits.unstorable_character(password) is not None:
        return False  # no stored password was made of an unencodable string
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no such account: equal time for unknown user names")


def delay_seconds(failed_logins: int) -> int:
    """How long an account waits after *failed_logins* wrong passwords in a row.

    0, 0, 1, 2, 4, 8, 16, then capped at 30 seconds.
    """
    if failed_logins < 2:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** min(failed_logins - 2, 10))


def seconds_to_wait(row: Practitioner, now: datetime | None = None) -> int:
    """Whole seconds before *row* may try a password again (0: now)."""
    if row.last_failed_login_at is None:
        return 0
    now = now or utcnow()
    delay = delay_seconds(row.failed_logins)
    remaining = delay - (now - row.last_failed_login_at).total_seconds()
    return max(0, min(delay, math.ceil(remaining)))  # a clock running ahead cannot lock out


def _try_password(
    session: Session, row: Practitioner, password: str, now: datetime, failure_action: str
) -> AuthenticationError | None:
    """Check *password* for *row* inside a write transaction, keeping the books.

    Returns the error to raise *after* the transaction commits (so that the failure count
    and its audit event are kept), or None when the password is right. A right password
    resets the counter and upgrades an outdated hash.
    """

    def refused(summary: str) -> None:
        audit.record(
            session,
            row.id,
            failure_action,
            entity_type="practitioner",
            entity_id=row.id,
            summary=summary,
        )

    wait = seconds_to_wait(row, now)
    if wait:
        refused(f"Attempt refused: {row.failed_logins} wrong passwords, wait {wait} s")
        return LoginThrottledError(wait)
    if row.password_hash is None:
        refused("The account has no password yet")
        return PasswordNotSetError(
            f"The account {row.username} has no password yet. Choose one to sign in."
        )
    if not _matches(row.password_hash, password):
        row.failed_logins += 1
        row.last_failed_login_at = now
        refused(f"Wrong password ({row.failed_logins} in a row)")
        return AuthenticationError(WRONG_CREDENTIALS)
    if row.failed_logins or row.last_failed_login_at is not None:
        row.failed_logins = 0
        row.last_failed_login_at = None
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return None


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).astimezone(UTC)


# --- signing in, locking ---------------------------------------------------------------


def authenticate(
    db: Database, username: str, password: str, *, now: datetime | None = None
) -> Practitioner:
    """The active account whose user name and password these are (audited "login").

    Raises AuthenticationError with one message for an unknown user name and a wrong
    password, LoginThrottledError while the account must wait, and PasswordNotSetError
    for an account that has no password yet. Every failure is audited ("login_failed").
    When saving is stopped (the database failed its check) nothing can be recorded: the
    password is then checked without writing, so that the user can still read and close.
    """
    when = _now(now)
    name = username.strip().lower()
    db.wait_for_verdict()  # a sign-in is recorded: on a file being checked, after its verdict
    if db.writes_stopped is not None:
        return _authenticate_without_writing(db, name, password, when)
    error: AuthenticationError | None = None
    with db.transaction() as session:
        row = (
            None  # no account has a name a database cannot hold
            if field_limits.unstorable_character(name) is not None
            else session.scalar(select(Practitioner).where(Practitioner.username == name))
        )
        if row is None:
            _matches(_dummy_hash(), password)  # the same time as a wrong password
            audit.record(
                session,
                None,
                "login_failed",
                entity_type="practitioner",
                summary="Sign-in with an unknown user name",
            )
            error = AuthenticationError(WRONG_CREDENTIALS)
        else:
            error = _try_password(session, row, password, when, "login_failed")
            if error is None and not row.active:
                audit.record(
                    session,
                    row.id,
                    "login_failed",
                    entity_type="practitioner",
                    entity_id=row.id,
                    summary="Sign-in to a deactivated account",
                )
                error = AuthenticationError(
                    "This account is deactivated. Ask an administrator to reactivate it."
                )
            elif error is None:
                audit.record(
                    session,
                    row.id,
                    "login",
                    entity_type="practitioner",
                    entity_id=row.id,
                    summary=f"{row.username} signed in",
                )
    if error is not None:
        raise error
    assert row is not None
    return row


def _authenticate_without_writing(
    db: Database, name: str, password: str, when: datetime
) -> Practitioner:
    """``authenticate`` on a database that refuses writes: the same answers, nothing kept."""
    with db.reading() as session:
        row = (
            None
            if field_limits.unstorable_character(name) is not None
            else session.scalar(select(Practitioner).where(Practitioner.username == name))
        )
    if row is None:
        _matches(_dummy_hash(), password)
        raise AuthenticationError(WRONG_CREDENTIALS)
    wait = seconds_to_wait(row, when)
    if wait:
        raise LoginThrottledError(wait)
    if row.password_hash is None or not _matches(row.password_hash, password):
        raise AuthenticationError(WRONG_CREDENTIALS)
    if not row.active:
        raise AuthenticationError(
            "This account is deactivated. Ask an administrator to reactivate it."
        )
    return row


def _active_account(session: Session, practitioner_id: int) -> Practitioner:
    row = session.get(Practitioner, practitioner_id)
    if row is None:
        raise NotFoundError(f"Account {practitioner_id} does not exist.")
    if not row.active:
        raise AuthenticationError("This account is deactivated. Ask an administrator.")
    return row


def check_password_in(
    session: Session,
    practitioner_id: int,
    password: str,
    *,
    failure_action: str = "password_failed",
    now: datetime | None = None,
) -> AuthenticationError | None:
    """Check an active account's password inside the caller's write transaction.

    For use cases that re-ask the password (signing): returns the error to raise after
    committing the failure's bookkeeping, or None when the password is right.
    """
    row = _active_account(session, practitioner_id)
    return _try_password(session, row, password, _now(now), failure_action)


def verify_password(
    db: Database,
    practitioner_id: int,
    password: str,
    *,
    failure_action: str = "password_failed",
    now: datetime | None = None,
) -> None:
    """Confirm an active account's password (throttled; failures audited); raises if wrong."""
    with db.transaction() as session:
        error = check_password_in(
            session, practitioner_id, password, failure_action=failure_action, now=now
        )
    if error is not None:
        raise error


def record_lock(db: Database, practitioner_id: int, reason: str = "idle") -> None:
    """Audit that the screen was locked ("lock"), e.g. after the idle time or by hand."""
    with db.transaction() as session:
        audit.record(
            session,
            practitioner_id,
            "lock",
            entity_type="practitioner",
            entity_id=practitioner_id,
            summary=f"Screen locked ({reason})",
        )


def record_sign_out(db: Database, practitioner_id: int, summary: str) -> None:
    """Audit that the account was signed out ("sign_out"), e.g. by a colleague taking over
    the locked PC; *summary* says what was kept as drafts and what could not be."""
    with db.transaction() as session:
        audit.record(
            session,
            practitioner_id,
            "sign_out",
            entity_type="practitioner",
            entity_id=practitioner_id,
            summary=summary,
        )


def unlock(
    db: Database, practitioner_id: int, password: str, *, now: datetime | None = None
) -> None:
    """Unlock the screen for the account that locked it ("unlock" or "unlock_failed").

    When saving is stopped (the database failed its check) nothing can be recorded: the
    password is then checked without writing, so that the user can still read and close.
    """
    db.wait_for_verdict()
    if db.writes_stopped is not None:
        with db.reading() as session:
            stored = _active_account(session, practitioner_id).password_hash
        if stored is None or not _matches(stored, password):
            raise AuthenticationError(WRONG_CREDENTIALS)
        return
    with db.transaction() as session:
        error = check_password_in(
            session, practitioner_id, password, failure_action="unlock_failed", now=now
        )
        if error is None:
            audit.record(
                session,
                practitioner_id,
                "unlock",
                entity_type="practitioner",
                entity_id=practitioner_id,
                summary="Screen unlocked",
            )
    if error is not None:
        raise error


def idle_lock_minutes(db: Database) -> int:
    """Minutes without keyboard or mouse use after which the screen locks (setting)."""
    with db.reading() as session:
        return integer_setting(session, "idle_lock_minutes")


# --- accounts --------------------------------------------------------------------------


def has_accounts(db: Database) -> bool:
    """True once any account exists (else the first start asks for the first admin)."""
    with db.reading() as session:
        return session.scalar(select(Practitioner.id).limit(1)) is not None


def _check_new_account(form: PractitionerForm, password: str) -> None:
    problems = practitioner_problems(form) + password_problems(password, form.username)
    if problems:
        raise ValidationError(problems)


def create_first_admin(db: Database, form: PractitionerForm, password: str) -> int:
    """Create the first account, an administrator; refused once any account exists."""
    form = PractitionerForm(form.full_name, form.username, form.registration_number, Role.ADMIN)
    _check_new_account(form, password)
    password_hash = hash_password(password)
    with db.transaction() as session:
        if session.scalar(select(Practitioner.id).limit(1)) is not None:
            raise PermissionDeniedError(
                "The first administrator already exists. Sign in, or ask an administrator "
                "to add your account."
            )
        return insert_practitioner(session, None, form, password_hash)


def _account(session: Session, practitioner_id: int) -> Practitioner:
    row = session.get(Practitioner, practitioner_id)
    if row is None:
        raise NotFoundError(f"Account {practitioner_id} does not exist.")
    return row


def add_account(db: Database, actor_id: int, form: PractitionerForm, password: str) -> int:
    """An administrator adds an account with its first password; returns its id."""
    _check_new_account(form, password)
    password_hash = hash_password(password)
    with db.transaction() as session:
        require_admin(session, actor_id)
        return insert_practitioner(session, actor_id, form, password_hash)


def _active_admins(session: Session) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Practitioner)
            .where(Practitioner.active.is_(True), Practitioner.role == Role.ADMIN)
        )
        or 0
    )


def deactivate_account(db: Database, actor_id: int, practitioner_id: int) -> Changes:
    """An administrator deactivates an account (never deleted: its records keep its name).

    The last active administrator cannot be deactivated.
    """
    with db.transaction() as session:
        require_admin(session, actor_id)
        row = _account(session, practitioner_id)
        if not row.active:
            return Changes.account(practitioner_id)
        if row.role == Role.ADMIN and _active_admins(session) <= 1:
            raise PermissionDeniedError(
                "This is the last active administrator account. Make another account an "
                "administrator first."
            )
        row.active = False
        audit.record(
            session,
            actor_id,
            "deactivate",
            entity_type="practitioner",
            entity_id=row.id,
            summary=f"Account {row.username} deactivated",
        )
    return Changes.account(practitioner_id)


def reactivate_account(db: Database, actor_id: int, practitioner_id: int) -> Changes:
    """An administrator reactivates a deactivated account."""
    with db.transaction() as session:
        require_admin(session, actor_id)
        row = _account(session, practitioner_id)
        if row.active:
            return Changes.account(practitioner_id)
        row.active = True
        audit.record(
            session,
            actor_id,
            "reactivate",
            entity_type="practitioner",
            entity_id=row.id,
            summary=f"Account {row.username} reactivated",
        )
    return Changes.account(practitioner_id)


def _set_password(row: Practitioner, password: str) -> None:
    row.password_hash = hash_password(password)
    row.failed_logins = 0
    row.last_failed_login_at = None


def reset_password(db: Database, actor_id: int, practitioner_id: int, new_password: str) -> None:
    """An administrator sets a new password for an account (and clears its wait)."""
    with db.transaction() as session:
        require_admin(session, actor_id)
        row = _account(session, practitioner_id)
        problems = password_problems(new_password, row.username)
        if problems:
            raise ValidationError(problems)
        _set_password(row, new_password)
        audit.record(
            session,
            actor_id,
            "password_reset",
            entity_type="practitioner",
            entity_id=row.id,
            summary=f"Password of {row.username} reset by an administrator",
        )


def change_password(
    db: Database,
    practitioner_id: int,
    current_password: str,
    new_password: str,
    *,
    now: datetime | None = None,
) -> None:
    """A practitioner changes their own password (the current one is asked again)."""
    with db.transaction() as session:
        row = _active_account(session, practitioner_id)
        problems = password_problems(new_password, row.username)
        if problems:
            raise ValidationError(problems)
        error = _try_password(session, row, current_password, _now(now), "password_failed")
        if error is None:
            _set_password(row, new_password)
            audit.record(
                session,
                row.id,
                "password_change",
                entity_type="practitioner",
                entity_id=row.id,
                summary=f"{row.username} changed their password",
            )
    if error is not None:
        raise error


def set_first_password(db: Database, username: str, password: str) -> Practitioner:
    """Give an account that has no password yet its first one, and sign it in.

    Accounts made before passwords existed (the earlier first-run screen) have none; this
    only works while that is so, and is audited ("password_set", then "login").
    """
    name = username.strip().lower()
    problems = password_problems(password, name)
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        row = session.scalar(select(Practitioner).where(Practitioner.username == name))
        if row is None or row.password_hash is not None or not row.active:
            raise AuthenticationError(WRONG_CREDENTIALS)
        _set_password(row, password)
        for action, summary in (
            ("password_set", f"{row.username} chose a first password"),
            ("login", f"{row.username} signed in"),
        ):
            audit.record(
                session,
                row.id,
                action,
                entity_type="practitioner",
                entity_id=row.id,
                summary=summary,
            )
        return row
