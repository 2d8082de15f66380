"""Automatic backups of the SQLite database, their rotation, and restoring one.

The app makes a backup at the first start of each day ("daily") and when it closes
("exit"); ``dnt-desktop backup`` makes "manual" ones. Each is a verified copy (SQLite's
online backup API, then ``integrity_check``) named ``dnt-desktop-YYYYMMDD-HHMMSS-REASON
.sqlite3`` (local time) in the backup folder: ``<data folder>/backups/`` beside the
database unless the clinic sets another (setting ``backup_folder``). Rotation keeps the
newest ``backup_keep`` (30) of those files and never touches any other file.

Every backup is audited ("backup") *before* the copy is taken, so each backup holds the
record of its own making; a copy that then fails is audited again ("backup_failed").

This module writes audit events through ``services.audit`` (a plain function over the
models) and, when restoring, runs ``services.integrity``: the one place where storage
calls up into services, because a backup or restore without its audit event would be
incomplete.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from .backup import backup_sqlite, integrity_problems
from .engine import Database
from .errors import (
    DamagedDatabaseError,
    DatabaseTooNewError,
    NotADatabaseError,
    StorageError,
)
from .location import check_local_path, sqlite_url
from .migrate import check_revision
from .probe import check_header, inspect_file, readonly_uri

BACKUP_NAME = re.compile(r"^dnt-desktop-(\d{8})-(\d{6})-([a-z]+)(?:-(\d+))?\.sqlite3$")
DEFAULT_FOLDER_NAME = "backups"
DEFAULT_KEEP = 30
REASONS = ("daily", "exit", "manual")


@dataclass(frozen=True)
class BackupFile:
    """One of our backup files, as the backup dialog lists it."""

    path: Path
    taken_at: datetime
    reason: str
    sequence: int

    @property
    def sort_key(self) -> tuple[datetime, int]:
        """Oldest first."""
        return (self.taken_at, self.sequence)


def backup_folder(db_path: Path, configured: str | None) -> Path:
    """Where backups go: the configured folder, else ``backups/`` beside the database."""
    if configured and configured.strip():
        return Path(configured.strip()).expanduser().absolute()
    return db_path.absolute().parent / DEFAULT_FOLDER_NAME


def parse_backup_name(path: Path) -> BackupFile | None:
    """The backup a file name describes; None for a file that is not one of ours."""
    match = BACKUP_NAME.match(path.name)
    if match is None:
        return None
    try:
        taken_at = datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return BackupFile(path, taken_at, match[3], int(match[4] or 1))


def backups_in(folder: Path) -> list[BackupFile]:
    """Our backup files in *folder*, newest first (other files are ignored)."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = []
    for entry in entries:
        parsed = parse_backup_name(entry)
        if parsed is not None and entry.is_file() and not entry.is_symlink():
            found.append(parsed)
    return sorted(found, key=lambda b: b.sort_key, reverse=True)


def daily_backup_due(folder: Path, today: date) -> bool:
    """True when *folder* holds no "daily" backup taken on *today* (a local date)."""
    return not any(b.reason == "daily" and b.taken_at.date() == today for b in backups_in(folder))


def backup_path(folder: Path, moment: datetime, reason: str) -> Path:
    """A free file name for a backup taken at *moment* (local time) for *reason*."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r} (one of {', '.join(REASONS)})")
    stem = f"dnt-desktop-{moment.astimezone().strftime('%Y%m%d-%H%M%S')}-{reason}"
    path = folder / f"{stem}.sqlite3"
    sequence = 2
    while path.exists() or path.with_name(path.name + ".partial").exists():
        path = folder / f"{stem}-{sequence}.sqlite3"
        sequence += 1
    return path


def _record(db: Database, actor_id: int | None, action: str, summary: str) -> None:
    from dnt_desktop.services import audit

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
        return backup_sqlite(db.path, dest)
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
    """Write a verified, audited backup into *folder*; returns the file written."""
    dest = backup_path(folder, now or datetime.now().astimezone(), reason)
    return backup_to(db, dest, reason, actor_id=actor_id)


def rotate(folder: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the newest *keep* of our backups in *folder*; returns those deleted.

    Only files named like our backups are considered: pre-migration and pre-restore
    copies, partial files and anything else in the folder are never touched.
    """
    if keep < 1:
        raise ValueError("keep at least one backup")
    removed = []
    for old in backups_in(folder)[keep:]:
        try:
            old.path.unlink()
        except OSError:
            continue
        removed.append(old.path)
    return removed


def _settings(session: Session) -> tuple[str, int]:
    from dnt_desktop.services.settings import get_setting, integer_setting

    return get_setting(session, "backup_folder"), integer_setting(session, "backup_keep")


def folder_of(db: Database) -> Path:
    """The backup folder of *db* (its setting, else ``backups/`` beside it)."""
    if db.path is None:
        raise StorageError("Automatic backups are for SQLite databases; use pg_dump.")
    with db.reading() as session:
        configured, _keep = _settings(session)
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
    with db.reading() as session:
        configured, keep = _settings(session)
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


