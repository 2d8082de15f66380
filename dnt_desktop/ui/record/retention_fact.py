"""The chart header's line on the record's retention: kept until, died, disposed of."""

from __future__ import annotations

from dnt_desktop.models import Patient
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.disposal import patient_retention
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError


def retention_fact(db: Database, patient: Patient) -> str:
    """'Kept until 27 Nov 2034' (with 'Died …' first when recorded); '' when unreadable."""
    if patient.disposed_at is not None:
        return f"Anonymised {format_date(patient.disposed_at.astimezone().date())}"
    try:
        kept = patient_retention(db, patient.id)
    except (ServiceError, StorageError):
        return ""
    died = f"Died {format_date(patient.died_on)}   ·   " if patient.died_on else ""
    return f"{died}Kept until {format_date(kept.ends_on)}"
