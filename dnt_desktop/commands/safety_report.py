"""`dnt-desktop safety-report [--from DATE] [--to DATE] [--db PATH] -o FILE.pdf|FILE.csv`:
the clinic's adverse-event rates beside the published ones, for the whole clinic."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' is not a date: write it as YYYY-MM-DD (e.g. 2026-01-31)"
        ) from None


def add_parser(commands: Any, db_option: Any) -> None:
    """Add the ``safety-report`` command to the CLI's subparsers."""
    parser = commands.add_parser(
        "safety-report",
        help="write the Safety report (adverse-event rates beside the published ones)",
    )
    db_option(parser)
    parser.add_argument(
        "--from",
        dest="first_day",
        type=_day,
        metavar="DATE",
        help="first day (YYYY-MM-DD); a year before --to by default",
    )
    parser.add_argument(
        "--to",
        dest="last_day",
        type=_day,
        metavar="DATE",
        help="last day (YYYY-MM-DD); today by default",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE.pdf|FILE.csv",
        help="the file to write: PDF or CSV by its extension",
    )


def run(args: argparse.Namespace, url: URL) -> int:
    """Write the report of the period to ``args.output`` (temp file + rename); audited."""
    from dnt_desktop.cli import EXIT_OK, CommandError
    from dnt_desktop.pdf import write_atomically
    from dnt_desktop.services.clinic_details import get_clinic
    from dnt_desktop.services.safety.export import report_csv
    from dnt_desktop.services.safety.report import default_period, record_export, safety_report
    from dnt_desktop.storage.open import open_database

    output = Path(args.output)
    kind = output.suffix.lower().lstrip(".")
    if kind not in ("pdf", "csv"):
        raise CommandError(f"{output}: name a .pdf or a .csv file to write")
    if output.is_dir():
        raise CommandError(f"{output} is a folder: give the name of the file to write")
    first, last = default_period(args.last_day)
    first = args.first_day or first
    last = args.last_day or last
    db = open_database(url, create=False)
    try:
        report = safety_report(db, None, first, last)
        clinic = get_clinic(db)
        if kind == "pdf":
            from dnt_desktop.pdf.safety_report import render_safety_report

            data = render_safety_report(report, clinic.name if clinic else "")
        else:
            data = report_csv(report).encode("utf-8")
        try:
            write_atomically(output, data)
        except OSError as exc:
            raise CommandError(f"cannot write {output}: {exc.strerror or exc}") from exc
        record_export(db, None, report, kind.upper())
    finally:
        db.dispose()
    print(f"Safety report {report.period} ({report.treatments:,} treatments) written to {output}.")
    return EXIT_OK
