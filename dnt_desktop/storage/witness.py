"""This computer's witness of each database's audit trail: its first and last event.

The hash chain of the audit trail shows any row altered or removed from the middle, but
not rows cut from its end: the shorter chain is still a sound chain. So after every
write transaction the app notes the chain's head (last event id and row hash) and its
first row hash in a small file in the user's data folder, one file per database
location (``witness/<digest>.json``). ``dnt-desktop check`` then requires that event to
be still there, unchanged: a trail cut short or rewritten since this computer last wrote
to it fails the check.

The witness only moves forward along the same chain: when the database's trail no
longer contains what this computer saw, the old entry is kept (it is the evidence) and
``check`` keeps reporting it. Restoring a backup through dnt-desktop and creating a new
database at a location start the witness afresh; after a deliberate restore outside
dnt-desktop (``pg_restore``, a file copied by hand) ``dnt-desktop check --reset-witness``
does. Several workstations on one PostgreSQL database each keep their own witness of
the head they last wrote: each is a lower bound, checked where it is kept.

Nothing here opens the database file itself: the witness is a separate file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from .folders import data_dir
from .location import sqlite_path

FOLDER_NAME = "witness"
STALE_PARTIAL_SECONDS = 60
"""A half-written witness file this old was left by a process that died while writing."""
_HEAD = text(
    "SELECT (SELECT row_hash FROM audit_event ORDER BY id LIMIT 1), id, row_hash, "
    "(SELECT row_hash FROM audit_event WHERE id = :witnessed) "
    "FROM audit_event ORDER BY id DESC LIMIT 1"
)


@dataclass(frozen=True)
class Head:
    """One event of the audit chain: its id and row hash (the last one is the chain's head)."""

    event_id: int
    row_hash: str

    def __str__(self) -> str:
        return f"{self.event_id}:{self.row_hash}"


@dataclass(frozen=True)
class Witnessed:
    """What this computer last saw of the audit trail at a database location."""

    location: str
    first_hash: str
    event_id: int
    row_hash: str
    seen_at: str
    """Local time, ISO format."""

    @property
    def head(self) -> Head:
        """The witnessed event."""
        return Head(self.event_id, self.row_hash)


def location_of(url: URL) -> str | None:
    """A stable name for the database at *url* (None for an in-memory one).

    A SQLite file by its resolved path; a server database by back end, host, port and
    name (whoever connects, it is the same trail).
    """
    path = sqlite_path(url)
    if path is not None:
        return str(path.expanduser().resolve())
    if url.get_backend_name() == "sqlite":
        return None
    host = url.host or url.query.get("host") or "localhost"
    if isinstance(host, tuple):
        host = ",".join(host)
    return f"{url.get_backend_name()}://{host}:{url.port or ''}/{url.database or ''}"


def folder() -> Path:
    """Where the witness files live."""
    return data_dir() / FOLDER_NAME


def _file(location: str) -> Path:
    return folder() / (hashlib.sha256(location.encode("utf-8")).hexdigest()[:32] + ".json")


def load(location: str) -> Witnessed | None:
    """The witness of *location*; None when there is none or it cannot be read."""
    try:
        data = json.loads(_file(location).read_text(encoding="utf-8"))
        witnessed = Witnessed(**data)
    except (OSError, ValueError, TypeError):
        return None
    return witnessed if witnessed.location == location else None


def save(witnessed: Witnessed) -> None:
    """Write the witness of its location (replacing the file in one step)."""
    target = _file(witnessed.location)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.partial")
    partial.write_text(json.dumps(asdict(witnessed)), encoding="utf-8")
    os.replace(partial, target)
    stale = time.time() - STALE_PARTIAL_SECONDS
    for left in target.parent.glob(f"{target.name}.*.partial"):  # from a killed process
        with contextlib.suppress(OSError):
            if left.stat().st_mtime < stale:
                left.unlink()


def forget(location: str) -> None:
    """Remove the witness of *location* (a new or restored database starts afresh)."""
    with contextlib.suppress(FileNotFoundError):
        _file(location).unlink()


def read_head(connection: Connection, witnessed_id: int = -1) -> tuple[object, ...] | None:
    """(first hash, last id, last hash, hash of event *witnessed_id*) of the trail, or None."""
    row = connection.execute(_HEAD, {"witnessed": witnessed_id}).first()
    return None if row is None else tuple(row)


class Witness:
    """The witness of one database, as its write transactions see it."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._entry: Witnessed | None = None
        self._loaded = False

    def _current(self) -> Witnessed | None:
        if not self._loaded:
            self._entry = load(self.location)
            self._loaded = True
        return self._entry

    def head_in(self, connection: Connection) -> Witnessed | None:
        """Inside a write transaction: the head to witness once it commits, or None.

        None when the trail is empty, has not moved, or does not extend what was
        witnessed (the old witness then stays, for ``check`` to report).
        """
        entry = self._current()
        row = read_head(connection, entry.event_id if entry else -1)
        if row is None:
            return None
        first_hash, event_id, row_hash, witnessed_hash = row
        if entry is not None:
            if entry.first_hash != first_hash or witnessed_hash != entry.row_hash:
                return None
            if entry.event_id == event_id:
                return None
        now = datetime.now().astimezone().isoformat(timespec="seconds")
        return Witnessed(self.location, str(first_hash), int(event_id), str(row_hash), now)

    def record(self, witnessed: Witnessed) -> None:
        """After the commit: keep *witnessed* (a failure to write it loses no data)."""
        with contextlib.suppress(OSError):
            save(witnessed)
        self._entry, self._loaded = witnessed, True

    def forget(self) -> None:
        """Start afresh: the next write transaction witnesses the trail as it is."""
        forget(self.location)
        self._entry, self._loaded = None, True
