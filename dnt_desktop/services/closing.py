"""What the app leaves to do when it closes: the closing backup, checked in full, and the
proof that the database file is unchanged since (``storage.verified``).

The app's windows close at once; this runs afterwards in a process of its own
(``python -m dnt_desktop.commands.closing``), so closing takes the same time at every
size. Its steps, in this order:

1. the backup is audited ("backup") in the database, and the app's last connection to it
   closes (SQLite folds its write-ahead log into the file and removes it);
2. the file's state is taken (``verified.closed_state``: nobody has it open), a copy is
   made through SQLite's backup API and checked: ``integrity_check`` and then the whole
   of ``dnt-desktop check`` (audit chain, this computer's witnessed head, every signed
   session); only a copy that passes gets its name in the backup folder, with its
   ``.head`` record, and rotation then removes the oldest;
3. if the file's state is still the one taken in 2, the copy held exactly its bytes, so
   ``check`` accepted the file itself: that state is recorded as verified, and the next
   start need not read the file again while its state stays the same.

A verified backup exists at every moment: the older ones are removed only after the new
one passed its check. Progress is kept in a small record per database (``closing/``):
"owed" (written by the app before it starts the work), "running" (with the process id),
"done" or "failed" with the reason. The next start reads it: a failure is shown to the
user, and work that was cut short (the computer switched off meanwhile) is done again
once the file is found sound (``owed_closing_backup``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from dnt_desktop.storage import verified
from dnt_desktop.storage.backup_files import backup_path, remove_abandoned_partials, rotate
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.folders import data_dir
from dnt_desktop.storage.head_record import write_head_record
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.online_backup import fsync_folder, remove_partial, stage_copy
from dnt_desktop.storage.open import open_database
from dnt_desktop.storage.witness import load as load_witness
from dnt_desktop.storage.witness import location_of

from .backups import BACKUP_PREFIX, _record, _settings

FOLDER_NAME = "closing"
OWED, RUNNING, DONE, FAILED = "owed", "running", "done", "failed"


@dataclass(frozen=True)
class ClosingState:
    """What the record of a database's closing work says."""

    status: str
    actor_id: int | None = None
    pid: int | None = None
    message: str = ""
    backup: str = ""
    at: str = ""


def _record_file(path: Path) -> Path:
    key = hashlib.sha256(verified.location_of(path).encode("utf-8")).hexdigest()[:32]
    return data_dir() / FOLDER_NAME / f"{key}.json"


def write_state(path: Path, state: ClosingState) -> None:
    """Keep *state* as the record of *path*'s closing work (replaced in one step)."""
    target = _record_file(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    data = {**state.__dict__, "at": datetime.now().astimezone().isoformat(timespec="seconds")}
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, target)


def read_state(path: Path) -> ClosingState | None:
    """The record of *path*'s closing work, or None."""
    try:
        return ClosingState(**json.loads(_record_file(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def clear_state(path: Path) -> None:
    """Forget the record (its failure was shown, or the owed backup was made)."""
    with contextlib.suppress(OSError):
        _record_file(path).unlink()


def _alive(pid: int | None) -> bool:
    if pid is None or os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def owed_closing_backup(path: Path) -> ClosingState | None:
    """The closing work of the last run when it is not done and nobody is doing it: it
    failed (its message is to be shown) or was cut short. None when there is nothing."""
    state = read_state(path)
    if state is None or state.status == DONE:
        return None
    if state.status == RUNNING and _alive(state.pid):
        return None
    return state


def close_and_verify(path: Path, actor_id: int | None) -> Path:
    """The closing backup of the SQLite file *path*, checked in full, and the file's
    state recorded as verified when it did not change meanwhile; returns the backup.

    StorageError (the record then says "failed") when the backup or its check fails.
    """
    path = Path(path).absolute()
    write_state(path, ClosingState(RUNNING, actor_id, os.getpid()))
    try:
        written = _backup_and_check(path, actor_id)
    except Exception as exc:
        write_state(path, ClosingState(FAILED, actor_id, os.getpid(), message=str(exc)))
        raise
    write_state(path, ClosingState(DONE, actor_id, os.getpid(), backup=str(written)))
    return written


def _backup_and_check(path: Path, actor_id: int | None) -> Path:
    from .integrity import check_database  # Alembic with it: only in this process

    url = sqlite_url(path)
    db = open_database(url)
    try:
        configured, keep = _settings(db)
        from dnt_desktop.storage.backup_files import backup_folder

        folder = backup_folder(path, configured)
        remove_abandoned_partials(folder, (BACKUP_PREFIX,))
        dest = backup_path(folder, datetime.now().astimezone(), "exit")
        _record(db, actor_id, "backup", f"Backup (exit) to {dest}")
    finally:
        db.dispose()  # the last connection: the WAL is folded into the file and removed
    state = verified.closed_state(path)
    partial = stage_copy(path, dest)
    try:
        kept = load_witness(location_of(url) or str(path))
        heads = []
        if kept is not None:
            from .anchors import KeptHead

            heads.append(KeptHead(kept.event_id, kept.row_hash, "this computer's witness"))
        report = check_database(sqlite_url(partial), heads=heads)
        if not report.ok:
            raise StorageError(
                f"The closing backup of {path} failed dnt-desktop check "
                f"({report.problems[0]}; {len(report.problems)} problem(s) in all); the old "
                "backups were kept. Run dnt-desktop check on the database."
            )
        os.replace(partial, dest)
        fsync_folder(dest.parent)
    finally:
        remove_partial(partial)
    write_head_record(dest)
    rotate(folder, keep)
    if state is not None and verified.closed_state(path) == state:
        verified.record(path, state, "check of the closing backup")
    return dest
