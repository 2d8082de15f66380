"""The register's search (``search_register``) on PostgreSQL: the same answers as one plain
query, and first lines in step with the ids although each statement reads afresh."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event, insert

from dnt_desktop.models import Patient
from dnt_desktop.services.register_query import register_lines, search_register
from dnt_desktop.storage.engine import Database

from ..services.search_reference import add_crowded_patients, plain

NAMES = ("Morgan", "Moore", "Morris", "Mo", "Amor", "Smith", "Morales", "Mörk", "Ångström")


@pytest.fixture
def crowded_db(db: Database) -> Database:
    """120 patients whose names, chart numbers and birthdays share prefixes and values."""
    return add_crowded_patients(db, count=120, seed=7, names=NAMES)


@pytest.mark.parametrize(
    "text", ["mo", "MO00", "p0001", "mork", "angs", "mo smi", "smith,", "", "30.04.1975"]
)
def test_search_register_equals_the_plain_query(crowded_db: Database, text: str) -> None:
    for include_archived in (False, True):
        expected = plain(crowded_db, text, include_archived)
        for limit, first in ((500, 100), (30, 10)):
            found = search_register(
                crowded_db, text, include_archived=include_archived, limit=limit, first=first
            )
            assert found.ids == [line[0] for line in expected[:limit]]
            assert found.total == (limit if found.more else len(expected))
            assert found.more == (len(expected) > limit and text.strip() != "")
            assert [tuple(line) for line in found.first_lines] == expected[:first]
    lines = register_lines(crowded_db, found.ids[10:20])
    assert sorted(lines) == sorted(found.ids[10:20])


def test_a_patient_saved_between_the_statements_gets_its_line(crowded_db: Database) -> None:
    """PostgreSQL reads each statement afresh: a patient saved after the first lines is in
    the ids, so the first page is read again for them."""
    added: list[int] = []

    def save_now(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if added or not statement.lstrip().upper().startswith("SELECT"):
            return
        added.append(0)
        with crowded_db.engine.connect() as other, other.begin():
            added[0] = other.execute(
                insert(Patient).returning(Patient.id),
                dict(
                    chart_number="NEW-1",
                    family_name="Aab",
                    given_name="Moana",
                    family_name_key="aab",
                    given_name_key="moana",
                    date_of_birth=date(1990, 1, 1),
                ),
            ).scalar_one()

    event.listen(crowded_db.engine, "after_cursor_execute", save_now)
    try:
        found = search_register(crowded_db, "mo", limit=30, first=10)
    finally:
        event.remove(crowded_db.engine, "after_cursor_execute", save_now)
    assert found.ids[0] == added[0]
    assert [line[0] for line in found.first_lines] == found.ids[:10]
    assert found.first_lines[0].family_name == "Aab"
