"""Opening and migrating a PostgreSQL database the way the app does."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.engine import URL

from dnt_desktop.models import Base
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import resolve_database_url
from dnt_desktop.storage.migrate import alembic_config, current_revision, head_revision
from dnt_desktop.storage.open import open_database


def _schema_diff(db: Database) -> list[object]:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def _triggers(db: Database) -> set[str]:
    with db.reading() as s:
        return set(s.scalars(text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).all())


def test_an_empty_database_is_migrated_to_head_matching_the_models(
    new_database: Callable[[str], URL],
) -> None:
    url = new_database("empty")
    db = open_database(url)
    try:
        assert db.path is None and not db.is_sqlite
        assert current_revision(db) == head_revision()
        assert _schema_diff(db) == []
        assert {
            "treatment_session_signed_guard",
            "needling_point_signed_guard",
            "audit_event_append_only",
            "amendment_append_only",
        } <= _triggers(db)
    finally:
        db.dispose()


def test_the_url_from_the_environment_opens_the_same_database(db: Database, pg_url: URL) -> None:
    env = {"DNT_DATABASE_URL": pg_url.render_as_string(hide_password=False)}
    url = resolve_database_url(None, env=env)
    assert url.get_backend_name() == "postgresql" and url.get_driver_name() == "psycopg"
    again = open_database(url)  # already at head: nothing to do, nothing written
    try:
        assert current_revision(again) == head_revision()
    finally:
        again.dispose()


def test_migrations_go_down_to_nothing_and_up_again(db: Database) -> None:
    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    with db.reading() as s:
        left = s.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).all()
        functions = s.scalars(text("SELECT proname FROM pg_proc WHERE proname LIKE 'dnt_%'"))
        assert set(left) <= {"alembic_version"} and list(functions) == []
    db.dispose()
    reopened = open_database(db.url)
    try:
        assert current_revision(reopened) == head_revision()
        assert _schema_diff(reopened) == []
        assert "treatment_session_signed_guard" in _triggers(reopened)
    finally:
        reopened.dispose()
