"""Accounts: Argon2id passwords, throttled sign-in, locking, and what only admins may do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from dnt_desktop.models import AuditEvent, Practitioner
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts
from dnt_desktop.services.accounts import (
    AuthenticationError,
    LoginThrottledError,
    PasswordNotSetError,
    PermissionDeniedError,
)
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage.engine import Database

from .conftest import ADMIN_PASSWORD, PASSWORD

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def _row(db: Database, practitioner_id: int) -> Practitioner:
    with db.reading() as s:
        row = s.get(Practitioner, practitioner_id)
        assert row is not None
        return row


def test_passwords_are_stored_as_argon2id_with_the_recommended_parameters(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())
    admin = accounts.create_first_admin(db, PractitionerForm("Alex Admin", "alex"), ADMIN_PASSWORD)
    stored = _row(db, admin).password_hash or ""
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # RFC 9106 low-memory profile
    assert ADMIN_PASSWORD not in stored
    assert accounts.authenticate(db, "alex", ADMIN_PASSWORD).id == admin


def test_the_first_admin_is_created_once(db: Database, admin_id: int) -> None:
    assert _row(db, admin_id).role == Role.ADMIN
    with pytest.raises(PermissionDeniedError, match="already exists"):
        accounts.create_first_admin(db, PractitionerForm("Eve", "eve"), "another-password")


def test_first_admin_is_refused_when_any_account_exists(db: Database) -> None:
    add_practitioner(db, None, PractitionerForm("Old Account", "old"))
    with pytest.raises(PermissionDeniedError):
        accounts.create_first_admin(db, PractitionerForm("Eve", "eve"), "another-password")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "at least 8 characters"),
        ("        ", "only spaces"),
        ("Newbie01", "must not be the user name"),
        ("x" * 300, "at most 256"),
    ],
)
def test_password_policy_gives_clear_messages(
    db: Database, admin_id: int, password: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        accounts.add_account(db, admin_id, PractitionerForm("New Bie", "newbie01"), password)
    assert password.strip() == "" or password not in str(caught.value)


def test_sign_in_audits_login_and_returns_the_account(
    db: Database, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    account = accounts.authenticate(db, "  Sam ", PASSWORD)
    assert account.id == pract_id and account.full_name == "Sam Physio"
    events = new_events()
    assert [(e.action, e.actor_id) for e in events] == [("login", pract_id)]


def test_unknown_user_and_wrong_password_get_the_same_message(
    db: Database, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    with pytest.raises(AuthenticationError) as unknown:
        accounts.authenticate(db, "nobody", PASSWORD)
    with pytest.raises(AuthenticationError) as wrong:
        accounts.authenticate(db, "sam", "wrong password")
    assert str(unknown.value) == str(wrong.value) == accounts.WRONG_CREDENTIALS
    events = new_events()
    assert [(e.action, e.actor_id) for e in events] == [
        ("login_failed", None),
        ("login_failed", pract_id),
    ]
    assert all("nobody" not in e.summary and "wrong password" not in e.summary for e in events)


def test_delay_grows_and_is_capped() -> None:
    assert [accounts.delay_seconds(n) for n in range(9)] == [0, 0, 1, 2, 4, 8, 16, 30, 30]
    assert accounts.delay_seconds(1000) == 30


def test_repeated_wrong_passwords_are_slowed_down(
    db: Database, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    for _ in range(2):
        with pytest.raises(AuthenticationError, match="wrong"):
            accounts.authenticate(db, "sam", "guess-guess", now=T0)
    # the third attempt within a second is refused, even with the right password
    with pytest.raises(LoginThrottledError, match="Wait 1 second,") as caught:
        accounts.authenticate(db, "sam", PASSWORD, now=T0 + timedelta(milliseconds=300))
    assert caught.value.wait_seconds == 1
    with pytest.raises(AuthenticationError, match="wrong"):
        accounts.authenticate(db, "sam", "guess-guess", now=T0 + timedelta(seconds=1))
    with pytest.raises(LoginThrottledError, match="Wait 2 seconds"):
        accounts.authenticate(db, "sam", PASSWORD, now=T0 + timedelta(seconds=1.5))
    assert _row(db, pract_id).failed_logins == 3
    account = accounts.authenticate(db, "sam", PASSWORD, now=T0 + timedelta(seconds=3))
    assert account.failed_logins == 0 and account.last_failed_login_at is None
    actions = [(e.action, e.actor_id) for e in new_events()]
    assert actions == [("login_failed", pract_id)] * 5 + [("login", pract_id)]


def test_a_clock_ahead_on_another_workstation_cannot_lock_an_account_out(
    db: Database, pract_id: int
) -> None:
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            accounts.authenticate(db, "sam", "guess-guess", now=T0 + timedelta(hours=5))
    row = _row(db, pract_id)
    assert accounts.seconds_to_wait(row, T0) == accounts.delay_seconds(2) == 1  # not 5 hours


def test_deactivated_accounts_cannot_sign_in(db: Database, admin_id: int, pract_id: int) -> None:
    accounts.deactivate_account(db, admin_id, pract_id)
    with pytest.raises(AuthenticationError, match="deactivated"):
        accounts.authenticate(db, "sam", PASSWORD)
    with pytest.raises(AuthenticationError, match="wrong"):
        accounts.authenticate(db, "sam", "not the password")
    accounts.reactivate_account(db, admin_id, pract_id)
    assert accounts.authenticate(db, "sam", PASSWORD).id == pract_id


def test_only_an_active_admin_manages_accounts(
    db: Database, admin_id: int, pract_id: int, other_id: int
) -> None:
    form = PractitionerForm("New Person", "newperson")
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        accounts.add_account(db, pract_id, form, "long-enough-1")
    with pytest.raises(PermissionDeniedError):
        accounts.deactivate_account(db, pract_id, other_id)
    with pytest.raises(PermissionDeniedError):
        accounts.reset_password(db, pract_id, other_id, "long-enough-1")
    second = accounts.add_account(
        db, admin_id, PractitionerForm("Second Admin", "second", role=Role.ADMIN), "long-enough-2"
    )
    accounts.deactivate_account(db, second, admin_id)
    with pytest.raises(PermissionDeniedError):  # a deactivated admin has no rights left
        accounts.add_account(db, admin_id, form, "long-enough-1")


def test_the_last_active_admin_cannot_be_deactivated(db: Database, admin_id: int) -> None:
    with pytest.raises(PermissionDeniedError, match="last active administrator"):
        accounts.deactivate_account(db, admin_id, admin_id)
    assert _row(db, admin_id).active
    second = accounts.add_account(
        db, admin_id, PractitionerForm("Second Admin", "second", role=Role.ADMIN), "long-enough-2"
    )
    accounts.deactivate_account(db, admin_id, admin_id)
    assert not _row(db, admin_id).active
    with pytest.raises(PermissionDeniedError, match="last active administrator"):
        accounts.deactivate_account(db, second, second)


def test_accounts_are_deactivated_never_deleted(
    db: Database, admin_id: int, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    accounts.deactivate_account(db, admin_id, pract_id)
    accounts.deactivate_account(db, admin_id, pract_id)  # already: nothing more happens
    assert _row(db, pract_id).username == "sam"
    assert [(e.action, e.actor_id, e.entity_id) for e in new_events()] == [
        ("deactivate", admin_id, pract_id)
    ]


def test_admin_resets_a_password_and_clears_the_wait(
    db: Database, admin_id: int, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    for _ in range(4):
        with pytest.raises(AuthenticationError):
            accounts.authenticate(db, "sam", "forgotten-it")
    new_events()
    accounts.reset_password(db, admin_id, pract_id, "brand-new-password")
    assert [(e.action, e.actor_id) for e in new_events()] == [("password_reset", admin_id)]
    assert accounts.authenticate(db, "sam", "brand-new-password").id == pract_id
    with pytest.raises(ValidationError, match="at least 8"):
        accounts.reset_password(db, admin_id, pract_id, "short")


def test_practitioner_changes_their_own_password(db: Database, pract_id: int) -> None:
    with pytest.raises(AuthenticationError):
        accounts.change_password(db, pract_id, "not-the-current", "next-password-1")
    accounts.change_password(db, pract_id, PASSWORD, "next-password-1")
    assert accounts.authenticate(db, "sam", "next-password-1").id == pract_id
    with pytest.raises(AuthenticationError):
        accounts.authenticate(db, "sam", PASSWORD)


def test_an_outdated_hash_is_upgraded_at_sign_in(
    db: Database, pract_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(PASSWORD)
    with db.transaction() as s:
        row = s.get(Practitioner, pract_id)
        assert row is not None
        row.password_hash = weak
    accounts.authenticate(db, "sam", PASSWORD)
    stored = _row(db, pract_id).password_hash or ""
    assert stored != weak and not accounts._hasher.check_needs_rehash(stored)


def test_accounts_without_a_password_choose_one_first(db: Database) -> None:
    old = add_practitioner(db, None, PractitionerForm("Old Account", "old"))
    with pytest.raises(PasswordNotSetError, match="no password yet"):
        accounts.authenticate(db, "old", "")
    assert accounts.set_first_password(db, "old", "first-password-1").id == old
    assert accounts.authenticate(db, "old", "first-password-1").id == old
    with pytest.raises(AuthenticationError):  # only while there is none
        accounts.set_first_password(db, "old", "hijack-attempt-1")


def test_lock_and_unlock_are_audited(
    db: Database, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    accounts.record_lock(db, pract_id)
    with pytest.raises(AuthenticationError):
        accounts.unlock(db, pract_id, "wrong-password")
    accounts.unlock(db, pract_id, PASSWORD)
    accounts.verify_password(db, pract_id, PASSWORD)
    assert [(e.action, e.actor_id) for e in new_events()] == [
        ("lock", pract_id),
        ("unlock_failed", pract_id),
        ("unlock", pract_id),
    ]


def test_unlock_is_throttled_like_sign_in(db: Database, pract_id: int) -> None:
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            accounts.unlock(db, pract_id, "wrong-password", now=T0)
    with pytest.raises(LoginThrottledError):
        accounts.unlock(db, pract_id, PASSWORD, now=T0)
    accounts.unlock(db, pract_id, PASSWORD, now=T0 + timedelta(seconds=1))


def test_unlock_still_works_without_writing_when_saving_is_stopped(
    db: Database, pract_id: int, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    db.stop_writes("Saving is stopped: the database failed its check.")
    with pytest.raises(AuthenticationError):
        accounts.unlock(db, pract_id, "wrong-password")
    accounts.unlock(db, pract_id, PASSWORD)  # the user can read on, and close
    assert new_events() == []


def test_idle_lock_minutes_is_a_setting(db: Database, admin_id: int) -> None:
    assert accounts.idle_lock_minutes(db) == 10
    set_setting(db, admin_id, "idle_lock_minutes", "5")
    assert accounts.idle_lock_minutes(db) == 5
    with pytest.raises(ValidationError, match="whole number"):
        set_setting(db, admin_id, "idle_lock_minutes", "0")


def test_no_password_is_stored_or_logged_in_clear(
    db: Database, db_path: Path, admin_id: int, pract_id: int
) -> None:
    secrets = [ADMIN_PASSWORD, PASSWORD, "brand-new-password", "typo-of-password"]
    accounts.authenticate(db, "sam", PASSWORD)
    with pytest.raises(AuthenticationError) as caught:
        accounts.authenticate(db, "sam", "typo-of-password")
    accounts.reset_password(db, admin_id, pract_id, "brand-new-password")
    accounts.unlock(db, pract_id, "brand-new-password")
    with db.reading() as s:
        summaries = " ".join(s.scalars(select(AuditEvent.summary)))
    db.dispose()
    stored = b"".join(
        p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
    )
    for secret in secrets:
        assert secret not in summaries
        assert secret not in str(caught.value)
        assert secret.encode() not in stored


def test_demo_accounts_sign_in_with_the_documented_password(db: Database) -> None:
    from dnt_desktop import demo

    demo.generate(db, patients=1)
    assert demo.DEMO_PASSWORD in demo.DEMO_PASSWORD_NOTE
    for username in ("admin", "sarah.okafor", "tom.lindqvist"):
        assert accounts.authenticate(db, username, demo.DEMO_PASSWORD).username == username


def test_only_an_administrator_changes_clinic_settings_and_details(
    db: Database, admin_id: int, pract_id: int
) -> None:
    from dnt_desktop.services.clinic_details import ClinicForm, get_clinic, save_clinic
    from dnt_desktop.services.settings import set_setting

    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        set_setting(db, pract_id, "idle_lock_minutes", "30")
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        save_clinic(db, pract_id, ClinicForm(name="Renamed Clinic"))
    assert accounts.idle_lock_minutes(db) == 10
    assert get_clinic(db).name == "Test Clinic"

    set_setting(db, admin_id, "idle_lock_minutes", "30")
    save_clinic(db, admin_id, ClinicForm(name="Renamed Clinic"))
    assert accounts.idle_lock_minutes(db) == 30
    assert get_clinic(db).name == "Renamed Clinic"


def test_services_refuse_account_and_clinic_changes_from_anyone_but_an_administrator(
    db: Database, admin_id: int, pract_id: int
) -> None:
    from dnt_desktop.services.clinic_details import ClinicForm, get_clinic, save_clinic

    admin_form = PractitionerForm("Mallory", "mallory", role=Role.ADMIN)
    for actor in (pract_id, None):  # a practitioner, or nobody claiming to be the first run
        with pytest.raises(PermissionDeniedError, match="Only an administrator"):
            add_practitioner(db, actor, admin_form)
        with pytest.raises(PermissionDeniedError, match="Only an administrator"):
            save_clinic(db, actor, ClinicForm(name="Taken Over"))
    old_id = accounts.add_account(
        db, admin_id, PractitionerForm("Old Admin", "old.admin", role=Role.ADMIN), "old-admin-pw1"
    )
    accounts.deactivate_account(db, admin_id, old_id)  # a deactivated administrator is none
    with pytest.raises(PermissionDeniedError, match="Only an administrator"):
        add_practitioner(db, old_id, admin_form)
    assert get_clinic(db).name == "Test Clinic"
    assert add_practitioner(db, admin_id, admin_form) > 0


def test_a_lone_surrogate_in_a_sign_in_or_new_password_gets_a_message(
    db: Database, pract_id: int, admin_id: int
) -> None:
    for username, password in (("sam\ud800", PASSWORD), ("sam", "correct \udcff horse")):
        with pytest.raises(AuthenticationError) as wrong:
            accounts.authenticate(db, username, password)
        assert str(wrong.value) == accounts.WRONG_CREDENTIALS
    with pytest.raises(ValidationError, match="password contains a character that cannot"):
        accounts.reset_password(db, admin_id, pract_id, "new \ud800 password")
    assert accounts.authenticate(db, "sam", PASSWORD).id == pract_id
