"""Databases signed before 0005: the canonical hash is unchanged, and the upgrade records a
baseline of every signature and amendment in the audit trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services import records, signature_check
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.sessions import load_session
from dnt_desktop.services.signing import (
    amendment_hash,
    content_hash,
    content_hash_of_row,
    seal,
)
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import alembic_config
from dnt_desktop.storage.open import open_database

from ..storage.old_database import (
    PINNED_ADJUNCTS,
    PINNED_CONDITIONS,
    PINNED_EFFECTS,
    PINNED_HASH,
    PINNED_POINTS,
    PINNED_SESSION,
    OldDatabase,
    build_old_database,
)


@pytest.fixture
def old(tmp_path: Path) -> OldDatabase:
    return build_old_database(tmp_path / "clinic.sqlite3")


def test_the_canonical_form_is_the_one_revision_0004_hashed() -> None:
    document = (PINNED_SESSION, PINNED_CONDITIONS, PINNED_ADJUNCTS, PINNED_POINTS, PINNED_EFFECTS)
    assert content_hash_of_row(*document) == PINNED_HASH


def test_an_old_database_gets_a_baseline_and_checks_clean(old: OldDatabase) -> None:
    db = open_database(sqlite_url(old.path))
    try:
        pinned = load_session(db, old.pinned)
        assert content_hash(pinned) == pinned.content_hash == PINNED_HASH
        assert records.signature_intact(db, old.pinned) is True
        with db.reading() as s:
            baseline = s.scalars(
                select(AuditEvent).where(AuditEvent.action.like("%_baseline")).order_by("id")
            ).all()
        acknowledged = load_session(db, old.acknowledged)
        assert [(e.action, e.entity_id, e.record_hash) for e in baseline] == [
            ("sign_baseline", old.pinned, seal(PINNED_HASH, [])),
            (
                "sign_baseline",
                old.acknowledged,
                seal(acknowledged.content_hash, acknowledged.acknowledgements),
            ),
            ("amend_baseline", old.pinned, amendment_hash(pinned.amendments[0])),
        ]
        assert all(e.actor_id is None and "upgrade to schema 0005" in e.summary for e in baseline)
    finally:
        db.dispose()
    report = check_database(sqlite_url(old.path))
    assert report.ok, report.problems
    assert report.signed_sessions == 2


def test_upgrading_again_adds_no_second_baseline(old: OldDatabase) -> None:
    open_database(sqlite_url(old.path)).dispose()
    db = open_database(sqlite_url(old.path))
    try:
        config = alembic_config()
        for target, step in (("0004", command.downgrade), ("head", command.upgrade)):
            with db.write_engine.begin() as connection:
                config.attributes["connection"] = connection
                step(config, target)
        with db.reading() as s:
            count = len(
                s.scalars(select(AuditEvent.id).where(AuditEvent.action.like("%_baseline"))).all()
            )
    finally:
        db.dispose()
    assert count == 3
    assert check_database(sqlite_url(old.path)).ok


def test_the_pinned_content_is_proven_in_sql_without_the_python_fallback(
    old: OldDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(sqlite_url(old.path)).dispose()
    doubtful: list[int] = []
    original = signature_check._retyped

    def spy(connection, items, *rest):  # type: ignore[no-untyped-def]
        doubtful.extend(item.session_id for item in items)
        return original(connection, items, *rest)

    monkeypatch.setattr(signature_check, "_retyped", spy)
    assert check_database(sqlite_url(old.path)).ok
    assert doubtful == []


def test_a_session_changed_before_the_upgrade_keeps_failing(old: OldDatabase) -> None:
    conn = sqlite3.connect(old.path)
    with conn:
        conn.execute("DROP TRIGGER needling_point_signed_no_update")
        conn.execute("UPDATE needling_point SET depth_mm = 45 WHERE session_id = 7 AND number = 2")
    conn.close()
    open_database(sqlite_url(old.path)).dispose()  # the baseline records it as it is now
    report = check_database(sqlite_url(old.path))
    assert report.problems == ["signed session 7 was changed after signing"]
