"""The demo generator on PostgreSQL: the same data as on SQLite, and the app goes on after it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from dnt_desktop import cli, demo
from dnt_desktop.models import Patient, Screening, TreatmentSession, catalogue
from dnt_desktop.models.enums import ScreeningStatus
from dnt_desktop.services import accounts, records
from dnt_desktop.services.clinical import record_screening
from dnt_desktop.services.drafts import PatientForm, ScreeningAnswerForm, ScreeningForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import get_patient, register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database

from .conftest import draft_for

PATIENTS = 12


def _counts(db: Database) -> tuple[int, int, int]:
    with db.reading() as s:
        return tuple(  # type: ignore[return-value]
            int(s.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Patient, Screening, TreatmentSession)
        )


def _screening() -> ScreeningForm:
    return ScreeningForm(
        [ScreeningAnswerForm(c.code, ScreeningStatus.ABSENT) for c in catalogue.contraindications()]
    )


def test_after_the_demo_new_records_get_new_ids(db: Database, pg_url: URL) -> None:
    demo.generate(db, patients=PATIENTS, seed=5)
    patients, screenings, sessions = _counts(db)
    assert (patients, screenings) == (PATIENTS, PATIENTS) and sessions > PATIENTS
    sarah = accounts.authenticate(db, "sarah.okafor", demo.DEMO_PASSWORD).id
    pid = register_patient(db, sarah, PatientForm("New", "Nora", date(1990, 2, 3)))
    assert pid == PATIENTS + 1
    assert get_patient(db, pid).chart_number == f"P{PATIENTS + 1:06d}"
    assert record_screening(db, sarah, pid, _screening()) == screenings + 1
    saved = save_session(db, sarah, draft_for(1, sarah))
    assert saved.session_id == sessions + 1
    demo.generate(db, patients=3, seed=6)  # more demo data on top, then the app again
    assert register_patient(db, sarah, PatientForm("Next", "Ned", date(1991, 2, 3))) == (
        PATIENTS + 5
    )
    assert save_session(db, sarah, draft_for(pid, sarah)).session_id > sessions + 1
    assert check_database(pg_url).ok


def test_the_demo_is_the_same_on_postgresql_and_sqlite(
    db: Database, pg_url: URL, tmp_path: Path
) -> None:
    demo.generate(db, patients=PATIENTS, seed=9)
    lite = open_database(sqlite_url(tmp_path / "demo.sqlite3"))
    try:
        demo.generate(lite, patients=PATIENTS, seed=9)
        query = select(
            TreatmentSession.id,
            TreatmentSession.patient_id,
            TreatmentSession.started_at,
            TreatmentSession.status,
            TreatmentSession.content_hash,
        ).order_by(TreatmentSession.id)
        with db.reading() as s:
            on_postgres = s.execute(query).all()
        with lite.reading() as s:
            on_sqlite = s.execute(query).all()
    finally:
        lite.dispose()
    assert on_postgres == on_sqlite
    report = check_database(pg_url)  # every signed session re-hashed from PostgreSQL's rows
    assert report.ok, report.problems[:5]
    signed = [row.id for row in on_postgres if row.content_hash is not None]
    assert signed and records.signature_intact(db, signed[0]) is True


def test_the_demo_command_fills_a_postgresql_database(
    pg_url: URL, capsys: pytest.CaptureFixture[str]
) -> None:
    url = pg_url.render_as_string(hide_password=False)
    assert cli.main(["demo", "--patients", "3", "--db", url]) == 0
    assert "Demo data for 3 patients written to postgresql+psycopg://" in capsys.readouterr().out
    assert cli.main(["check", "--db", url]) == 0
