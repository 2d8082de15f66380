"""Demo databases of each size, built once and cached in ``benchmarks/.data/``.

A cached file is named after its size, seed, schema revision and the benchmark's data
version, and comes with a manifest written only once it is complete; anything else in
the cache for the same size and seed is removed when a new one is built.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from dnt_desktop import demo
from dnt_desktop.models import Practitioner, TreatmentSession
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.migrate import head_revision
from dnt_desktop.storage.open import open_database

from .fixtures import add_chart_patient

DATA_VERSION = 2
"""Bump when what the benchmarks add to a demo database changes (2: the demo generator
makes its rows in chunks, issue 20)."""
GENERATED_UP_TO = 100_000
"""Larger databases are this one's demo data copied by SQL (see ``replicate``): the
copies' sessions are drafts of another practitioner, which the start-up figures rely on
(the one signed in has no more unsigned sessions at 500,000 patients than at 100,000)."""
DEFAULT_DATA_DIR = Path(__file__).resolve().parent / ".data"


@dataclass(frozen=True)
class BenchDatabase:
    """A complete benchmark database and what the figures need to know about it."""

    path: str
    patients: int
    """Demo patients (the 100-session chart patient comes on top)."""
    seed: int
    revision: str
    sessions: int
    chart_patient_id: int
    chart_session_id: int
    """The chart patient's newest session: 10 points on both views, 2 side effects."""
    first_user: str
    build_seconds: float
    reused: bool = False

    @property
    def file(self) -> Path:
        """The database file."""
        return Path(self.path)


def _key(patients: int, seed: int, revision: str) -> str:
    return f"demo-{patients}-seed{seed}-rev{revision}-v{DATA_VERSION}"


def _manifest_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _load_cached(path: Path) -> BenchDatabase | None:
    manifest = _manifest_path(path)
    if not path.exists() or not manifest.exists():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        cached = BenchDatabase(**{**data, "reused": True})
    except (ValueError, TypeError):
        return None
    if cached.path != str(path) or path.stat().st_size == 0:
        return None
    return cached


def _remove(path: Path) -> None:
    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), _manifest_path(path)):
        extra.unlink(missing_ok=True)


def benchmark_database(
    patients: int, seed: int, data_dir: Path, log: Callable[[str], None]
) -> BenchDatabase:
    """The cached database of *patients* demo patients, built first when missing."""
    revision = head_revision()
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / f"{_key(patients, seed, revision)}.sqlite3"
    cached = _load_cached(path)
    if cached is not None:
        return cached
    for stale in data_dir.glob(f"demo-{patients}-seed{seed}-*.sqlite3"):
        log(f"removing outdated cached database {stale.name}")
        _remove(stale)
    _remove(path)
    log(f"building the {patients:,}-patient demo database (cached for later runs)...")
    building = path.with_name(path.name + ".building")
    _remove(building)
    if patients > GENERATED_UP_TO and patients % GENERATED_UP_TO == 0:
        return _replicated(path, building, patients, seed, data_dir, log)
    started = time.perf_counter()
    db = open_database(sqlite_url(building))
    try:
        demo.generate(db, patients=patients, seed=seed)
        generated = time.perf_counter() - started
        with db.reading() as session:
            practitioners = list(
                session.execute(
                    select(Practitioner.id, Practitioner.username).order_by(Practitioner.id)
                )
            )
        # The chart patient's drafts belong to the last practitioner, so that they are
        # not "unsigned sessions" of the first one, whom the start-up probe signs in as.
        chart_patient, chart_session = add_chart_patient(db, practitioners[-1].id)
        with db.reading() as session:
            sessions = session.scalar(select(func.count()).select_from(TreatmentSession))
    finally:
        db.dispose()
    _checkpoint(building)
    built = time.perf_counter() - started
    log(
        f"  {patients:,} patients, {sessions:,} sessions: generated in {generated:.1f} s, "
        f"ready in {built:.1f} s"
    )
    shutil.move(building, path)
    result = BenchDatabase(
        path=str(path),
        patients=patients,
        seed=seed,
        revision=revision,
        sessions=int(sessions or 0),
        chart_patient_id=chart_patient,
        chart_session_id=chart_session,
        first_user=practitioners[0].username,
        build_seconds=round(built, 2),
    )
    manifest = asdict(result)
    del manifest["reused"]
    _manifest_path(path).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return result


