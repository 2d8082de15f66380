"""Outcome measures and letters on PostgreSQL: recorded, sealed, append-only, checked."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from sqlalchemy.engine import URL

from dnt_desktop.pdf.letter import render_letter
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.progress.letters import (
    SAVED,
    letter_pdf,
    prepare_letter,
    record_letter,
)
from dnt_desktop.services.progress.measures import Answer, patient_measures, record_measure
from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    save_referrer,
    set_patient_referrer,
)
from dnt_desktop.storage.engine import Database


def test_measures_and_letters_are_kept_and_guarded(
    db: Database,
    pg_url: URL,
    raw_sql: psycopg.Connection,
    practitioner_id: int,
    patient_id: int,
) -> None:
    referrer, _ = save_referrer(db, practitioner_id, ReferrerForm("Dr Ana Ruiz", "Mill Road"))
    set_patient_referrer(db, practitioner_id, patient_id, referrer)
    answers = [Answer("Walk", 4), Answer("Lift", 5)] + [Answer("", None)] * 3
    measure_id, _ = record_measure(db, practitioner_id, patient_id, "psfs", date.today(), answers)
    assert patient_measures(db, patient_id)[0].score_text == "4.5"
    document = prepare_letter(db, practitioner_id, patient_id, "progress")
    data = render_letter(document)
    letter_id, _ = record_letter(db, practitioner_id, document, data, SAVED)
    assert letter_pdf(db, letter_id) == data
    assert check_database(pg_url).ok
    for statement in (
        "UPDATE measure_answer SET value = 9",
        "DELETE FROM outcome_measure",
        "UPDATE sent_letter SET body = 'x'",
    ):
        with pytest.raises(psycopg.errors.IntegrityConstraintViolation):
            raw_sql.execute(statement)
    raw_sql.execute("SET session_replication_role = replica")  # this connection only
    raw_sql.execute("UPDATE measure_answer SET value = 9 WHERE label = 'Lift'")
    problems = check_database(pg_url).problems
    assert problems[0] == (
        f"outcome measure {measure_id} is not the one the audit trail records "
        "(it was changed, or added outside dnt-desktop)"
    )
    assert f"records outcome measure {measure_id} that is missing or was changed" in problems[1]
