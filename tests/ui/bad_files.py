"""Builders of odd and damaged database files, as a crash, a tester or a user leaves them.

Each builder takes a sound closed database (``sound``) and a fresh folder, and returns
the path to give ``--db``. Some run a real process and kill it (SIGKILL) midway.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

HOUR = 3600


def _run(code: str, *args: object) -> None:
    """Run *code* in a new Python process (which is expected to kill itself)."""
    subprocess.run([sys.executable, "-c", code, *map(str, args)], check=False, timeout=120)


def place(sound: Path, folder: Path) -> Path:
    """A copy of the sound database in *folder* (created), as clinic.sqlite3."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "clinic.sqlite3"
    shutil.copyfile(sound, path)
    return path


def patient_names(path: Path) -> list[str]:
    """The family names of the patients, read without creating anything beside the file."""
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT family_name FROM patient ORDER BY id")]
    finally:
        conn.close()


_KILLED_COPY_IN = """
import os, signal, sqlite3, sys
target, backup = sys.argv[1], sys.argv[2]
# What storage.restore_in_place.replace_sound does, killed while the backup is copied in.
conn = sqlite3.connect(target, isolation_level=None)
assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
conn.execute("PRAGMA locking_mode = EXCLUSIVE")
conn.execute("PRAGMA cache_size = 8")  # pages spill into the file before the commit
source = sqlite3.connect(backup)
steps = []
def progress(status, remaining, total):
    steps.append(remaining)
    if len(steps) == 6:
        os.kill(os.getpid(), signal.SIGKILL)
source.backup(conn, pages=4, progress=progress)
"""


def restore_killed_while_copying_in(sound: Path, folder: Path) -> Path:
    """A restore killed while copying the backup in: the file half written, a hot -journal."""
    path = place(sound, folder)
    other = folder.parent / f"{folder.name}-backup.sqlite3"
    shutil.copyfile(sound, other)
    conn = sqlite3.connect(other)
    conn.execute("UPDATE patient SET family_name = 'Restored'")
    conn.commit()
    conn.close()
    _run(_KILLED_COPY_IN, path, other)
    other.unlink()
    journal = Path(f"{path}-journal")
    assert journal.exists() and journal.stat().st_size > 0, "no hot journal was left"
    return path


_KILLED_BACKUP = """
import os, signal, sqlite3, sys
source, partial = sys.argv[1], sys.argv[2]
# A backup's copy (as the app wrote it before: a rollback journal beside), killed midway.
out = sqlite3.connect(partial)
out.execute("PRAGMA cache_size = 8")
steps = []
def progress(status, remaining, total):
    steps.append(remaining)
    if len(steps) == 4:
        os.kill(os.getpid(), signal.SIGKILL)
sqlite3.connect(source).backup(out, pages=4, progress=progress)
"""


def _age(path: Path, seconds: float) -> None:
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))


def backups_killed_midway(sound: Path, folder: Path) -> Path:
    """Copies cut short beside the database (before a migration, a restore) and in backups/.

    Two hours old, except one copy of a minute ago (which may still be being written).
    """
    path = place(sound, folder)
    (folder / "backups").mkdir()
    partials = [
        folder / "clinic.before-migration-0003-20261101-080000.sqlite3.partial",
        folder / "clinic.before-restore-20261101-090000.sqlite3.partial",
        folder / "backups" / "dnt-desktop-20261101-080000-daily.sqlite3.partial",
    ]
    for partial in partials:
        _run(_KILLED_BACKUP, path, partial)
        assert Path(f"{partial}-journal").exists(), "the killed copy left no journal"
        for each in (partial, Path(f"{partial}-journal")):
            _age(each, 2 * HOUR)
    fresh = folder / "clinic.before-restore-20261101-100000.sqlite3.partial"
    _run(_KILLED_BACKUP, path, fresh)
    return path


_KILLED_MIGRATION = """
import os, signal, sys
from alembic import command
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
real = command.upgrade
def upgrade_then_die(config, revision):
    real(config, revision)  # inside the migration's transaction, not yet committed
    os.kill(os.getpid(), signal.SIGKILL)
command.upgrade = upgrade_then_die
open_database(sqlite_url(sys.argv[1]))
"""


