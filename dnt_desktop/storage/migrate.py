"""Bringing a database to the current schema with Alembic, safely.

Before an existing file is migrated a copy of it is made; a database written by a newer
version of the app, or a SQLite file that belongs to another program, is refused.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from .engine import Database
from .errors import DamagedDatabaseError, DatabaseTooNewError, NotADatabaseError
from .online_backup import backup_sqlite

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic (and Mako) are imported only when a database has to be migrated: importing
# them costs more than a tenth of a second at every start of the app.

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION_LINE = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.+?)\s*$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migration scripts."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@cache
def _scripted_head() -> str | None:
    """The head revision read from the scripts' ``revision``/``down_revision`` lines.

    None when the scripts do not read as one straight history; Alembic decides then.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(script.read_text("utf-8")))
        revision = _QUOTED.fullmatch(found.get("revision", ""))
        if revision is None or "down_revision" not in found:
            return None
        revisions.add(revision.group(1))
        parents.update(_QUOTED.findall(found["down_revision"]))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def head_revision() -> str:
    """The newest schema revision this version of the app knows."""
    head = _scripted_head()
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migration scripts packaged"
    return head


def known_revisions() -> set[str]:
    """Every revision this version of the app can migrate from."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision stamped in the database, None for an empty one."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _stamped_revision(db: Database) -> str | None:
    """The one revision in ``alembic_version`` read with plain SQL (None: not exactly one)."""
    try:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    except DBAPIError:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


SCHEMA_TABLES = frozenset(
    {
        "aftercare_delivery",
        "aftercare_language",
        "aftercare_template",
        "alembic_version",
        "alert_acknowledgement",
        "amendment",
        "app_setting",
        "attachment",
        "audit_event",
        "clinic",
        "consent",
        "letter_template",
        "measure_answer",
        "measure_retraction",
        "late_event",
        "lung_depth_limit",
        "consent_text",
        "disposal_pass",
        "erasure_pass",
        "needling_point",
        "outcome_measure",
        "note_phrase",
        "patient",
        "patient_referrer",
        "practitioner",
        "referrer",
        "protocol",
        "protocol_point",
        "screening",
        "screening_answer",
        "sent_letter",
        "session_adjunct",
        "session_condition",
        "side_effect",
        "treatment_session",
    }
)
"""The tables of a database at the head revision (tests/storage/test_open.py compares them
with the models)."""

_LEADING_NUMBER = re.compile(r"^(\d+)")


def _is_later_than_head(revision: str) -> bool:
    """True for a revision numbered after this version's head ("9000" after "0007")."""
    ours, theirs = _LEADING_NUMBER.match(head_revision()), _LEADING_NUMBER.match(revision)
    return bool(ours and theirs and int(theirs[1]) > int(ours[1]))


def check_revision(revision: str | None, tables: set[str] | frozenset[str], where: str) -> None:
    """Refuse a database this version must not write to, each with a plain message.

    Tables but no dnt-desktop schema (another program's file); a revision numbered after
    this version's head (a newer version's); a revision no version of dnt-desktop wrote;
    the head revision with tables missing (changed outside dnt-desktop).
    """
    if revision is None and tables - {"alembic_version"}:
        raise NotADatabaseError(
            f"{where} is a SQLite database of another program (it has no dnt-desktop schema). "
            "It was left untouched."
        )
    if revision is None:
        return
    head = head_revision()
    if revision == head:
        missing = sorted(SCHEMA_TABLES - set(tables))
        if missing:
            names = ", ".join(missing[:5]) + (" and more" if len(missing) > 5 else "")
            raise DamagedDatabaseError(
                f"{where} is incomplete: part of the clinic's records is missing (table "
                f"{names}). It was changed outside dnt-desktop and was left untouched. "
                "Restore the latest backup (dnt-desktop restore BACKUP) or ask your IT "
                "support for help."
            )
        return
    if revision in known_revisions():
        return
    if _is_later_than_head(revision):
        raise DatabaseTooNewError(
            f"{where} was written by a newer version of dnt-desktop (schema {revision}). "
            "Install the newer version to open it; the file was left untouched."
        )
    raise DamagedDatabaseError(
        f"{where} carries a schema version ({revision!r}) that no version of dnt-desktop "
        f"writes (this one writes {head}): it was changed outside dnt-desktop, so it was "
        "left untouched. Ask your IT support for help, or restore the latest backup "
        "(dnt-desktop restore BACKUP)."
    )


def pre_migration_copy_path(path: Path, revision: str) -> Path:
    """Where the copy taken before migrating *path* from *revision* goes."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.stem}.before-migration-{revision}-{stamp}{path.suffix}")


def upgrade_to_head(db: Database) -> Path | None:
    """Migrate *db* to the head revision; returns the safety copy made, if any."""
    head = head_revision()
    if _stamped_revision(db) == head:  # the usual case, answered without Alembic
        return None
    revision = current_revision(db)
    if revision == head:
        return None
    with db.engine.connect() as conn:
        tables = set(conn.dialect.get_table_names(conn))
    check_revision(revision, tables, str(db.path or db.url.render_as_string(hide_password=True)))
    copy: Path | None = None
    if revision is not None and db.path is not None:
        copy = pre_migration_copy_path(db.path, revision)
        backup_sqlite(db.path, copy)
    from alembic import command

    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
    return copy
