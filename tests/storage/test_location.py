"""Choosing the database and refusing network shares."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnt_desktop.storage.errors import UnsafeLocationError
from dnt_desktop.storage.location import (
    check_local_path,
    default_database_path,
    filesystem_type,
    resolve_database_url,
)

MOUNTS = """\
/dev/sda1 / ext4 rw 0 0
server:/export /mnt/clinic nfs4 rw 0 0
//nas/share /media/share\\040drive cifs rw 0 0
"""


def test_default_is_a_file_in_the_data_folder() -> None:
    url = resolve_database_url(None, env={})
    assert url.get_backend_name() == "sqlite"
    assert Path(url.database or "") == default_database_path().absolute()
    assert "dnt-desktop" in str(default_database_path())


def test_db_option_beats_environment_which_beats_default(tmp_path: Path) -> None:
    env = {"DNT_DATABASE_URL": "postgresql+psycopg://u@server/dnt"}
    assert resolve_database_url(None, env=env).get_backend_name() == "postgresql"
    url = resolve_database_url(str(tmp_path / "x.db"), env=env)
    assert url.database == str(tmp_path / "x.db")


def test_filesystem_type_uses_longest_mount_prefix() -> None:
    assert filesystem_type(Path("/mnt/clinic/dnt.sqlite3"), MOUNTS) == "nfs4"
    assert filesystem_type(Path("/media/share drive/x.db"), MOUNTS) == "cifs"
    assert filesystem_type(Path("/home/me/x.db"), MOUNTS) == "ext4"
    assert filesystem_type(Path("/mnt/clinicother/x.db"), MOUNTS) == "ext4"


@pytest.mark.parametrize(
    "path", ["/mnt/clinic/dnt.sqlite3", "/media/share drive/dnt.sqlite3", "//nas/share/dnt.db"]
)
def test_network_shares_are_refused_with_pointer_to_postgresql(path: str) -> None:
    with pytest.raises(UnsafeLocationError, match="PostgreSQL"):
        check_local_path(Path(path), MOUNTS)


def test_local_disk_is_accepted() -> None:
    check_local_path(Path("/home/me/dnt.sqlite3"), MOUNTS)
