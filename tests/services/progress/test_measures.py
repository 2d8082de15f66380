"""Recording outcome measures: scored exactly, sealed, audited, corrected only by addition."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select

from dnt_desktop.models import AuditEvent
from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.progress.measures import (
    Answer,
    ChangeClass,
    patient_measures,
    progress_by_measure,
    record_measure,
    retract_measure,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url

TODAY = date.today()


def psfs(*scores: int | None, names: tuple[str, ...] = ()) -> list[Answer]:
    labels = names or tuple(f"Activity {n}" for n in range(1, len(scores) + 1))
    answers = [Answer(label, value) for label, value in zip(labels, scores, strict=True)]
    return answers + [Answer("", None)] * (5 - len(answers))


def test_a_psfs_is_scored_and_its_change_classed(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    first, _ = record_measure(
        db, practitioner_id, patient_id, "psfs", TODAY - timedelta(days=30), psfs(3, 4, 4)
    )
    record_measure(db, practitioner_id, patient_id, "psfs", TODAY, psfs(5, 6, 6))
    recorded = patient_measures(db, patient_id)
    assert [m.score for m in recorded] == [Fraction(11, 3), Fraction(17, 3)]
    assert [a.label for a in recorded[0].answers] == ["Activity 1", "Activity 2", "Activity 3"]
    (course,) = progress_by_measure(recorded)
    assert course.change is not None
    assert course.change.klass is ChangeClass.IMPROVED  # +2 >= 1.3
    assert "3.7" in course.describe() and "+2" in course.describe()
    with db.reading() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "measure_record")
        ).first()
    assert event is not None and event.entity_id == first and event.record_hash


def test_bad_answers_are_refused_with_a_message(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    with pytest.raises(ServiceError, match="from 0 to 10"):
        record_measure(db, practitioner_id, patient_id, "nprs", TODAY, [Answer("", 11)])
    with pytest.raises(ServiceError, match="both the activity and its score"):
        record_measure(db, practitioner_id, patient_id, "psfs", TODAY, psfs(None, names=("Run",)))
    with pytest.raises(ServiceError, match="Answer at least 1"):
        record_measure(db, practitioner_id, patient_id, "psfs", TODAY, psfs())
    with pytest.raises(ServiceError, match="1970 to today"):
        record_measure(
            db, practitioner_id, patient_id, "nprs", TODAY + timedelta(days=1), [Answer("", 3)]
        )
    assert patient_measures(db, patient_id) == []


def test_entered_in_error_keeps_the_original_and_stops_it_counting(
    db: Database, practitioner_id: int, patient_id: int
) -> None:
    wrong, _ = record_measure(db, practitioner_id, patient_id, "nprs", TODAY, [Answer("", 9)])
    record_measure(db, practitioner_id, patient_id, "nprs", TODAY, [Answer("", 4)])
    changes = retract_measure(db, practitioner_id, wrong, "Typed 9 for 4")
    assert changes.concerns(patient_id) and wrong in changes.measures
    recorded = patient_measures(db, patient_id)
    assert [m.counts for m in recorded] == [False, True]
    assert recorded[0].retracted_reason == "Typed 9 for 4"
    (course,) = progress_by_measure(recorded)
    assert [m.score for m in course.taken] == [4]
    with pytest.raises(ServiceError, match="already"):
        retract_measure(db, practitioner_id, wrong, "again")


def test_measures_are_append_only_in_the_file(
    db: Database, db_path: Path, practitioner_id: int, patient_id: int
) -> None:
    record_measure(db, practitioner_id, patient_id, "nprs", TODAY, [Answer("", 6)])
    conn = sqlite3.connect(db_path)
    try:
        for statement in (
            "UPDATE measure_answer SET value = 2",
            "DELETE FROM measure_answer",
            "UPDATE outcome_measure SET taken_on = '2020-01-01'",
            "DELETE FROM outcome_measure",
            "INSERT OR REPLACE INTO measure_answer (id, measure_id, position, item_code, label,"
            " value) SELECT id, measure_id, position, item_code, label, 1 FROM measure_answer",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"):
                conn.execute(statement)
    finally:
        conn.close()


def test_check_finds_a_measure_changed_behind_the_triggers(
    db: Database, db_path: Path, practitioner_id: int, patient_id: int
) -> None:
    measure_id, _ = record_measure(
        db, practitioner_id, patient_id, "psfs", TODAY, psfs(2, 3, names=("Walk", "Lift"))
    )
    retract_measure(db, practitioner_id, measure_id, "wrong patient")
    db.dispose()
    assert check_database(sqlite_url(db_path)).ok
    conn = sqlite3.connect(db_path)
    try:
        conn.execute("DROP TRIGGER measure_answer_no_update")
        conn.execute("UPDATE measure_answer SET value = 9 WHERE label = 'Lift'")
        conn.execute("DROP TRIGGER measure_retraction_no_delete")
        conn.execute("DELETE FROM measure_retraction")
        conn.commit()
    finally:
        conn.close()
    problems = check_database(sqlite_url(db_path)).problems
    assert f"outcome measure {measure_id} is not the one the audit trail records" in problems[0]
    assert any(f"records outcome measure {measure_id} that is missing" in p for p in problems)
    assert any("records an 'entered in error' note of measure" in p for p in problems)
