"""Accounts, sign-in throttling and locking on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts
from dnt_desktop.services.accounts import (
    AuthenticationError,
    LoginThrottledError,
    PermissionDeniedError,
)
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.storage.engine import Database

from .conftest import ADMIN_PASSWORD, PASSWORD

T0 = datetime(2026, 11, 25, 9, 0, 0, 500000, tzinfo=UTC)


def _row(db: Database, practitioner_id: int) -> Practitioner:
    with db.reading() as s:
        row = s.get(Practitioner, practitioner_id)
        assert row is not None
        return row


def _actions(db: Database, after: int) -> list[tuple[str, int | None]]:
    with db.reading() as s:
        rows = s.execute(
            select(AuditEvent.action, AuditEvent.actor_id)
            .where(AuditEvent.id > after)
            .order_by(AuditEvent.id)
        )
        return [(action, actor) for action, actor in rows]


def test_sign_in_throttling_and_audit(db: Database, pract_id: int) -> None:
    with db.reading() as s:
        start = s.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    with pytest.raises(AuthenticationError, match="wrong"):
        accounts.authenticate(db, "nobody", PASSWORD, now=T0)
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="wrong"):
            accounts.authenticate(db, "Sam ", "guess-guess", now=T0)
    assert _row(db, pract_id).last_failed_login_at == T0
    with pytest.raises(LoginThrottledError, match="Wait 1 second,"):
        accounts.authenticate(db, "sam", PASSWORD, now=T0 + timedelta(milliseconds=300))
    account = accounts.authenticate(db, "sam", PASSWORD, now=T0 + timedelta(seconds=2))
    assert account.id == pract_id and account.failed_logins == 0
    assert _actions(db, start) == [
        ("login_failed", None),
        ("login_failed", pract_id),
        ("login_failed", pract_id),
        ("login_failed", pract_id),
        ("login", pract_id),
    ]


def test_accounts_are_managed_by_an_active_admin(
    db: Database, admin_id: int, pract_id: int
) -> None:
    assert accounts.has_accounts(db)
    assert accounts.authenticate(db, "alex", ADMIN_PASSWORD).role == Role.ADMIN
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        accounts.add_account(db, pract_id, PractitionerForm("New Person", "new"), "long-enough-1")
    with pytest.raises(PermissionDeniedError, match="last active administrator"):
        accounts.deactivate_account(db, admin_id, admin_id)
    accounts.deactivate_account(db, admin_id, pract_id)
    with pytest.raises(AuthenticationError, match="deactivated"):
        accounts.authenticate(db, "sam", PASSWORD)
    accounts.reactivate_account(db, admin_id, pract_id)
    accounts.reset_password(db, admin_id, pract_id, "a-new-password-9")
    assert accounts.authenticate(db, "sam", "a-new-password-9").id == pract_id
    accounts.change_password(db, pract_id, "a-new-password-9", "mine-and-only-mine")
    assert accounts.authenticate(db, "sam", "mine-and-only-mine").id == pract_id


def test_lock_and_unlock_are_audited(db: Database, pract_id: int) -> None:
    accounts.record_lock(db, pract_id, "idle")
    with pytest.raises(AuthenticationError):
        accounts.unlock(db, pract_id, "not it")
    accounts.unlock(db, pract_id, PASSWORD)
    with db.reading() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.actor_id == pract_id).order_by(AuditEvent.id)
        ).all()
    assert actions[-3:] == ["lock", "unlock_failed", "unlock"]
