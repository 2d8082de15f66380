"""Demo data is realistic, reproducible and passes every check."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from dnt_desktop import demo
from dnt_desktop.models import NeedlingPoint, Patient, Practitioner, SideEffect, TreatmentSession
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.services import body_map
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.rules import point_problems
from dnt_desktop.services.sessions import draft_from, load_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url


def test_demo_data_is_plausible_and_checks_clean(db: Database, db_path: Path) -> None:
    demo.generate(db, patients=60, seed=7)
    with db.reading() as s:
        assert s.scalar(select(func.count()).select_from(Patient)) == 60
        assert s.scalar(select(func.count()).select_from(Practitioner)) == 3
        sessions = s.scalar(select(func.count()).select_from(TreatmentSession))
        assert 300 <= sessions <= 900
        assert s.scalar(select(func.count()).select_from(SideEffect)) > 0
        signed = s.scalar(
            select(func.count()).where(TreatmentSession.status == SessionStatus.SIGNED)
        )
        assert signed and signed < sessions
        sample = s.scalars(select(NeedlingPoint).limit(200)).all()
    for p in sample:
        region = body_map.region_at(p.view, p.x, p.y)
        assert region is not None and p.muscle_code in region.muscles
        assert region.side == p.side
    draft = draft_from(load_session(db, 1))
    assert all(point_problems(p) == [] for p in draft.points)
    report = check_database(sqlite_url(db_path))
    assert report.ok, report.problems[:5]


def test_same_seed_gives_the_same_patients(tmp_path: Path, db: Database) -> None:
    demo.generate(db, patients=5, seed=3)
    with db.reading() as s:
        first = s.execute(select(Patient.family_name, Patient.date_of_birth)).all()
    from dnt_desktop.storage.open import open_database

    other = open_database(sqlite_url(tmp_path / "other.sqlite3"))
    try:
        demo.generate(other, patients=5, seed=3)
        with other.reading() as s:
            assert s.execute(select(Patient.family_name, Patient.date_of_birth)).all() == first
    finally:
        other.dispose()


DEMO_TABLES = (
    "patient",
    "screening",
    "screening_answer",
    "consent",
    "treatment_session",
    "session_condition",
    "session_adjunct",
    "needling_point",
    "side_effect",
    "late_event",
)


def _content(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every demo table's rows, and the signatures' audit events without their time."""
    connection = sqlite3.connect(path)
    try:
        content = {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
            for table in DEMO_TABLES
        }
        content["signatures"] = connection.execute(
            "SELECT actor_id, entity_id, patient_id, summary, record_hash FROM audit_event "
            "WHERE action = 'sign' ORDER BY id"
        ).fetchall()
    finally:
        connection.close()
    return content


def test_the_same_seed_gives_the_same_database_made_here_or_by_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three chunks made in this process, then by two worker processes: the same rows."""
    from dnt_desktop.demo import generator
    from dnt_desktop.storage.open import open_database

    monkeypatch.setattr(generator, "_now", lambda: datetime(2026, 12, 5, 9, 30, tzinfo=UTC))
    made = {}
    for workers in (0, 2):
        path = tmp_path / f"demo-{workers}.sqlite3"
        db = open_database(sqlite_url(path))
        try:
            demo.generate(db, patients=1_100, seed=11, workers=workers)
        finally:
            db.dispose()
        made[workers] = _content(path)
        assert check_database(sqlite_url(path)).ok
    assert made[0]["patient"] and len(made[0]["signatures"]) > 5_000
    for table, rows in made[0].items():
        assert rows == made[2][table], table


def test_only_a_new_file_is_built_fast_and_it_is_handed_over_with_the_app_settings(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnt_desktop.demo import bulk, generator

    built: list[bool] = []
    original = bulk.BulkWriter.__init__

    def spy(self: bulk.BulkWriter, database: Database, *, build: bool) -> None:
        original(self, database, build=build)
        built.append(self.build)

    monkeypatch.setattr(generator.BulkWriter, "__init__", spy)
    demo.generate(db, patients=3, seed=1)  # a new file: synchronous off while it is built
    demo.generate(db, patients=3, seed=2)  # it holds records now: the app's settings
    assert built == [True, False]
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert connection.exec_driver_sql("PRAGMA cache_size").scalar() == -2000
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
