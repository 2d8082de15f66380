"""A test helper: the app's side of the in-process backup test, driven line by line.

Opens the database as the app does and keeps it open, answering commands on stdin:

    save            register a patient through the services, then print "saved ID"
    backup PATH     ``backup_sqlite`` of the open database to PATH, then print "backed-up"

It runs until the test kills it (SIGKILL), as a crash or a power cut would.

Usage: backup_worker.py DB
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.online_backup import backup_sqlite
from dnt_desktop.storage.open import open_database

PRACTITIONER_ID = 1


def main(db_path: Path) -> None:
    db = open_database(sqlite_url(db_path))
    count = 0
    for line in sys.stdin:
        command, _, argument = line.strip().partition(" ")
        if command == "save":
            count += 1
            form = PatientForm("Acknowledged", f"Row{count}", date(1970, 1, 1 + count % 28))
            patient = register_patient(db, PRACTITIONER_ID, form)
            print(f"saved {patient}", flush=True)
        elif command == "backup":
            backup_sqlite(db_path, Path(argument))
            print("backed-up", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
