"""Backing up and restoring the clinic's SQLite database: audited, checked, rotated.

The app makes a backup at the first start of each day ("daily") and when it closes
("exit"); ``dnt-desktop backup`` and File > Backup and restore make "manual" ones. Each
is a verified copy (``storage.online_backup``) in the backup folder (setting
``backup_folder``, else ``backups/`` beside the database); rotation keeps the newest
``backup_keep`` (30). Every backup is audited ("backup") *before* the copy is taken, so
each backup holds the record of its own making; a copy that then fails is audited again
("backup_failed"). A restore checks the backup as ``dnt-desktop check`` does before it
touches anything, keeps the current database beside it and is audited ("restore") in the
restored database. The files themselves are handled by ``storage.backup_files`` and
``storage.restore_in_place``.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dnt_desktop.models import Practitioner
from dnt_desktop.storage.backup_files import (
    BackupFile,
    backup_folder,
    backup_path,
    backups_in,
    before_restore_path,
    daily_backup_due,
    remove_abandoned_partials,
    rotate,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import (
    DamagedDatabaseError,
    DatabaseTooNewError,
    NotADatabaseError,
    RestoreRefusedError,
    StorageError,
)
from dnt_desktop.storage.head_record import write_head_record
from dnt_desktop.storage.location import check_local_path, sqlite_url
from dnt_desktop.storage.migrate import check_revision
from dnt_desktop.storage.online_backup import backup_sqlite
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.probe import inspect_file, integrity_problems
from dnt_desktop.storage.readonly import file_kind
from dnt_desktop.storage.restore_in_place import is_sound, replace_damaged, replace_sound
from dnt_desktop.storage.verified import forget as forget_verified
from dnt_desktop.storage.witness import forget as forget_witness
from dnt_desktop.storage.witness import location_of

from . import audit
from .settings import get_setting, integer_setting

__all__ = [
    "BackupFacts",
    "BackupFile",
    "RestoreRefusedError",
    "RestoreResult",
    "automatic_backup",
    "backup_folder",
    "backup_to",
    "backups_in",
    "check_backup",
    "folder_of",
    "make_backup",
    "restore_backup",
]

BACKUP_PREFIX = "dnt-desktop-"


def _record(db: Database, actor_id: int | None, action: str, summary: str) -> None:
    with db.transaction() as session:
        audit.record(session, actor_id, action, entity_type="database", summary=summary[:1000])


def backup_to(
    db: Database, dest: Path, reason: str = "manual", *, actor_id: int | None = None
) -> Path:
    """Write a verified backup of the SQLite database *db* to *dest*, audited "backup"."""
    if db.path is None:
        raise StorageError(
            "Backups copy a SQLite database file; back up a PostgreSQL database with pg_dump."
        )
    dest = dest.expanduser().absolute()
    _record(db, actor_id, "backup", f"Backup ({reason}) to {dest}")
    try:
        written = backup_sqlite(db.path, dest)
        write_head_record(written)  # the trail's head beside it (storage.head_record)
        return written
    except StorageError as exc:
        with contextlib.suppress(StorageError):
            _record(db, actor_id, "backup_failed", f"Backup ({reason}) to {dest} failed: {exc}")
        raise


def make_backup(
    db: Database,
    folder: Path,
    reason: str,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> Path:
    """Write a verified, audited backup into *folder*; returns the file written.

    Copies of earlier backups into *folder* that were cut short are removed first.
    """
    remove_abandoned_partials(folder, (BACKUP_PREFIX,))
    dest = backup_path(folder, now or datetime.now().astimezone(), reason)
    return backup_to(db, dest, reason, actor_id=actor_id)


def _settings(db: Database) -> tuple[str, int]:
    with db.reading() as session:
        return get_setting(session, "backup_folder"), integer_setting(session, "backup_keep")


def folder_of(db: Database) -> Path:
    """The backup folder of *db* (its setting, else ``backups/`` beside it)."""
    if db.path is None:
        raise StorageError("Automatic backups are for SQLite databases; use pg_dump.")
    configured, _keep = _settings(db)
    return backup_folder(db.path, configured)


def automatic_backup(
    db: Database,
    reason: str,
    *,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> Path | None:
    """The backup the app makes at start ("daily") or on exit ("exit"), then rotation.

    A "daily" backup is made only when none was made today; returns the file written,
    or None when nothing was due (or the database is not a SQLite file).
    """
    if db.path is None:
        return None
    moment = (now or datetime.now()).astimezone()
    configured, keep = _settings(db)
    folder = backup_folder(db.path, configured)
    if reason == "daily" and not daily_backup_due(folder, moment.date()):
        return None
    written = make_backup(db, folder, reason, actor_id=actor_id, now=moment)
    rotate(folder, keep)
    return written


# --- restoring -----------------------------------------------------------------------


@dataclass(frozen=True)
class BackupFacts:
    """What checking a backup file found."""

    path: Path
    revision: str


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backup put in place and where the old database was kept."""

    backup: Path
    revision: str
    previous_copy: Path | None


