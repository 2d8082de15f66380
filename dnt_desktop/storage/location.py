"""Where the database lives: the default file, overrides, and refusing network shares."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from .folders import APP_NAME, DATABASE_FILENAME, ENV_DATABASE_URL, data_dir, default_database_path
from .local_disk import NETWORK_FILESYSTEMS, check_local_path, filesystem_type

DatabaseURL = URL
"""Where a database is; the layers above name it without importing SQLAlchemy."""

__all__ = [
    "APP_NAME",
    "DATABASE_FILENAME",
    "ENV_DATABASE_URL",
    "NETWORK_FILESYSTEMS",
    "DatabaseURL",
    "check_local_path",
    "data_dir",
    "default_database_path",
    "filesystem_type",
    "resolve_database_url",
    "sqlite_path",
    "sqlite_url",
]


def sqlite_url(path: Path | str) -> URL:
    """A SQLAlchemy URL for a SQLite file path."""
    return URL.create("sqlite+pysqlite", database=str(Path(path).expanduser().absolute()))


def resolve_database_url(db: str | None = None, env: dict[str, str] | None = None) -> URL:
    """The database to open: ``--db`` (a path or URL), else DNT_DATABASE_URL, else the default.

    A value containing ``://`` is taken as a SQLAlchemy URL, anything else as a file path.
    """
    environ = os.environ if env is None else env
    value = db if db else environ.get(ENV_DATABASE_URL, "").strip() or None
    if value is None:
        return sqlite_url(default_database_path())
    if "://" in value:
        url = make_url(value)
        if url.get_backend_name() == "sqlite" and url.database:
            return url.set(database=str(Path(url.database).expanduser().absolute()))
        return url
    return sqlite_url(value)


def sqlite_path(url: URL) -> Path | None:
    """The file behind a SQLite URL; None for other back ends or an in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)