def migration_killed_midway(sound: Path, folder: Path) -> Path:
    """A migration from 0003 killed before its transaction committed."""
    from alembic import command

    from dnt_desktop.storage.engine import Database
    from dnt_desktop.storage.location import sqlite_url
    from dnt_desktop.storage.migrate import alembic_config

    path = place(sound, folder)
    db = Database(sqlite_url(path))
    config = alembic_config()
    with db.write_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0003")
    db.dispose()
    _run(_KILLED_MIGRATION, path)
    return path


def fifo(_sound: Path, folder: Path) -> Path:
    """A named pipe where the database should be."""
    folder.mkdir(parents=True)
    path = folder / "clinic.sqlite3"
    os.mkfifo(path)
    return path


def empty_file(_sound: Path, folder: Path) -> Path:
    """A file of no bytes at the database's path."""
    folder.mkdir(parents=True)
    path = folder / "clinic.sqlite3"
    path.touch()
    return path


def dangling_link(_sound: Path, folder: Path) -> Path:
    """A link to a database on a drive that is not there."""
    folder.mkdir(parents=True)
    path = folder / "clinic.sqlite3"
    path.symlink_to(folder / "unplugged-drive" / "clinic.sqlite3")
    return path


def table_dropped(sound: Path, folder: Path) -> Path:
    """A database at the current schema with the amendment table dropped."""
    path = place(sound, folder)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE amendment")
    conn.commit()
    conn.close()
    return path


def unknown_revision(sound: Path, folder: Path) -> Path:
    """A database stamped with schema '0000', which no version wrote."""
    path = place(sound, folder)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.commit()
    conn.close()
    return path


_CRASHED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("PRAGMA journal_mode = WAL")
conn.execute("PRAGMA wal_autocheckpoint = 0")
conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
conn.executemany("INSERT INTO notes (body) VALUES (?)", [("x" * 300,) for _ in range(3000)])
os.kill(os.getpid(), signal.SIGKILL)
"""


def foreign_wal(sound: Path, folder: Path) -> Path:
    """The -wal of another program's database (left by a crash) beside a sound database."""
    path = place(sound, folder)
    elsewhere = folder.parent / f"{folder.name}-other"
    elsewhere.mkdir()
    _run(_CRASHED_WRITER, elsewhere / "notes.db")
    shutil.copyfile(elsewhere / "notes.db-wal", Path(f"{path}-wal"))
    shutil.rmtree(elsewhere)
    return path


# --- read-only and full places (mounts need root; without it, permissions where they work)


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, check=False)
    return done.returncode == 0


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


@contextlib.contextmanager
def read_only_drive(sound: Path, folder: Path) -> Iterator[Path]:
    """A sound WAL database on a drive mounted read-only."""
    folder.mkdir(parents=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)):
        pytest.skip("mounting a read-only drive needs root")
    try:
        path = place(sound, folder)
        assert _mount("-o", "remount,ro", str(folder))
        yield path
    finally:
        _unmount(folder)


@contextlib.contextmanager
def read_only_file(sound: Path, folder: Path) -> Iterator[Path]:
    """A sound database file that cannot be written (the folder can)."""
    path = place(sound, folder)
    if os.geteuid() != 0:
        path.chmod(0o444)
        yield path
        path.chmod(0o644)
        return
    if not (_mount("--bind", str(path), str(path)) and _mount("-o", "remount,ro,bind", str(path))):
        _unmount(path)
        pytest.skip("a read-only bind mount needs root")
    try:
        yield path
    finally:
        _unmount(path)


@contextlib.contextmanager
def full_disk(sound: Path, folder: Path) -> Iterator[Path]:
    """A sound database on a disk with no byte free."""
    folder.mkdir(parents=True)
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=40m", "tmpfs", str(folder)):
        pytest.skip("a small disk to fill needs root")
    try:
        path = place(sound, folder)
        with contextlib.suppress(OSError), (folder / "filler.bin").open("wb") as handle:
            while True:
                handle.write(b"\0" * 65536)
        yield path
    finally:
        _unmount(folder)