REPLICATED = {
    # table: (foreign keys moved with their copies, columns given new values)
    "patient": ({}, {"chart_number": "'C' || :k || substr(chart_number, 2)"}),
    "screening": ({"patient_id": "patient"}, {}),
    "screening_answer": ({"screening_id": "screening"}, {}),
    "consent": ({"patient_id": "patient"}, {}),
    "treatment_session": (
        {"patient_id": "patient"},
        {
            "status": "'draft'",
            "signed_at": "NULL",
            "signed_by_id": "NULL",
            "content_hash": "NULL",
            "practitioner_id": ":owner",
        },
    ),
    "session_condition": ({"session_id": "treatment_session"}, {}),
    "session_adjunct": ({"session_id": "treatment_session"}, {}),
    "needling_point": ({"session_id": "treatment_session"}, {}),
    "side_effect": ({"session_id": "treatment_session"}, {}),
}
"""What a copy of the demo data holds: every patient with their screenings, consents and
sessions (each a draft of the last practitioner, whom the start-up probe does not sign
in as: a copy of a signed session would need a signature event of its own). Amendments,
acknowledgements, deliveries and the audit trail are not copied."""


def replicate(path: Path, copies: int) -> None:
    """Add *copies* copies of the demo data in *path* (ids and chart numbers shifted)."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA foreign_keys = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        offsets = {
            table: int(connection.execute(f"SELECT max(id) FROM {table}").fetchone()[0] or 0)
            for table in REPLICATED
        }
        (owner,) = connection.execute("SELECT max(id) FROM practitioner").fetchone()
        connection.execute("BEGIN")
        for k in range(1, copies + 1):
            for table, (moved, values) in REPLICATED.items():
                columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
                picked = []
                for column in columns:
                    if column == "id":
                        picked.append(f"id + {k * offsets[table]}")
                    elif column in moved:
                        picked.append(f"{column} + {k * offsets[moved[column]]}")
                    else:
                        picked.append(values.get(column, column))
                connection.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(picked)} "
                    f"FROM {table} WHERE id <= {offsets[table]}",
                    {"k": k, "owner": owner},
                )
        connection.execute("COMMIT")
        problems = connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"the copied rows break foreign keys: {problems[:5]}")
    finally:
        connection.close()


def _replicated(
    path: Path,
    building: Path,
    patients: int,
    seed: int,
    data_dir: Path,
    log: Callable[[str], None],
) -> BenchDatabase:
    """The *patients* database as copies of the generated one (see ``replicate``)."""
    base = benchmark_database(GENERATED_UP_TO, seed, data_dir, log)
    started = time.perf_counter()
    shutil.copyfile(base.file, building)
    replicate(building, patients // GENERATED_UP_TO - 1)
    _checkpoint(building)
    with sqlite3.connect(building) as connection:
        (sessions,) = connection.execute("SELECT count(*) FROM treatment_session").fetchone()
    connection.close()
    built = time.perf_counter() - started
    log(f"  {patients:,} patients, {sessions:,} sessions: copied by SQL in {built:.1f} s")
    shutil.move(building, path)
    result = replace(
        base,
        path=str(path),
        patients=patients,
        sessions=int(sessions),
        build_seconds=round(built, 2),
        reused=False,
    )
    manifest = asdict(result)
    del manifest["reused"]
    _manifest_path(path).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return result


def _checkpoint(path: Path) -> None:
    """Fold the WAL into the file, so that the cache is one self-contained file."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def working_copy(source: BenchDatabase, data_dir: Path, name: str) -> Path:
    """A scratch copy of *source* for figures that write (the cache stays untouched).

    Each copy gets a folder of its own (the app may write backups beside its database).
    """
    folder = data_dir / "work" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    target = folder / source.file.name
    shutil.copyfile(source.file, target)
    return target


def clear_working_copies(data_dir: Path) -> None:
    """Remove every scratch copy (and whatever the app wrote beside them)."""
    shutil.rmtree(data_dir / "work", ignore_errors=True)


def quick_check_ms(path: Path) -> float:
    """How long SQLite's ``PRAGMA quick_check`` of the whole file takes (warm file cache).

    The app runs it at every start, before the sign-in, so it shows what the check alone
    adds to a cold start at each size.
    """
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        connection.execute("PRAGMA quick_check(5)").fetchall()  # warms the file cache
        started = time.perf_counter()
        connection.execute("PRAGMA quick_check(5)").fetchall()
        return (time.perf_counter() - started) * 1000
    finally:
        connection.close()
