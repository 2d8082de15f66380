"""Two workstations (two Database objects) writing to one PostgreSQL database lose nothing."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import URL

from dnt_desktop.models import AuditEvent, NeedlingPoint, Patient, TreatmentSession
from dnt_desktop.services import records
from dnt_desktop.services.drafts import PatientForm
from dnt_desktop.services.integrity import check_database
from dnt_desktop.services.patients import get_patient, register_patient, update_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import ConcurrentChangeError
from dnt_desktop.storage.open import open_database

from .conftest import PASSWORD, draft_for

ROUNDS = 12
T = TypeVar("T")


@pytest.fixture
def workstations(db: Database, pg_url: URL) -> Iterator[tuple[Database, Database]]:
    """Two more app instances on the test's database (each with its own connections)."""
    first, second = open_database(pg_url), open_database(pg_url)
    yield first, second
    first.dispose()
    second.dispose()


def _together(jobs: list[Callable[[], T]]) -> list[T]:
    """Run the jobs on threads released at the same moment; their results in order."""
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], T]) -> T:
        start.wait(timeout=30)
        return job()

    with ThreadPoolExecutor(len(jobs)) as pool:
        return list(pool.map(run, jobs, timeout=120))


def test_two_workstations_registering_and_charting_together_lose_nothing(
    db: Database,
    pg_url: URL,
    pract_id: int,
    patient: int,
    workstations: tuple[Database, Database],
) -> None:
    def work(station: Database, tag: str) -> list[tuple[int, int]]:
        done = []
        for n in range(ROUNDS):
            pid = register_patient(
                station, pract_id, PatientForm(f"{tag}{n:02d}", "Sam", date(1980, 1, 1 + n))
            )
            draft = draft_for(patient, pract_id, points=1 + n % 3)
            draft.notes = f"{tag}-{n}"
            sid = save_session(station, pract_id, draft).session_id
            if n % 4 == 0:
                records.sign_session(station, pract_id, sid, PASSWORD)
            done.append((pid, sid))
        return done

    first, second = workstations
    results = _together([lambda: work(first, "a"), lambda: work(second, "b")])
    saved = [item for result in results for item in result]
    with db.reading() as s:
        charts = s.scalars(
            select(Patient.chart_number).where(Patient.id.in_([p for p, _ in saved]))
        )
        assert len(set(charts)) == 2 * ROUNDS
        notes = dict(
            s.execute(
                select(TreatmentSession.id, TreatmentSession.notes).where(
                    TreatmentSession.id.in_([sid for _, sid in saved])
                )
            ).all()
        )
        points = s.scalar(
            select(func.count()).where(NeedlingPoint.session_id.in_([sid for _, sid in saved]))
        )
        sign_events = s.scalar(select(func.count()).where(AuditEvent.action == "sign"))
    assert sorted(notes.values()) == sorted(f"{t}-{n}" for t in "ab" for n in range(ROUNDS))
    assert points == 2 * sum(1 + n % 3 for n in range(ROUNDS))
    assert sign_events == 2 * len(range(0, ROUNDS, 4))
    report = check_database(pg_url)  # one unbroken audit chain across both workstations
    assert report.ok, report.problems[:5]


def test_two_workstations_editing_one_patient_cannot_overwrite_each_other(
    db: Database, pract_id: int, patient: int, workstations: tuple[Database, Database]
) -> None:
    opened = get_patient(db, patient).version

    def edit(station: Database, phone: str) -> str:
        form = PatientForm("Doe", "Jane", date(1980, 5, 17), phone=phone)
        try:
            update_patient(station, pract_id, patient, form, version=opened)
        except ConcurrentChangeError:
            return "refused"
        return "saved"

    first, second = workstations
    outcomes = _together([lambda: edit(first, "111"), lambda: edit(second, "222")])
    assert sorted(outcomes) == ["refused", "saved"]
    kept = get_patient(db, patient)
    assert kept.phone == ("111" if outcomes[0] == "saved" else "222")
    assert kept.version == opened + 1
