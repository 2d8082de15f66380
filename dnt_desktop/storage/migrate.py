"""Bringing a database to the current schema with Alembic, safely.

Before an existing file is migrated a copy of it is made; a database written by a newer
version of the app, or a SQLite file that belongs to another program, is refused.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from .backup import backup_sqlite
from .engine import Database
from .errors import DatabaseTooNewError, NotADatabaseError

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts packaged"
    return head


def known_revisions() -> set[str]:
    """Every revision this version of the app can migrate from."""
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision stamped in the database, None for an empty one."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_revision(revision: str | None, tables: set[str] | frozenset[str], where: str) -> None:
    """Refuse a database from a newer app, or one with tables but no dnt-desktop schema."""
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabaseError(
            f"{where} is a SQLite database of another program (it has no dnt-desktop schema). "
            "It was left untouched."
        )
    if revision is not None and revision not in known_revisions():
        raise DatabaseTooNewError(
            f"{where} was written by a newer version of dnt-desktop (schema {revision}). "
            "Install the newer version to open it; the file was left untouched."
        )


def pre_migration_copy_path(path: Path, revision: str) -> Path:
    """Where the copy taken before migrating *path* from *revision* goes."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.before-migration-{revision}-{stamp}{path.suffix}")


def upgrade_to_head(db: Database) -> Path | None:
    """Migrate *db* to the head revision; returns the safety copy made, if any."""
    revision = current_revision(db)
    head = head_revision()
    if revision == head:
        return None
    with db.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    check_revision(revision, tables, str(db.path or db.url.render_as_string(hide_password=True)))
    copy: Path | None = None
    if revision is not None and db.path is not None:
        copy = pre_migration_copy_path(db.path, revision)
        backup_sqlite(db.path, copy)
    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return copy
