"""One-word searches (prepared statements, per-alternative top rows merged) answer exactly
what one plain query over ``search_condition`` answers: same ids, order, count and rows."""

from __future__ import annotations

import pytest

from dnt_desktop.services.patients import (
    count_patients,
    patient_rows,
    search_patient_ids,
)
from dnt_desktop.storage.engine import Database

from .search_reference import add_crowded_patients, plain

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


def plain_ids(db: Database, text: str, include_archived: bool, limit: int) -> list[int]:
    """The register's answer as a single query (what the merge must reproduce)."""
    return [line[0] for line in plain(db, text, include_archived)][:limit]  # type: ignore[misc]


@pytest.fixture
def crowded_db(db: Database) -> Database:
    """300 patients whose family names, given names and chart numbers share prefixes."""
    return add_crowded_patients(db)


@pytest.mark.parametrize("text", ["mo", "Mor", "m", "MO00", "p0001", "mork", "amor", "zz", " mo "])
@pytest.mark.parametrize("limit", [5, 40, 500])
def test_merged_search_equals_the_plain_query(crowded_db: Database, text: str, limit: int) -> None:
    for include_archived in (False, True):
        with crowded_db.reading() as session:
            merged = search_patient_ids(
                session, text, include_archived=include_archived, limit=limit
            )
        assert merged == plain_ids(crowded_db, text, include_archived, limit)
        with crowded_db.reading() as session:
            count = count_patients(session, text, include_archived=include_archived)
            rows = patient_rows(session, merged)
        assert count == len(plain_ids(crowded_db, text, include_archived, 10_000))
        assert sorted(rows) == sorted(merged)
        assert all(rows[i].id == i for i in merged)
