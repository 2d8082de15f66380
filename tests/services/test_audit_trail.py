"""Every action leaves exactly one audit event, by the right actor, in the change's own
transaction; audit rows are append-only and `check` finds tampering."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dnt_desktop.models import AuditEvent, Patient, catalogue
from dnt_desktop.models.enums import ConsentMethod, DeliveryKind, ScreeningStatus
from dnt_desktop.services import accounts, audit, audit_query, backups, records
from dnt_desktop.services.clinical import record_consent, record_screening, withdraw_consent
from dnt_desktop.services.drafts import (
    ConsentForm,
    PatientForm,
    ScreeningAnswerForm,
    ScreeningForm,
)
from dnt_desktop.services.errors import ValidationError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import register_patient, set_archived, update_patient
from dnt_desktop.services.practitioners import PractitionerForm
from dnt_desktop.services.sessions import draft_from, load_session, save_session
from dnt_desktop.services.settings import set_setting
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

from .conftest import PASSWORD, draft_for

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


@dataclass
class World:
    """Everything an action needs: the database, the accounts and a charted patient."""

    db: Database
    db_path: Path
    tmp: Path
    admin: int
    pract: int
    other: int
    patient: int
    draft: int
    signed: int


@pytest.fixture
def world(
    db: Database,
    db_path: Path,
    tmp_path: Path,
    admin_id: int,
    pract_id: int,
    other_id: int,
    patient: int,
    draft_id: int,
) -> World:
    signed = save_session(db, pract_id, draft_for(patient, pract_id)).session_id
    records.sign_session(db, pract_id, signed, PASSWORD)
    return World(db, db_path, tmp_path, admin_id, pract_id, other_id, patient, draft_id, signed)


def _screening() -> ScreeningForm:
    return ScreeningForm([ScreeningAnswerForm(code, ScreeningStatus.ABSENT) for code in _codes()])


def _codes() -> list[str]:
    return [item.code for item in catalogue.contraindications()]


def _update_draft(w: World) -> None:
    draft = draft_from(load_session(w.db, w.draft))
    draft.notes = "changed"
    save_session(w.db, w.pract, draft)


def _fail(action: Callable[[], object]) -> None:
    with pytest.raises(accounts.AuthenticationError):
        action()


def _delivery(w: World) -> None:
    delivery = pytest.importorskip("dnt_desktop.services.aftercare.delivery")
    delivery.record_delivery(w.db, w.pract, w.signed, DeliveryKind.PRINTED)


ACTIONS: dict[str, tuple[Callable[[World], object], str, str]] = {
    # name: (what the user does, audit action, who the actor must be)
    "register patient": (
        lambda w: register_patient(w.db, w.pract, PatientForm("Roe", "Rick", date(1970, 1, 1))),
        "create",
        "pract",
    ),
    "edit patient": (
        lambda w: update_patient(
            w.db, w.other, w.patient, PatientForm("Doe", "Janet", date(1980, 5, 17))
        ),
        "update",
        "other",
    ),
    "archive patient": (lambda w: set_archived(w.db, w.other, w.patient, True), "archive", "other"),
    "screening": (
        lambda w: record_screening(w.db, w.pract, w.patient, _screening()),
        "create",
        "pract",
    ),
    "consent": (
        lambda w: record_consent(
            w.db, w.other, w.patient, ConsentForm(date(2026, 11, 3), ConsentMethod.VERBAL)
        ),
        "create",
        "other",
    ),
    "withdraw consent": (
        lambda w: withdraw_consent(w.db, w.pract, 1, date.today()),
        "withdraw",
        "pract",
    ),
    "create session": (
        lambda w: save_session(w.db, w.other, draft_for(w.patient, w.other)),
        "create",
        "other",
    ),
    "update session": (_update_draft, "update", "pract"),
    "sign": (lambda w: records.sign_session(w.db, w.pract, w.draft, PASSWORD), "sign", "pract"),
    "amend": (lambda w: records.amend_session(w.db, w.other, w.signed, "Note"), "amend", "other"),
    "aftercare print": (_delivery, "aftercare_print", "pract"),
    "export": (
        lambda w: audit_query.export_csv(
            w.db, audit_query.AuditFilters(), w.tmp / "audit.csv", w.admin
        ),
        "export",
        "admin",
    ),
    "login": (lambda w: accounts.authenticate(w.db, "kim", PASSWORD), "login", "other"),
    "failed login": (
        lambda w: _fail(lambda: accounts.authenticate(w.db, "kim", "wrong-wrong")),
        "login_failed",
        "other",
    ),
    "lock": (lambda w: accounts.record_lock(w.db, w.pract), "lock", "pract"),
    "unlock": (lambda w: accounts.unlock(w.db, w.pract, PASSWORD), "unlock", "pract"),
    "failed unlock": (
        lambda w: _fail(lambda: accounts.unlock(w.db, w.pract, "wrong-wrong")),
        "unlock_failed",
        "pract",
    ),
    "add account": (
        lambda w: accounts.add_account(
            w.db, w.admin, PractitionerForm("New Person", "newperson"), "long-enough-1"
        ),
        "create",
        "admin",
    ),
    "deactivate account": (
        lambda w: accounts.deactivate_account(w.db, w.admin, w.other),
        "deactivate",
        "admin",
    ),
    "reset password": (
        lambda w: accounts.reset_password(w.db, w.admin, w.other, "long-enough-1"),
        "password_reset",
        "admin",
    ),
    "change setting": (
        lambda w: set_setting(w.db, w.admin, "backup_keep", "10"),
        "update",
        "admin",
    ),
    "backup": (
        lambda w: backups.make_backup(w.db, w.tmp / "b", "manual", actor_id=w.admin),
        "backup",
        "admin",
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_each_action_leaves_exactly_one_audit_event_by_its_actor(
    world: World, name: str, new_events: Callable[[], list[AuditEvent]]
) -> None:
    action, expected_action, who = ACTIONS[name]
    new_events()
    action(world)
    events = new_events()
    assert [(e.action, e.actor_id) for e in events] == [(expected_action, getattr(world, who))]
    assert events[0].workstation and events[0].occurred_at is not None


def test_restore_is_audited_in_the_restored_database(world: World) -> None:
    backup = backups.make_backup(world.db, world.tmp / "b", "manual")
    world.db.dispose()
    backups.restore_backup(world.db_path, backup, actor_id=world.admin)
    with world.db.reading() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
    assert (last.action, last.actor_id) == ("restore", world.admin)


def test_audit_events_are_written_in_the_changes_own_transaction(
    db: Database, pract_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    with db.reading() as s:
        before = s.scalar(select(func.count()).select_from(Patient))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit write failed")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        register_patient(db, pract_id, PatientForm("Roe", "Rick", date(1970, 1, 1)))
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == before


def test_a_refused_change_leaves_no_audit_event(
    world: World, new_events: Callable[[], list[AuditEvent]]
) -> None:
    new_events()
    with pytest.raises(ValidationError):
        records.amend_session(world.db, world.pract, world.draft, "not for drafts")
    assert new_events() == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET summary = 'nothing happened' WHERE id = 3",
        "UPDATE audit_event SET actor_id = NULL",
        "DELETE FROM audit_event WHERE id = 3",
        "DELETE FROM audit_event",
    ],
)
def test_audit_rows_cannot_be_altered_or_removed_in_sql(world: World, statement: str) -> None:
    conn = sqlite3.connect(world.db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
    finally:
        conn.close()
    assert check_database(sqlite_url(world.db_path)).ok


def test_check_reports_an_altered_audit_row_once_the_trigger_is_dropped(world: World) -> None:
    conn = sqlite3.connect(world.db_path)
    try:
        with conn:
            conn.execute("DROP TRIGGER audit_event_no_update")
            conn.execute("UPDATE audit_event SET summary = 'nothing happened' WHERE id = 3")
    finally:
        conn.close()
    report = check_database(sqlite_url(world.db_path))
    assert report.problems == ["audit event 3: content altered"]
