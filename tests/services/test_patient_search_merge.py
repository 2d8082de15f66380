"""One-word searches (prepared statements, per-alternative top rows merged) answer exactly
what one plain query over ``search_condition`` answers: same ids, order, count and rows."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from dnt_desktop.models import Patient
from dnt_desktop.services.names import search_key
from dnt_desktop.services.patients import (
    count_patients,
    patient_rows,
    search_condition,
    search_patient_ids,
)
from dnt_desktop.storage.engine import Database

NAMES = ("Morgan", "Moore", "Morris", "Mo", "Amor", "Smith", "Morales", "Mörk", "Jones")


def plain_ids(db: Database, text: str, include_archived: bool, limit: int) -> list[int]:
    """The register's answer as a single query (what the merge must reproduce)."""
    query = select(Patient.id)
    condition = search_condition(text)
    if condition is not None:
        query = query.where(condition)  # type: ignore[arg-type]
    if not include_archived:
        query = query.where(Patient.archived.is_(False))
    query = query.order_by(Patient.family_name_key, Patient.given_name_key, Patient.id)
    with db.reading() as session:
        return list(session.scalars(query.limit(limit)))


@pytest.fixture
def crowded_db(db: Database) -> Database:
    """300 patients whose family names, given names and chart numbers share prefixes."""
    rng = random.Random(6)
    rows = []
    for number in range(1, 301):
        family, given = rng.choice(NAMES), rng.choice(NAMES)
        chart = f"MO{number:04d}" if number % 7 == 0 else f"P{number:06d}"
        rows.append(
            dict(
                chart_number=chart,
                family_name=family,
                given_name=given,
                family_name_key=search_key(family),
                given_name_key=search_key(given),
                date_of_birth=date(1950, 1, 1) + timedelta(days=rng.randrange(20_000)),
                archived=number % 11 == 0,
            )
        )
    with db.transaction() as session:
        session.execute(insert(Patient), rows)
    return db


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
