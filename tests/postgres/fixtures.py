"""The PostgreSQL tier's fixtures, for tests/postgres and for any test marked
``both_databases`` (tests/conftest.py runs those on SQLite and on PostgreSQL).

``pg_cluster`` (session) starts a throwaway cluster once; ``pg_url`` gives every test a
fresh database, copied from a template migrated once, and drops it afterwards.

Without PostgreSQL's server binaries or psycopg the tier is skipped on a developer's
machine and FAILS on CI (``CI`` set): it must never pass by not running.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any, NoReturn

import pytest
from sqlalchemy.engine import URL

from dnt_desktop.storage.open import open_database

from .cluster import GLIBC_LOCALE, Cluster, find_bin_dir, start_cluster

TEMPLATE = "dnt_template"


def unavailable(reason: str) -> NoReturn:
    """Skip the tier on a developer's machine; fail it on CI, where it must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI is set, so the PostgreSQL tests must run", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def require_psycopg() -> ModuleType:
    """The psycopg module (the test extra installs it), or the tier skipped/failed."""
    try:
        import psycopg
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    return psycopg


def admin_connection(cluster: Cluster, database: str = "postgres") -> Any:
    """A psycopg connection in autocommit mode (CREATE/DROP DATABASE, raw SQL)."""
    return require_psycopg().connect(cluster.conninfo(database), autocommit=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for this test run, with a template database at head."""
    require_psycopg()
    bin_dir = find_bin_dir()
    if bin_dir is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) not found; apt install postgresql")
    cluster = start_cluster(bin_dir)
    try:
        with admin_connection(cluster) as conn:
            conn.execute(f"CREATE DATABASE {TEMPLATE}")
        open_database(cluster.url(TEMPLATE)).dispose()
        yield cluster
    finally:
        cluster.stop()


_numbers = itertools.count(1)


@pytest.fixture
def new_database(pg_cluster: Cluster) -> Iterator[Callable[[str], URL]]:
    """Call it for the URL of a new database.

    ``"migrated"``: a copy of the template at head; ``"empty"``: no tables; ``"glibc"``:
    empty, with the en_US.UTF-8 locale a Debian server in English gets by default.
    """
    created: list[str] = []

    def make(kind: str = "migrated") -> URL:
        name = f"t{os.getpid()}_{next(_numbers)}"
        options = {
            "migrated": f"TEMPLATE {TEMPLATE} STRATEGY FILE_COPY",
            "empty": "TEMPLATE template0",
        }.get(kind)
        if kind == "glibc":
            if pg_cluster.glibc_locale is None:
                unavailable(f"the {GLIBC_LOCALE} locale could not be built (apt install locales)")
            options = f"TEMPLATE template0 LOCALE '{GLIBC_LOCALE}'"
        assert options is not None, kind
        with admin_connection(pg_cluster) as conn:
            conn.execute(f"CREATE DATABASE {name} {options}")
        created.append(name)
        return pg_cluster.url(name)

    yield make
    with admin_connection(pg_cluster) as conn:
        for name in created:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_url(new_database: Callable[[str], URL]) -> URL:
    """A fresh database migrated to head, for one test."""
    return new_database("migrated")


@pytest.fixture
def raw_sql(pg_cluster: Cluster, pg_url: URL) -> Iterator[Any]:
    """A plain psycopg connection (autocommit) to the test's database: what a SQL tool does."""
    with admin_connection(pg_cluster, str(pg_url.database)) as conn:
        yield conn