def _refuse(path: Path, reason: str) -> RestoreRefusedError:
    return RestoreRefusedError(
        f"{path} cannot be restored: {reason}. The current database was not changed."
    )


def check_backup(path: Path, *, deep: bool = True) -> BackupFacts:
    """Check a file before restoring it; RestoreRefusedError says what is wrong.

    The file must be a sound SQLite file (``integrity_check``), hold a dnt-desktop schema
    that this version knows, and, when *deep*, pass ``dnt-desktop check`` (audit chain and
    signed sessions). Nothing is written to it or beside it.
    """
    try:
        if file_kind(path) is None:
            raise _refuse(path, "there is no such file")
        problems = integrity_problems(path, full=True)
        if problems:
            raise _refuse(path, f"it is damaged ({'; '.join(problems)[:200]})")
        facts = inspect_file(path, integrity=False)
        check_revision(facts.revision, facts.tables, str(path))
    except RestoreRefusedError:
        raise
    except NotADatabaseError as exc:
        raise _refuse(path, "it is not a dnt-desktop database") from exc
    except DamagedDatabaseError as exc:
        raise _refuse(path, "it is damaged") from exc
    except DatabaseTooNewError as exc:
        raise _refuse(path, "it was written by a newer version of dnt-desktop") from exc
    except StorageError as exc:
        raise _refuse(path, str(exc).rstrip(".")) from exc
    if facts.revision is None:
        raise _refuse(path, "it is not a dnt-desktop database (it holds no records)")
    if deep:
        from .integrity import check_database  # Alembic with it: not at every start

        report = check_database(sqlite_url(path))
        if not report.ok:
            raise _refuse(
                path,
                f"it fails dnt-desktop check ({report.problems[0]}; "
                f"{len(report.problems)} problem(s) in all)",
            )
    return BackupFacts(path, facts.revision)


def restore_backup(
    target: Path,
    backup: Path,
    *,
    actor_id: int | None = None,
    deep_check: bool = True,
) -> RestoreResult:
    """Replace the database at *target* with a checked *backup*, keeping the old one.

    The old database is kept beside it as ``NAME.before-restore-TIME.sqlite3``. A sound
    database is replaced through SQLite while no one has it open; a damaged one is
    renamed, untouched, and a verified copy of the backup put in its place. The restored
    database is then opened as the app opens it (migrated when older) and the restore is
    audited there ("restore"). Close the app's own Database before calling this.
    """
    target = target.expanduser().absolute()
    backup = backup.expanduser().absolute()
    facts = check_backup(backup, deep=deep_check)
    if target.exists() and target.resolve() == backup.resolve():
        raise _refuse(backup, "it is the database itself")
    check_local_path(target)
    previous: Path | None = None
    info = file_kind(target)
    if info is not None and info.st_size > 0:
        previous = before_restore_path(target)
        if is_sound(target):
            replace_sound(target, backup, previous)
        else:
            replace_damaged(target, backup, previous)
    else:
        replace_damaged(target, backup, None)
    # The restored trail ends before what this computer last witnessed here: start afresh.
    forget_witness(location_of(sqlite_url(target)) or str(target))
    forget_verified(target)  # its next start checks the restored file in full
    db = open_database(sqlite_url(target))
    try:
        kept = f"; the previous database is kept as {previous}" if previous else ""
        with db.transaction() as session:
            actor = actor_id
            if actor is not None and session.get(Practitioner, actor) is None:
                # The account was made after the backup: name it, keep the foreign key valid.
                kept += f"; by account {actor}, which the backup does not hold"
                actor = None
            audit.record(
                session,
                actor,
                "restore",
                entity_type="database",
                summary=f"Restored from {backup} (schema {facts.revision}){kept}"[:1000],
            )
    finally:
        db.dispose()
    return RestoreResult(backup, facts.revision, previous)
