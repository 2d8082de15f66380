"""Demo records whose retention period is over, so that an administrator can try the
list of records past retention and a disposal (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import update

from dnt_desktop.models import Patient
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.patients import register_patient
from dnt_desktop.storage.engine import Database

PAST_RETENTION = (
    # registered long ago and never treated: 8 years from registration are over
    (PatientForm("Whitfield", "Edna", date(1941, 3, 2), phone="01632 960 414"), 2013),
    # a child then, registered in 2012: the 25th birthday was in 2025
    (PatientForm("Lindgren", "Oskar", date(2000, 8, 19), notes="Came once with his mother."), 2012),
)


def add_past_retention(db: Database) -> list[int]:
    """Register the records of ``PAST_RETENTION`` with their old registration dates."""
    ids = []
    for form, year in PAST_RETENTION:
        patient_id = register_patient(db, None, form)
        with db.transaction() as session:
            session.execute(
                update(Patient)
                .where(Patient.id == patient_id)
                .values(created_at=datetime(year, 5, 2, 9, 30, tzinfo=UTC))
            )
        ids.append(patient_id)
    return ids
