"""This computer's record of the last time each database file was proven sound, as it was.

``dnt-desktop check`` reads every page of the file (integrity, foreign keys, the audit
chain, every signed session): 20 s at 100,000 patients, 100 s at 500,000. The app must not
write to a file that ``check`` would refuse, but it need not read the whole file again
when the file is *provably unchanged* since a check accepted it. This module keeps that
proof: after ``check`` accepted exactly the bytes of the file in a given state (see
``services.closing``), the state is recorded here; at the next start a file whose state
is still the same holds the same bytes, so ``check``'s verdict still stands.

A file's *state* is what ``readonly.file_state`` reads by ``stat`` (never by opening the
file, whose locks belong to SQLite): device, inode, size, modification and change times,
and the side files beside it. It is a proof of "unchanged" because:

- every write to the file through the file system (SQLite's or any other program's, a copy
  over it, a restore, a truncation) sets its change time (``ctime``) to the moment of the
  write, and no program can set it back (``utime`` sets the modification time only; the
  change time follows the system clock, which only an administrator can turn back);
- replacing the file (a rename over it, a restore) gives another inode;
- a writer that still has the file open keeps a ``-wal``, ``-shm`` or ``-journal`` beside
  it, and a state with any side file is never taken for unchanged.

What it cannot see: bytes changed beneath the file system (a failing disk returning other
bytes than were written, without an error). SQLite reports such a page as damaged when it
reads it, and a write touches only pages it has read; ``check`` runs again whenever the
state differs (after any other program wrote), and the verified backups made at every
close are each checked in full (README, "Records you can trust").

Only the standard library is imported: the start-up asks before it loads SQLAlchemy.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from .folders import data_dir
from .readonly import FileState, connections_here, file_state

FOLDER_NAME = "verified"


@dataclass(frozen=True)
class Verified:
    """The state of a database file whose exact bytes ``check`` accepted, and when."""

    location: str
    state: FileState
    verified_at: str
    """Local time, ISO format."""
    how: str
    """What proved it (``check of the closing backup``, ``check``)."""


def location_of(path: Path) -> str:
    """The file's resolved path: the same name ``storage.witness`` gives it."""
    return str(Path(path).expanduser().resolve())


def folder() -> Path:
    """Where the records live (one small file per database)."""
    return data_dir() / FOLDER_NAME


def _file(location: str) -> Path:
    return folder() / (hashlib.sha256(location.encode("utf-8")).hexdigest()[:32] + ".json")


def closed_state(path: Path) -> FileState | None:
    """The state of *path* when nobody has it open: no side file beside it and no
    connection to it in this process; None otherwise (or when there is no file)."""
    state = file_state(Path(path))
    if state is None or state.sides or connections_here(Path(path)):
        return None
    return state


def record(path: Path, state: FileState, how: str) -> None:
    """Note that ``check`` accepted the bytes of *path* in *state* (a failure to write
    the note costs only a full check at the next start)."""
    location = location_of(path)
    entry = Verified(
        location, state, datetime.now().astimezone().isoformat(timespec="seconds"), how
    )
    target = _file(location)
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        partial.write_text(json.dumps(asdict(entry)), encoding="utf-8")
        os.replace(partial, target)


def load(path: Path) -> Verified | None:
    """The record for *path*; None when there is none or it cannot be read."""
    location = location_of(path)
    try:
        data = json.loads(_file(location).read_text(encoding="utf-8"))
        sides = tuple((str(name), int(size)) for name, size in data["state"].pop("sides"))
        entry = Verified(**{**data, "state": FileState(**data["state"], sides=sides)})
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return entry if entry.location == location else None


def unchanged_since_verified(path: Path) -> Verified | None:
    """The record proving that *path* holds exactly the bytes ``check`` last accepted:
    its state now equals the recorded one (nobody has the file open). None otherwise."""
    entry = load(path)
    if entry is None:
        return None
    state = closed_state(path)
    return entry if state is not None and state == entry.state else None


def forget(path: Path) -> None:
    """Remove the record of *path* (a restore, a new file: the next start checks it)."""
    with contextlib.suppress(OSError):
        _file(location_of(path)).unlink()
