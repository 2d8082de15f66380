"""`dnt-desktop aftercare SESSION_ID -o FILE.pdf`: write a session's aftercare sheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import URL


def run(args: argparse.Namespace, url: URL) -> int:
    """Write the sheet of ``args.session_id`` to ``args.output`` (temp file + rename).

    The database is opened without creating it. An unknown session raises NotFoundError
    and an unwritable output a CommandError; cli.main turns both into one line.
    """
    from dnt_desktop.cli import EXIT_OK, CommandError
    from dnt_desktop.pdf import render_aftercare, write_atomically
    from dnt_desktop.services.aftercare import load_sheet
    from dnt_desktop.storage.open import open_database

    output = Path(args.output)
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the PDF file to write")
    db = open_database(url, create=False)
    try:
        sheet = load_sheet(db, args.session_id)
    finally:
        db.dispose()
    data = render_aftercare(sheet)
    try:
        write_atomically(output, data)
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(f"Aftercare sheet for session {args.session_id} written to {output}.")
    return EXIT_OK
