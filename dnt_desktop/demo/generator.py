"""Realistic, reproducible demo data: a clinic, practitioners, patients and their sessions.

The patients and their sessions are made in chunks (``demo.rows``: plain tuples, each
signed session hashed as signing hashes it) and written in bulk (``demo.bulk``). A large
demo makes its chunks in worker processes, one per core, while this process writes them
in order; each chunk depends only on the seed and its number, so the same seed always
gives the same database, whichever process made which chunk.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from multiprocessing import get_context

from sqlalchemy import func, select

from dnt_desktop.demo.protocols import add_demo_protocols
from dnt_desktop.models import Patient, Practitioner, Screening, TreatmentSession
from dnt_desktop.models.enums import Role
from dnt_desktop.services import accounts, audit
from dnt_desktop.services.clinic_details import ClinicForm, is_set_up, save_clinic
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner
from dnt_desktop.storage.engine import Database

from .bulk import BulkWriter
from .rows import CHUNK, Chunk, ChunkJob, Setting, make_chunk, session_count
from .safety import add_safety_data

DEMO_PASSWORD = "demo1234"
DEMO_PASSWORD_NOTE = (
    f"Demo accounts: sarah.okafor, tom.lindqvist (admin: admin); password {DEMO_PASSWORD}"
)
WORKERS_FROM_CHUNKS = 8
"""A demo of this many chunks (4,000 patients) or more is made in worker processes."""
WORKER_NICENESS = 5


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def generate(
    db: Database,
    patients: int = 200,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    *,
    workers: int | None = None,
) -> None:
    """Fill *db* (migrated, possibly already set up) with demo data.

    *workers*: processes that make the chunks (default: one per core for a large demo,
    none for a small one); the data is the same whatever it is.
    """
    new_file = not is_set_up(db)
    if new_file:
        save_clinic(
            db,
            None,
            ClinicForm(
                name="Riverside Physiotherapy (demo)",
                address="12 Mill Road\nRiverton RT1 4AB",
                phone="+44 1632 960 123",
                email="hello@riverside-physio.example",
                website="riverside-physio.example",
            ),
        )
        password = accounts.hash_password(DEMO_PASSWORD)  # one hash shared by the demo accounts
        admin = add_practitioner(
            db, None, PractitionerForm("Alex Morgan", "admin", "PH-100231", Role.ADMIN), password
        )
        for name, username, number in (
            ("Sarah Okafor", "sarah.okafor", "PH-204117"),
            ("Tom Lindqvist", "tom.lindqvist", "PH-311902"),
        ):
            add_practitioner(db, admin, PractitionerForm(name, username, number), password)
    with db.reading() as session:
        practitioner_ids = list(session.scalars(select(Practitioner.id).order_by(Practitioner.id)))
        first_number = (session.scalar(select(func.max(Patient.id))) or 0) + 1
        next_session = (session.scalar(select(func.max(TreatmentSession.id))) or 0) + 1
        next_screening = (session.scalar(select(func.max(Screening.id))) or 0) + 1
    now = _now()
    jobs = chunk_jobs(
        Setting(seed, now, tuple(practitioner_ids)),
        patients,
        first_number,
        next_session,
        next_screening,
    )
    # A file this call has just set up, without a patient or a session, holds no record
    # to lose: it is built fast. A clinic's database never is.
    writer = BulkWriter(db, build=new_file and first_number == 1 and next_session == 1)
    done = 0
    try:
        with _gc_paused():  # millions of short-lived tuples: no cycles to find
            for job, chunk in zip(jobs, _made(jobs, workers), strict=True):
                writer.write(chunk)
                done += job.count
                if progress:
                    progress(done, patients)
    finally:
        writer.finish()
    from .progress import add_progress  # referrers, outcome measures and letters (issue 15)

    add_progress(db, seed, practitioner_ids[0])
    add_safety_data(db, seed, now)  # issue 16: measurements and late-reported events
    add_demo_protocols(
        db, practitioner_ids[1] if len(practitioner_ids) > 1 else practitioner_ids[0]
    )
    with db.transaction() as session:
        audit.record(
            session,
            None,
            "demo",
            entity_type="database",
            summary=f"Demo data generated: {patients} patients (seed {seed})",
        )


def chunk_jobs(
    setting: Setting, patients: int, first_patient: int, first_session: int, first_screening: int
) -> list[ChunkJob]:
    """The chunks of *patients* patients, each with the ids it starts at."""
    jobs = []
    for number, start in enumerate(range(0, patients, CHUNK)):
        count = min(CHUNK, patients - start)
        jobs.append(
            ChunkJob(
                setting,
                number,
                first_patient + start,
                count,
                first_session,
                first_screening + start,
            )
        )
        first_session += session_count(setting.seed, number, count)
    return jobs


def _made(jobs: Sequence[ChunkJob], workers: int | None) -> Iterator[Chunk]:
    """The chunks of *jobs* in order, made here or by *workers* processes (a few ahead)."""
    if workers is None:
        workers = (os.cpu_count() or 1) if len(jobs) >= WORKERS_FROM_CHUNKS else 0
    if workers <= 1:
        yield from map(make_chunk, jobs)
        return
    with get_context(_start_method()).Pool(workers, initializer=_behind_the_writer) as pool:
        pending: deque = deque()
        queued = iter(jobs)
        for job in queued:
            pending.append(pool.apply_async(make_chunk, (job,)))
            if len(pending) >= 2 * workers:
                break
        while pending:
            chunk = pending.popleft().get()
            job = next(queued, None)
            if job is not None:
                pending.append(pool.apply_async(make_chunk, (job,)))
            yield chunk


def _behind_the_writer() -> None:
    """A worker yields the CPU to the process writing the chunks: it is the one every
    chunk waits for, while the workers are a few chunks ahead."""
    if hasattr(os, "nice"):
        os.nice(WORKER_NICENESS)


def _start_method() -> str:
    """Fork on Linux when no other thread runs (fast, and the caller's script is not run
    again); else spawn, which imports the caller's main module again in each worker."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return "fork"
    return "spawn"


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (as it was before on exit).

    The rows are plain tuples without reference cycles; the collector would otherwise
    rescan every live object again and again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
