"""The one way the app opens a database: check it read-only, then migrate it to head."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .backup_files import partial_prefixes_beside, remove_abandoned_partials
from .engine import Database, translate_error
from .errors import NotADatabaseError, StorageError
from .file_check import FileCheck
from .location import check_local_path, sqlite_path, sqlite_url
from .migrate import check_revision, upgrade_to_head
from .online_backup import fsync_folder, partial_path, remove_partial
from .probe import InterruptedWriteError, empty_file_message
from .recovery import finish_interrupted_write, inspect_recovering
from .writable import refuse_unwritable


def open_database(
    url: URL, *, integrity: bool = False, create: bool = True, early_check: FileCheck | None = None
) -> Database:
    """Open (creating and migrating as needed) the database at *url*.

    A SQLite file is first looked at read-only: a file that is not a database, is damaged,
    comes from a newer version, is empty, or sits where nothing can be saved (read-only,
    disk full) raises a StorageError and is never written to. A write that was cut short
    is undone first, as SQLite does (``recovery``). ``integrity`` adds a full quick_check
    of an existing file before opening it; when *early_check* is already checking this
    file (started before the app's imports), its verdict is awaited instead of checking
    the file a second time. A new database is built under a temporary name and renamed
    into place once it holds the whole schema, so a file at the path is always one of ours.
    """
    path = sqlite_path(url)
    created = False
    if path is not None:
        check_local_path(path)
        if integrity and early_check is not None and early_check.is_for(path):
            try:
                early_check.result()
                integrity = False
            except InterruptedWriteError:
                finish_interrupted_write(path)  # then checked below
        facts, _note = inspect_recovering(path, integrity=integrity)
        if facts.exists and facts.empty and not facts.tables:
            raise NotADatabaseError(empty_file_message(path))
        check_revision(facts.revision, facts.tables, str(path))
        remove_abandoned_partials(path.parent, partial_prefixes_beside(path))
        refuse_unwritable(path)
        if not facts.exists:
            if not create:
                raise StorageError(f"There is no database at {path}.")
            created = True
            _create(path)
    db = Database(url)
    if created and db.witness is not None:
        db.witness.forget()  # a new database: what was witnessed here was another one
    try:
        upgrade_to_head(db)
    except StorageError:
        db.dispose()
        raise
    except SQLAlchemyError as exc:
        db.dispose()
        raise _opening_error(exc, str(path) if path else url.render_as_string(True)) from exc
    return db


def _opening_error(exc: SQLAlchemyError, where: str) -> StorageError:
    """A plain message for a failure while opening or migrating: the driver's words, no SQL."""
    translated = translate_error(exc)
    if translated is not None:
        return translated
    detail = str(exc.orig) if isinstance(exc, DBAPIError) else type(exc).__name__
    return StorageError(
        f"{where} could not be opened as a dnt-desktop database ({detail}). Nothing was "
        "changed in it; ask your IT support for help."
    )


def _create(path: Path) -> None:
    """Build a new, empty clinic database at *path* (which must not exist)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Cannot create the data folder {path.parent}: {exc.strerror}.") from exc
    staging = partial_path(path)
    remove_partial(staging)
    new = Database(sqlite_url(staging))
    try:
        upgrade_to_head(new)
    except SQLAlchemyError as exc:
        raise _opening_error(exc, str(path)) from exc
    finally:
        new.dispose()  # the last connection writes everything into the file, removes -wal
    try:
        try:
            os.link(staging, path)  # fails when a file appeared at path meanwhile
        except FileExistsError as exc:
            raise StorageError(
                f"Another program created {path} while dnt-desktop was creating it; start "
                "dnt-desktop again."
            ) from exc
        except OSError:
            os.replace(staging, path)  # a file system without hard links
        fsync_folder(path.parent)
    finally:
        with contextlib.suppress(OSError):
            remove_partial(staging)
