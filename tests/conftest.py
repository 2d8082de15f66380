"""Shared fixtures: an isolated data folder, headless Qt, and migrated test databases."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

# Headless Qt and a private data folder before anything imports Qt or platformdirs.
_DATA_HOME = tempfile.mkdtemp(prefix="dnt-test-home-")
TEST_SCREEN = os.environ.get("DNT_TEST_SCREEN", "1366x768")
"""The clinic's usual screen: the offscreen platform gets one screen of this size (logical
pixels divide by QT_SCALE_FACTOR, so 1366x768 at 1.25 is 1093x614)."""


def _offscreen_platform(data_home: str, size: str) -> str:
    """The QT_QPA_PLATFORM value of an offscreen screen of *size* ('WxH')."""
    width, height = (int(n) for n in size.lower().split("x"))
    config = Path(data_home) / "offscreen-screen.json"
    screen = {"name": "clinic", "x": 0, "y": 0, "width": width, "height": height}
    screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


os.environ["QT_QPA_PLATFORM"] = _offscreen_platform(_DATA_HOME, TEST_SCREEN)
os.environ["XDG_DATA_HOME"] = _DATA_HOME
os.environ["XDG_CONFIG_HOME"] = _DATA_HOME
os.environ.pop("DNT_DATABASE_URL", None)

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# CI runs the same examples every time (a red build must be reproducible); developers'
# runs explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

from dnt_desktop.services.clinic_details import ClinicForm, save_clinic  # noqa: E402
from dnt_desktop.services.drafts import PatientForm  # noqa: E402
from dnt_desktop.services.patients import register_patient  # noqa: E402
from dnt_desktop.services.practitioners import PractitionerForm, add_practitioner  # noqa: E402
from dnt_desktop.storage.engine import Database  # noqa: E402
from dnt_desktop.storage.location import sqlite_url  # noqa: E402
from dnt_desktop.storage.open import open_database  # noqa: E402

from .postgres.fixtures import new_database, pg_cluster, pg_url, raw_sql  # noqa: E402, F401

BOTH_DATABASES = "both_databases"
"""A module or test marked with it runs on SQLite and on PostgreSQL: its ``db`` is
parametrised over both (tests that also ask for ``db_path``, a file, stay on SQLite)."""


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{BOTH_DATABASES}: run the test's db on SQLite and on PostgreSQL"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    names = metafunc.fixturenames
    both = metafunc.definition.get_closest_marker(BOTH_DATABASES) is not None
    if both and "db" in names and "db_path" not in names:
        metafunc.parametrize("db", ["sqlite", "postgres"], indirect=True)


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty database migrated to head once; tests get copies of it."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_database(sqlite_url(path))
    db.dispose()
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """A fresh migrated database file for one test."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(_template_db, path)
    return path


@pytest.fixture
def db(request: pytest.FixtureRequest) -> Iterator[Database]:
    """The fresh database, opened the way the app opens it: an SQLite file, or for a test
    marked ``both_databases`` also a fresh PostgreSQL database (tests/postgres/fixtures.py)."""
    if getattr(request, "param", "sqlite") == "postgres":
        database = open_database(request.getfixturevalue("pg_url"))
    else:
        database = open_database(sqlite_url(request.getfixturevalue("db_path")))
    yield database
    database.dispose()


@pytest.fixture
def practitioner_id(db: Database) -> int:
    """A clinic with one practitioner; returns the practitioner's id."""
    save_clinic(db, None, ClinicForm(name="Test Clinic", phone="+44 1632 960 000"))
    return add_practitioner(db, None, PractitionerForm("Pat Practitioner", "pat", "PH-1"))


@pytest.fixture
def patient_id(db: Database, practitioner_id: int) -> int:
    """A registered patient."""
    return register_patient(
        db, practitioner_id, PatientForm("Doe", "Jane", date(1980, 5, 17), phone="0123")
    )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    shutil.rmtree(_DATA_HOME, ignore_errors=True)
