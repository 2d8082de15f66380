"""Refusing a SQLite file on a network share, where its locks are not reliable.

Only the standard library: the start-up asks before it imports SQLAlchemy.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import UnsafeLocationError
from .folders import ENV_DATABASE_URL

# File systems on which SQLite's POSIX locks are not reliable (see sqlite.org/useovernet.html).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smb2",
        "smb3",
        "smbfs",
        "ncpfs",
        "afs",
        "9p",
        "fuse.sshfs",
        "sshfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "webdav",
    }
)


def _mount_table(mounts_text: str) -> list[tuple[str, str]]:
    entries: list[tuple[str, str]] = []
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            mount_point = fields[1].replace("\\040", " ")
            entries.append((mount_point, fields[2]))
    return entries


def filesystem_type(path: Path, mounts_text: str | None = None) -> str | None:
    """The Linux file-system type of the mount holding *path* (None when unknown)."""
    if mounts_text is None:
        try:
            mounts_text = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path.absolute())
    best: tuple[str, str] | None = None
    for mount_point, fstype in _mount_table(mounts_text):
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and (best is None or len(mount_point) > len(best[0])):
            best = (mount_point, fstype)
    return best[1] if best else None


def _is_windows_remote_drive(path: Path) -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    drive = path.drive
    if not drive:
        return False
    drive_remote = 4
    return bool(ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == drive_remote)  # type: ignore[attr-defined]


def check_local_path(path: Path, mounts_text: str | None = None) -> None:
    """Refuse a SQLite file on a network share with a message pointing to PostgreSQL."""
    raw = str(path)
    unc = raw.startswith("\\\\") or raw.startswith("//")
    fstype = None if unc else filesystem_type(path, mounts_text)
    if unc or _is_windows_remote_drive(path) or (fstype or "") in NETWORK_FILESYSTEMS:
        where = "a network share" if unc or fstype is None else f"a network share ({fstype})"
        raise UnsafeLocationError(
            f"The database {raw} is on {where}. SQLite cannot lock files safely there and records "
            "could be lost. Keep the SQLite file on this computer's own disk, or, for several "
            f"workstations, set {ENV_DATABASE_URL} (or --db) to a PostgreSQL URL such as "
            "postgresql+psycopg://user@server/dnt."
        )
