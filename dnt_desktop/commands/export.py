"""`dnt-desktop export PATIENT_ID -o FILE.zip [--reason TEXT]`: write a patient's complete
record (PDF, JSON with its schema, CSV tables, the attached files and a SHA-256 manifest)
as one zip, audited like the app's export."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import URL


def run(args: argparse.Namespace, url: URL) -> int:
    """Export ``args.patient_id`` to ``args.output``; the audit event names the computer's
    user (there is no signed-in practitioner on the command line)."""
    from dnt_desktop.cli import EXIT_OK, CommandError
    from dnt_desktop.pdf.patient_record import export_complete_record
    from dnt_desktop.storage.open import open_database

    output = Path(args.output)
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the zip file to write")
    if output.suffix.lower() != ".zip":
        raise CommandError(f"{output} does not end in .zip: give the name of the zip to write")
    db = open_database(url, create=False)
    try:
        result = export_complete_record(db, None, args.patient_id, args.reason, output)
    finally:
        db.dispose()
    print(
        f"Complete record of patient {args.patient_id} written to {result.path}: "
        f"{result.sessions} session(s), {result.files} file(s); manifest SHA-256 "
        f"{result.manifest_sha256} (audit event {result.audit_event_id})."
    )
    return EXIT_OK
