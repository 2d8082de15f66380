"""`dnt-desktop restore BACKUP`: put a checked backup in place of the database."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import URL

from dnt_desktop.cli import EXIT_OK, CommandError
from dnt_desktop.services.backups import restore_backup
from dnt_desktop.storage.location import sqlite_path


def run(args: argparse.Namespace, url: URL) -> int:
    """Restore ``args.backup`` over the database at *url*; the current one is kept beside it.

    A backup that is damaged, not a dnt-desktop database, from a newer version, or that
    fails `check` is refused with one line and the current database is left as it was.
    """
    target = sqlite_path(url)
    if target is None:
        raise CommandError(
            "restore replaces a SQLite file; restore a PostgreSQL database with pg_restore"
        )
    result = restore_backup(target, Path(args.backup))
    print(f"Restored {result.backup} (schema {result.revision}) into {target}.")
    if result.previous_copy is not None:
        print(f"The previous database is kept as {result.previous_copy}.")
    return EXIT_OK
