"""Backup files on disk: where they go, their names, listing, rotation, and leftovers.

Each backup is named ``dnt-desktop-YYYYMMDD-HHMMSS-REASON.sqlite3`` (local time) in the
backup folder: ``<data folder>/backups/`` beside the database unless the clinic sets
another. Rotation keeps the newest backups and never touches any other file. A copy cut
short (a crash, a power cut, a killed process) leaves ``NAME.partial`` and perhaps its
``-journal``/``-wal``/``-shm``; those of ours that nobody has touched for an hour are
removed at the next backup into the folder and when the database is opened.
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .head_record import head_record_path
from .online_backup import PARTIAL_SUFFIX, partial_path

BACKUP_NAME = re.compile(r"^dnt-desktop-(\d{8})-(\d{6})-([a-z]+)(?:-(\d+))?\.sqlite3$")
DEFAULT_FOLDER_NAME = "backups"
DEFAULT_KEEP = 30
REASONS = ("daily", "exit", "manual")
ABANDONED_AFTER_S = 3600
"""A partial copy untouched for this long is no longer being written or checked by anyone:
a copy is written page after page and then checked at once, in minutes at most."""


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
    while path.exists() or partial_path(path).exists():
        path = folder / f"{stem}-{sequence}.sqlite3"
        sequence += 1
    return path


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
        with contextlib.suppress(OSError):
            head_record_path(old.path).unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def before_restore_path(target: Path, moment: datetime | None = None) -> Path:
    """Where the database is kept when a backup replaces it."""
    stamp = (moment or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    sequence = 2
    while path.exists() or partial_path(path).exists():
        path = target.with_name(f"{target.stem}.before-restore-{stamp}-{sequence}{target.suffix}")
        sequence += 1
    return path


_PARTIAL_SIDES = ("", "-journal", "-wal", "-shm")


def _ours(name: str, prefixes: tuple[str, ...]) -> bool:
    """True for ``<one of prefixes>....partial`` and its side files."""
    for side in _PARTIAL_SIDES:
        if name.endswith(PARTIAL_SUFFIX + side):
            return name.startswith(prefixes)
    return False


def remove_abandoned_partials(
    folder: Path, prefixes: tuple[str, ...], *, now: float | None = None
) -> list[Path]:
    """Delete our partial copies in *folder* that nobody has touched for an hour.

    Only files named ``<prefix>….partial`` (with ``-journal``, ``-wal`` or ``-shm``) are
    considered, for the given name prefixes (``dnt-desktop-`` in a backup folder, the
    database's own name beside it). A copy being written or checked right now is younger
    and is left alone. Returns what was deleted.
    """
    moment = time.time() if now is None else now
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    removed = []
    for entry in entries:
        if not _ours(entry.name, prefixes):
            continue
        with contextlib.suppress(OSError):
            info = entry.lstat()
            if moment - info.st_mtime > ABANDONED_AFTER_S:
                entry.unlink()
                removed.append(entry)
    return sorted(removed)


def partial_prefixes_beside(db_path: Path) -> tuple[str, ...]:
    """The names of our partial copies beside the database *db_path*.

    ``NAME.partial`` (a backup copied into place), ``STEM.before-restore-…`` and
    ``STEM.before-migration-…`` (the copies kept when restoring or migrating).
    """
    return (db_path.name + PARTIAL_SUFFIX, f"{db_path.stem}.before-")
