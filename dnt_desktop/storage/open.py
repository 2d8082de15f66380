"""The one way the app opens a database: check it read-only, then migrate it to head."""

from __future__ import annotations

from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from .engine import Database, translate_error
from .errors import StorageError
from .file_check import FileCheck
from .location import check_local_path, sqlite_path
from .migrate import check_revision, upgrade_to_head
from .probe import inspect_file


def open_database(
    url: URL, *, integrity: bool = False, create: bool = True, early_check: FileCheck | None = None
) -> Database:
    """Open (creating and migrating as needed) the database at *url*.

    A SQLite file is first looked at read-only: a file that is not a database, is damaged,
    or comes from a newer version raises a StorageError and is never written to.
    ``integrity`` adds a full quick_check of an existing file before opening it; when
    *early_check* is already checking this file (started before the app's imports), its
    verdict is awaited instead of checking the file a second time.
    """
    path = sqlite_path(url)
    if path is not None:
        check_local_path(path)
        if integrity and early_check is not None and early_check.is_for(path):
            early_check.result()
            integrity = False
        facts = inspect_file(path, integrity=integrity)
        check_revision(facts.revision, facts.tables, str(path))
        if not facts.exists:
            if not create:
                raise StorageError(f"There is no database at {path}.")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"Cannot create the data folder {path.parent}: {exc.strerror}."
                ) from exc
    db = Database(url)
    try:
        upgrade_to_head(db)
    except StorageError:
        db.dispose()
        raise
    except (OperationalError, SQLAlchemyError) as exc:
        db.dispose()
        where = str(path) if path else url.render_as_string(hide_password=True)
        raise (translate_error(exc) or StorageError(f"Cannot open {where}: {exc}")) from exc
    return db
