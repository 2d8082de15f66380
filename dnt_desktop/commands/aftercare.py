"""`dnt-desktop aftercare SESSION_ID -o FILE.pdf [--language CODE]`: write a session's
aftercare sheet, in the patient's handout language or the one given."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import URL


def run(args: argparse.Namespace, url: URL) -> int:
    """Write the sheet of ``args.session_id`` to ``args.output`` (temp file + rename).

    The database is opened without creating it. An unknown session raises NotFoundError
    and an unwritable output a CommandError; cli.main turns both into one line.
    """
    from dnt_desktop.cli import EXIT_OK, CommandError
    from dnt_desktop.pdf import build_aftercare, write_atomically
    from dnt_desktop.services.aftercare import load_sheet, text_sets
    from dnt_desktop.services.errors import NotFoundError
    from dnt_desktop.storage.open import open_database

    output = Path(args.output)
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the PDF file to write")
    db = open_database(url, create=False)
    language = getattr(args, "language", None)
    try:
        if language is not None and language not in {s.code for s in text_sets(db)}:
            known = ", ".join(f"{s.code} ({s.name})" for s in text_sets(db))
            raise NotFoundError(f"there are no aftercare texts in '{language}'; use {known}")
        sheet = load_sheet(db, args.session_id, language)
    finally:
        db.dispose()
    rendered = build_aftercare(sheet)
    try:
        write_atomically(output, rendered.data)
    except OSError as exc:
        raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
    print(
        f"Aftercare sheet for session {args.session_id} ({sheet.text_set.name}) "
        f"written to {output}."
    )
    for warning in (sheet.text_set.warning(), rendered.missing_warning()):
        if warning:
            print(f"Warning: {warning}", file=sys.stderr)
    return EXIT_OK
