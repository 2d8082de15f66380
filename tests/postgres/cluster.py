"""A throwaway PostgreSQL cluster: initdb and pg_ctl in a temporary folder, nothing shared.

The server listens on a free loopback port (and a socket in its own folder), runs as an
unprivileged user when the tests run as root (initdb refuses root), and is stopped and its
folder removed by ``stop``. It trades durability for speed (``fsync=off``): it holds test
data only. Its time zone is deliberately not UTC, so that nothing may depend on it.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

SUPERUSER = "postgres"
GLIBC_LOCALE = "en_US.UTF-8"
"""A common server locale whose collation is glibc's, not byte order (see ``glibc_locale``)."""
SERVER_TIME_ZONE = "Pacific/Auckland"
MIN_FREE_BYTES = 1 << 30
PREFIX = "dnt-pg-"
OWNER_FILE = "owner.pid"
"""The pid of the test process that made a cluster's folder (see ``reap_abandoned``)."""
_SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "60",
    "shared_buffers": "32MB",
    "timezone": f"'{SERVER_TIME_ZONE}'",
    "log_min_messages": "warning",
    "log_timezone": "'UTC'",
}


def find_bin_dir() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian layout first, then PATH)."""

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.parent.name)) or (0,)

    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=version)
    if found and (found[-1].parent / "initdb").exists():
        return found[-1].parent
    pg_ctl, initdb = shutil.which("pg_ctl"), shutil.which("initdb")
    if pg_ctl and initdb:
        return Path(pg_ctl).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account the server runs as when we are root; None when not root."""
    if os.geteuid() != 0:
        return None
    for name in (SUPERUSER, "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and there is no 'postgres' or 'nobody' account")


@dataclass
class Cluster:
    """A running throwaway cluster."""

    bin_dir: Path
    root: Path
    port: int = 0
    account: pwd.struct_passwd | None = None
    running: bool = field(default=False)
    glibc_locale: str | None = None
    """GLIBC_LOCALE when it could be built for the server (CREATE DATABASE ... LOCALE)."""

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    def url(self, database: str) -> URL:
        """The SQLAlchemy URL of *database*, as a workstation would write it."""
        return URL.create(
            "postgresql+psycopg",
            username=SUPERUSER,
            host="127.0.0.1",
            port=self.port,
            database=database,
        )

    def conninfo(self, database: str = "postgres") -> str:
        """A libpq connection string for psycopg."""
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        options: dict[str, Any] = {}
        if self.account is not None:
            options = {
                "user": self.account.pw_uid,
                "group": self.account.pw_gid,
                "extra_groups": [],
            }
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PGTZ": "UTC"}
        if self.glibc_locale:
            env["LOCPATH"] = str(self.locales)  # the server finds the locale built there
        return subprocess.run(
            [str(self.bin_dir / args[0]), *args[1:]],
            cwd=self.root,  # the server account may not be able to enter the tests' folder
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            **options,
        )

    def _initdb(self) -> None:
        done = self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed: {done.stderr or done.stdout}")
        settings = {**_SETTINGS, "unix_socket_directories": f"'{self.root}'"}
        with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# tests/postgres/cluster.py\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())

    def _build_locale(self) -> subprocess.Popen[bytes] | None:
        """Start building GLIBC_LOCALE for the server (about a second, beside initdb)."""
        localedef = shutil.which("localedef")
        name, charset = GLIBC_LOCALE.split(".")
        if localedef is None or not Path("/usr/share/i18n/locales", name).exists():
            return None
        self.locales.mkdir()
        return subprocess.Popen(
            [localedef, "-i", name, "-f", charset, str(self.locales / GLIBC_LOCALE)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        """initdb, then start the server on a free port (a few tries if a port is taken)."""
        building = self._build_locale()
        self._initdb()
        if building is not None and building.wait(timeout=60) == 0:
            self.glibc_locale = GLIBC_LOCALE
        for _attempt in range(3):
            self.port = _free_port()
            done = self._run(
                "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                "-o", f"-p {self.port}", "start",
            )  # fmt: skip
            if done.returncode == 0:
                self.running = True
                return
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log[-2000:]}")

    def stop(self) -> None:
        """Stop the server (fast shutdown, then a signal if need be) and remove its folder."""
        if self.running:
            done = self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            if done.returncode != 0:
                self._kill_postmaster()
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def _kill_postmaster(self) -> None:
        """SIGQUIT this cluster's server, if its pid file names a live server of this folder."""
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if str(self.data).encode() not in command:
                return  # a stale pid file: that pid is someone else's process now
            os.kill(pid, signal.SIGQUIT)
        except (OSError, ValueError, IndexError):
            return
        for _ in range(100):
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.05)


def _base_folder() -> str | None:
    """Where the cluster's folder goes: memory when there is room, else /tmp.

    Copying a database takes 10 ms in memory and 300 ms on disk. Both paths are short
    enough for the server's socket and can be entered by the server's account.
    """
    for folder in ("/dev/shm", "/tmp"):
        try:
            stats = os.statvfs(folder)
        except OSError:
            continue
        if os.access(folder, os.W_OK) and stats.f_bavail * stats.f_frsize >= MIN_FREE_BYTES:
            return folder
    return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reap_abandoned(bin_dir: Path) -> None:
    """Stop and remove the clusters of killed test runs (their owner process is gone).

    A cluster of a test run still going, or a folder without our owner file, is left alone.
    """
    for folder in ("/dev/shm", "/tmp"):
        for root in Path(folder).glob(f"{PREFIX}*"):
            try:
                owner = int((root / OWNER_FILE).read_text(encoding="ascii"))
            except (OSError, ValueError):
                continue  # not one of ours, or not readable by us
            if not _alive(owner):
                Cluster(bin_dir, root, account=_server_account(), running=True).stop()


def start_cluster(bin_dir: Path) -> Cluster:
    """A new cluster in a fresh temporary folder, started; ``stop()`` removes it all."""
    reap_abandoned(bin_dir)
    account = _server_account()
    root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=_base_folder()))
    (root / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
    if account is not None:
        os.chown(root, account.pw_uid, account.pw_gid)
    cluster = Cluster(bin_dir=bin_dir, root=root, account=account)
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
