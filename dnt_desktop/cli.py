"""The `dnt-desktop` command: the GUI by default, and maintenance sub-commands."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report as one line on stderr."""


def _db_option(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=None if top else argparse.SUPPRESS,
        help="database file or SQLAlchemy URL (default: DNT_DATABASE_URL, else the file in "
        "your data folder)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every sub-command."""
    parser = argparse.ArgumentParser(
        prog="dnt-desktop",
        description="Chart dry-needling sessions and print aftercare sheets.",
    )
    parser.add_argument("--version", action="version", version=f"dnt-desktop {__version__}")
    _db_option(parser, top=True)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the demo database (created with sample patients on first use)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser("demo", help="fill a database with realistic demo data")
    _db_option(demo)
    demo.add_argument("--patients", type=int, default=200, help="number of patients (200)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (1)")

    check = commands.add_parser(
        "check", help="verify integrity, schema, the audit trail and every signature"
    )
    _db_option(check)
    check.add_argument(
        "--head",
        action="append",
        default=[],
        metavar="ID:HASH|BACKUP",
        help="a head of the audit trail kept from an earlier check, or a backup: the trail "
        "must still hold it (may be given several times)",
    )
    check.add_argument(
        "--reset-witness",
        action="store_true",
        help="after a deliberate restore outside dnt-desktop: let this computer witness the "
        "trail as it is now",
    )

    backup = commands.add_parser("backup", help="write a verified copy of the database")
    _db_option(backup)
    backup.add_argument("dest", metavar="DEST", help="backup file to write")

    restore = commands.add_parser(
        "restore", help="replace the database with a verified backup (the current one is kept)"
    )
    _db_option(restore)
    restore.add_argument("backup", metavar="BACKUP", help="backup file to restore")

    aftercare = commands.add_parser("aftercare", help="write a session's aftercare sheet as PDF")
    _db_option(aftercare)
    aftercare.add_argument("session_id", metavar="SESSION_ID", type=int, help="session number")
    aftercare.add_argument("-o", "--output", required=True, metavar="FILE.pdf", help="PDF to write")
    aftercare.add_argument(
        "--language",
        metavar="CODE",
        help="language of the sheet (en, bn, hi...); the patient's handout language by default",
    )
    from .commands import safety_report
    from .commands.letter import add_parser as add_letter_parser

    add_letter_parser(commands, _db_option)
    safety_report.add_parser(commands, _db_option)
    export = commands.add_parser(
        "export", help="write a patient's complete record (PDF, JSON, CSV, files) as a zip"
    )
    _db_option(export)
    export.add_argument("patient_id", metavar="PATIENT_ID", type=int, help="patient number")
    export.add_argument("-o", "--output", required=True, metavar="FILE.zip", help="zip to write")
    export.add_argument(
        "--reason",
        default="Exported from the command line",
        help="why the record is exported (recorded in the audit trail)",
    )

    return parser


def _url(args: argparse.Namespace):
    from .storage.location import resolve_database_url

    return resolve_database_url(getattr(args, "db", None))


def cmd_demo(args: argparse.Namespace) -> int:
    """Create or extend a database with demo data."""
    from . import demo
    from .storage.open import open_database

    if args.patients < 1:
        raise CommandError("--patients must be at least 1")
    url = _url(args)
    db = open_database(url)
    try:

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done}/{total} patients", end="", file=sys.stderr, flush=True)

        demo.generate(db, patients=args.patients, seed=args.seed, progress=progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        db.dispose()
    where = url.database if url.get_backend_name() == "sqlite" else url.render_as_string(True)
    print(f"Demo data for {args.patients} patients written to {where}.")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    """Verify the database; exit 0 only when it is sound."""
    from .services.anchors import parse_head
    from .services.integrity import check_database

    heads = [parse_head(value) for value in args.head]
    report = check_database(_url(args), heads=heads, reset_witness=args.reset_witness)
    if report.ok:
        print(f"OK: integrity check passed, schema {report.revision} (current {report.head}).")
    else:
        for problem in report.problems[:50]:
            print(f"problem: {problem}")
        print(f"FAILED: {len(report.problems)} problem(s) found.")
    for note in report.notes:
        print(f"note: {note}")
    if report.chain_head is not None:
        print(
            f"Audit trail: {report.events:,} events, {report.signed_sessions:,} signed sessions "
            f"verified. Head: {report.chain_head}"
        )
        print(
            "Keep the head outside this computer; later, "
            f"`dnt-desktop check --head {report.chain_head}` proves that nothing written up to "
            "it was removed or rewritten."
        )
    return EXIT_OK if report.ok else EXIT_FAILED


def cmd_backup(args: argparse.Namespace) -> int:
    """Write a verified copy of a SQLite database (audited "backup" when at the current schema)."""
    from .services.backups import backup_to
    from .storage.engine import Database
    from .storage.head_record import head_record_path, read_head_record
    from .storage.location import sqlite_path
    from .storage.migrate import check_revision, head_revision
    from .storage.online_backup import backup_sqlite
    from .storage.recovery import inspect_recovering

    url = _url(args)
    source = sqlite_path(url)
    if source is None:
        raise CommandError(
            "backup copies a SQLite file; back up a PostgreSQL database with pg_dump"
        )
    if not source.exists():
        raise CommandError(f"there is no database at {source}")
    facts, recovered = inspect_recovering(source, integrity=False)
    if recovered:
        print(f"note: {recovered}")
    check_revision(facts.revision, facts.tables, str(source))
    if facts.revision == head_revision():
        db = Database(url)
        try:
            dest = backup_to(db, Path(args.dest), "manual")
        finally:
            db.dispose()
    else:  # an older schema is copied as it is, without writing to it
        dest = backup_sqlite(source, Path(args.dest))
    print(f"Backup written and verified: {dest}")
    head = read_head_record(head_record_path(dest))
    if head is not None:
        print(f"Audit trail head in the backup: {head} (also in {head_record_path(dest).name})")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup over the database (implemented in commands/restore.py)."""
    from .commands.restore import run

    return run(args, _url(args))


def cmd_aftercare(args: argparse.Namespace) -> int:
    """Write an aftercare sheet (implemented in commands/aftercare.py)."""
    from .commands.aftercare import run

    return run(args, _url(args))


def cmd_letter(args: argparse.Namespace) -> int:
    """Write a letter to the referrer (implemented in commands/letter.py)."""
    from .commands.letter import run

    return run(args, _url(args))


def cmd_safety_report(args: argparse.Namespace) -> int:
    """Write the Safety report (implemented in commands/safety_report.py)."""
    from .commands.safety_report import run

    return run(args, _url(args))


def cmd_export(args: argparse.Namespace) -> int:
    """Write a patient's complete record (implemented in commands/export.py)."""
    from .commands.export import run

    return run(args, _url(args))


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop application.

    The whole-file check of a SQLite database starts first, on its own thread, so that it
    overlaps the imports of Qt, SQLAlchemy and the app instead of following them.
    """
    from .storage.errors import StorageError
    from .storage.file_check import FileCheck
    from .storage.folders import plain_database_file
    from .storage.local_disk import check_local_path

    path = plain_database_file(args.db, demo=args.demo)
    early_check = None
    if path is not None and path.is_file():
        try:
            check_local_path(path)  # a network share is refused later, never read
            early_check = FileCheck(path).start()
        except StorageError:
            pass

    from .ui.app import run

    return run(args, early_check=early_check)


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
    "backup": cmd_backup,
    "restore": cmd_restore,
    "aftercare": cmd_aftercare,
    "letter": cmd_letter,
    "safety-report": cmd_safety_report,
    "export": cmd_export,
}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _log_crash() -> Path | None:
    try:
        from .storage.location import data_dir

        log = data_dir() / "crash.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            traceback.print_exc(file=handle)
        return log
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `dnt-desktop` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("dnt-desktop: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # Imported here, not before the command: the GUI starts its file check first.
        from .services.errors import ServiceError
        from .storage.errors import StorageError

        if isinstance(exc, CommandError | StorageError | ServiceError):
            print(f"dnt-desktop: error: {_one_line(str(exc))}", file=sys.stderr)
            return EXIT_FAILED
        log = _log_crash()
        where = f"; details were written to {log}" if log else ""
        print(f"dnt-desktop: unexpected error: {_one_line(str(exc))}{where}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
