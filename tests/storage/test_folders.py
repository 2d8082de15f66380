"""The database file a start-up opens, known before SQLAlchemy is imported."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnt_desktop.storage import folders
from dnt_desktop.storage.location import resolve_database_url, sqlite_path


@pytest.mark.parametrize(
    ("db", "env"),
    [
        (None, {}),
        ("clinic.sqlite3", {}),
        ("~/records/clinic.sqlite3", {}),
        (None, {"DNT_DATABASE_URL": "/srv/clinic.sqlite3"}),
        ("mine.sqlite3", {"DNT_DATABASE_URL": "/srv/clinic.sqlite3"}),
    ],
)
def test_a_plain_file_is_the_one_the_url_resolution_opens(
    db: str | None, env: dict[str, str]
) -> None:
    early = folders.plain_database_file(db, env=env)
    assert early is not None
    assert early == sqlite_path(resolve_database_url(db, env=env))


@pytest.mark.parametrize(
    ("db", "env"),
    [
        ("sqlite:////srv/clinic.sqlite3", {}),
        ("postgresql+psycopg://clinic@server/dnt", {}),
        (None, {"DNT_DATABASE_URL": "postgresql+psycopg://clinic@server/dnt"}),
    ],
)
def test_urls_are_left_to_the_full_resolution(db: str | None, env: dict[str, str]) -> None:
    assert folders.plain_database_file(db, env=env) is None


def test_the_demo_has_its_own_clearly_named_file() -> None:
    path = folders.plain_database_file("ignored.sqlite3", demo=True)
    assert path == folders.demo_database_path()
    assert path.name == "dnt-desktop-demo.sqlite3" and path.parent.name == "demo"
    assert path.parent.parent == folders.data_dir()
    assert isinstance(path, Path)
