"""Where dnt-desktop keeps its files, and the database file a start-up will open.

Only the standard library and platformdirs: the start-up asks these questions before it
imports SQLAlchemy (see ``file_check``).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "dnt-desktop"
DATABASE_FILENAME = "dnt-desktop.sqlite3"
DEMO_FILENAME = "dnt-desktop-demo.sqlite3"
ENV_DATABASE_URL = "DNT_DATABASE_URL"


def data_dir() -> Path:
    """The user's data folder for dnt-desktop (created on demand by callers)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    """The embedded SQLite database used when nothing else is configured."""
    return data_dir() / DATABASE_FILENAME


def demo_database_path() -> Path:
    """Where ``--demo`` keeps its database: a clearly named file in its own folder."""
    return data_dir() / "demo" / DEMO_FILENAME


def plain_database_file(
    db: str | None, *, demo: bool = False, env: dict[str, str] | None = None
) -> Path | None:
    """The SQLite file a start-up with ``--db``/``--demo`` opens, when it is a plain path.

    None for a URL (``--db`` or DNT_DATABASE_URL containing ``://``): those are resolved by
    ``location.resolve_database_url`` once SQLAlchemy is loaded.
    """
    if demo:
        return demo_database_path()
    environ = os.environ if env is None else env
    value = db if db else environ.get(ENV_DATABASE_URL, "").strip() or None
    if value is None:
        return default_database_path()
    if "://" in value:
        return None
    return Path(value).expanduser().absolute()