class RestoreRefusedError(StorageError):
    """The backup cannot be restored; the current database was not changed."""


def _refuse(path: Path, reason: str) -> RestoreRefusedError:
    return RestoreRefusedError(
        f"{path} cannot be restored: {reason}. The current database was not changed."
    )


def check_backup(path: Path, *, deep: bool = True) -> BackupFacts:
    """Check a file before restoring it; RestoreRefusedError says what is wrong.

    The file must be a sound SQLite file (header, ``integrity_check``), hold a dnt-desktop
    schema that this version knows, and, when *deep*, pass ``dnt-desktop check`` (audit
    chain and signed sessions). Nothing is written to it.
    """
    if not path.is_file():
        raise _refuse(path, "there is no such file")
    try:
        check_header(path)
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
        from dnt_desktop.services.integrity import check_database

        report = check_database(sqlite_url(path))
        if not report.ok:
            raise _refuse(
                path,
                f"it fails dnt-desktop check ({report.problems[0]}; "
                f"{len(report.problems)} problem(s) in all)",
            )
    return BackupFacts(path, facts.revision)


def before_restore_path(target: Path, moment: datetime | None = None) -> Path:
    """Where the database is kept when a backup replaces it."""
    stamp = (moment or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    sequence = 2
    while path.exists():
        path = target.with_name(f"{target.stem}.before-restore-{stamp}-{sequence}{target.suffix}")
        sequence += 1
    return path


_SIDE_FILES = ("-wal", "-shm", "-journal")


def _is_sound(path: Path) -> bool:
    try:
        return integrity_problems(path, full=False) == []
    except (StorageError, sqlite3.Error):
        return False


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def _replace_live(target: Path, backup: Path, keep_as: Path) -> None:
    """Copy *backup* into the sound database *target* through SQLite, under an exclusive lock.

    Switching the journal out of WAL only succeeds when no other connection has the file
    open, so a running dnt-desktop is detected and nothing is changed. The lock is then
    held while the current content is copied to *keep_as* and the backup copied in; the
    copy-in is one SQLite transaction, so a crash midway leaves the old content.
    """
    conn = sqlite3.connect(target, timeout=2, isolation_level=None)
    try:
        try:
            mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            mode = str(exc)
        if str(mode).lower() != "delete":
            raise RestoreRefusedError(
                f"{target} is in use (dnt-desktop is open on it, here or on another computer). "
                "Close it everywhere, then restore again. The current database was not changed."
            )
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
        partial = keep_as.with_name(keep_as.name + ".partial")
        try:
            out = sqlite3.connect(partial)
            try:
                conn.backup(out)
            finally:
                out.close()
            problems = integrity_problems(partial)
            if problems:
                raise StorageError(
                    f"The copy of the current database failed its check ({problems[0]}); "
                    "nothing was restored."
                )
            _fsync(partial)
            os.replace(partial, keep_as)
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()
        source = sqlite3.connect(readonly_uri(backup), uri=True)
        try:
            source.backup(conn)
        finally:
            source.close()
        rows = [row[0] for row in conn.execute("PRAGMA integrity_check(5)")]
        if rows != ["ok"]:
            raise StorageError(
                f"The restored database failed its check ({rows[0]}). The previous database "
                f"is kept as {keep_as}."
            )
    finally:
        conn.close()


def _move_aside(target: Path, keep_as: Path) -> None:
    """Rename a damaged database (and its journal files) to *keep_as*, bytes unchanged."""
    os.replace(target, keep_as)
    for suffix in _SIDE_FILES:
        side = Path(str(target) + suffix)
        if side.exists():
            os.replace(side, Path(str(keep_as) + suffix))


def restore_backup(
    target: Path,
    backup: Path,
    *,
    actor_id: int | None = None,
    deep_check: bool = True,
) -> RestoreResult:
    """Replace the database at *target* with a checked *backup*, keeping the old one.

    The old database is kept beside it as ``NAME.before-restore-TIME.sqlite3``. A sound
    database is replaced through SQLite while no one has it open (see ``_replace_live``);
    a damaged one is renamed, untouched, and the backup copied in its place. The restored
    database is then opened as the app opens it (migrated when older) and the restore is
    audited there ("restore"). Close the app's own Database before calling this.
    """
    from dnt_desktop.models import Practitioner
    from dnt_desktop.services import audit

    from .open import open_database

    target = target.expanduser().absolute()
    backup = backup.expanduser().absolute()
    facts = check_backup(backup, deep=deep_check)
    if target.exists() and target.resolve() == backup.resolve():
        raise _refuse(backup, "it is the database itself")
    check_local_path(target)
    previous: Path | None = None
    if target.exists() and target.stat().st_size > 0:
        previous = before_restore_path(target)
        if _is_sound(target):
            _replace_live(target, backup, previous)
        else:
            _move_aside(target, previous)
            backup_sqlite(backup, target)
    else:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()
        backup_sqlite(backup, target)
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
