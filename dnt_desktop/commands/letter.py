"""`dnt-desktop letter PATIENT_ID --template progress|initial|discharge -o FILE.pdf`:
write a letter to the patient's referrer and keep it with the patient, as the GUI does."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import URL


def add_parser(commands: argparse._SubParsersAction, db_option) -> None:  # type: ignore[type-arg]
    """The ``letter`` sub-command's arguments."""
    letter = commands.add_parser(
        "letter", help="write a letter to the patient's referrer as PDF (kept with the patient)"
    )
    db_option(letter)
    letter.add_argument("patient_id", metavar="PATIENT_ID", type=int, help="patient number")
    letter.add_argument(
        "--template",
        required=True,
        choices=("progress", "initial", "discharge"),
        help="which letter",
    )
    letter.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    letter.add_argument("--plan", default="", help="the plan, as it should read in the letter")
    letter.add_argument(
        "--as",
        dest="author",
        metavar="USERNAME",
        help="the practitioner writing it (default: the patient's latest practitioner)",
    )


def _author(db, patient_id: int, username: str | None) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from dnt_desktop.models import Practitioner, TreatmentSession
    from dnt_desktop.services.errors import NotFoundError

    with db.reading() as session:
        if username:
            found = session.scalar(select(Practitioner.id).where(Practitioner.username == username))
            if found is None:
                raise NotFoundError(f"there is no account '{username}'")
            return int(found)
        found = session.scalar(
            select(TreatmentSession.practitioner_id)
            .where(TreatmentSession.patient_id == patient_id)
            .order_by(TreatmentSession.started_at.desc())
            .limit(1)
        ) or session.scalar(select(Practitioner.id).order_by(Practitioner.id).limit(1))
        if found is None:
            raise NotFoundError("the database has no practitioner to sign the letter")
        return int(found)


def run(args: argparse.Namespace, url: URL) -> int:
    """Render the letter, keep it with the patient (audited "saved"), write the PDF."""
    from dnt_desktop.cli import EXIT_OK, CommandError
    from dnt_desktop.pdf import write_atomically
    from dnt_desktop.pdf.letter import render_letter
    from dnt_desktop.services.progress.letters import SAVED, prepare_letter, record_letter
    from dnt_desktop.storage.open import open_database

    output = Path(args.output)
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the PDF file to write")
    if not output.parent.exists():
        raise CommandError(f"cannot write {output}: the folder {output.parent} does not exist")
    db = open_database(url, create=False)
    try:
        author = _author(db, args.patient_id, args.author)
        document = prepare_letter(db, author, args.patient_id, args.template, plan=args.plan)
        data = render_letter(document)
        try:
            write_atomically(output, data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
        letter_id, _changes = record_letter(db, author, document, data, SAVED)
    finally:
        db.dispose()
    to = document.recipient[0] if document.recipient else "no referrer chosen"
    print(
        f"Letter {letter_id} ({args.template}) to {to} written to {output} "
        "and kept with the patient."
    )
    return EXIT_OK
