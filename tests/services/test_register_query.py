"""The register's search (``search_register``) answers what one plain query over
``search_condition`` answers: same ids in the same order, same count, and first lines
that are the rows of the first ids; dates are read as ``datetime.strptime`` reads them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import event, func, insert, select

from dnt_desktop.models import Patient
from dnt_desktop.services import register_query
from dnt_desktop.services.names import search_key
from dnt_desktop.services.register_query import (
    SearchStatements,
    parse_date,
    register_lines,
    search_register,
)
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.location import sqlite_url

from .search_reference import add_crowded_patients, plain

pytestmark = pytest.mark.both_databases  # the same tests on SQLite and PostgreSQL


@pytest.fixture
def crowded_db(db: Database) -> Database:
    """300 patients whose names, chart numbers and birthdays share prefixes and values."""
    return add_crowded_patients(db)


TEXTS = [
    "mo",
    "Mor",
    "m",
    "MO00",
    "p0001",
    "mork",
    "amor",
    "zz",
    " mo ",
    "mo smi",
    "smith, mor",
    "smith,",
    ",",
    "",
    "30.04.1975",
    "1975-04-30",
    "30/04/1975",
    "30-04-1975",
    "31.02.1975",
]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize(("limit", "first"), [(5, 2), (40, 10), (500, 100), (60, 60), (30, 50)])
def test_search_register_equals_the_plain_query(
    crowded_db: Database, text: str, limit: int, first: int
) -> None:
    for include_archived in (False, True):
        expected = plain(crowded_db, text, include_archived)
        found = search_register(
            crowded_db, text, include_archived=include_archived, limit=limit, first=first
        )
        assert found.ids == [line[0] for line in expected[:limit]]
        assert found.total == (limit if found.more else len(expected))
        assert found.more == (len(expected) > limit and text.strip() != "")
        assert [tuple(line) for line in found.first_lines] == expected[: min(first, limit)]


def test_a_small_result_is_one_statement_and_a_large_one_adds_ids(
    crowded_db: Database,
) -> None:
    statements: list[str] = []

    def capture(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    event.listen(crowded_db.engine, "before_cursor_execute", capture)
    try:
        search_register(crowded_db, "P000001", limit=500, first=100)
        assert len(statements) == 1
        statements.clear()
        search_register(crowded_db, "mo", limit=500, first=100)  # >100, <500 matches
        assert len(statements) == 2
        statements.clear()
        found = search_register(crowded_db, "mo", limit=50, first=10)  # the limit is reached
        assert len(statements) == 2 and found.more  # not counted: "50+"
        statements.clear()
        found = search_register(crowded_db, "", limit=50, first=10)  # the whole register
        assert len(statements) == 3 and not found.more  # counted
    finally:
        event.remove(crowded_db.engine, "before_cursor_execute", capture)


def test_first_lines_follow_the_ids_when_the_two_statements_disagree(
    crowded_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL each statement reads afresh: a patient saved between the first lines
    and the ids must not leave a row without its line. Simulated by first lines in the
    wrong order (the ids stay the truth)."""
    real = register_query._statements

    def reversed_lines(kind: tuple[object, ...], include_archived: bool) -> SearchStatements:
        statements = real(kind, include_archived)
        wrong_order = statements.lines.order_by(None).order_by(Patient.__table__.c.id.desc())
        return SearchStatements(wrong_order, statements.ids, statements.count)

    monkeypatch.setattr(register_query, "_statements", reversed_lines)
    found = search_register(crowded_db, "mo", limit=50, first=10)
    expected = plain(crowded_db, "mo", False)
    assert found.ids == [line[0] for line in expected[:50]]
    assert [tuple(line) for line in found.first_lines] == expected[:10]


def test_register_lines_reads_a_page_by_id(crowded_db: Database) -> None:
    with crowded_db.reading() as session:
        ids = list(session.scalars(select(Patient.id).order_by(Patient.id.desc()).limit(7)))
    lines = register_lines(crowded_db, ids)
    assert sorted(lines) == sorted(ids)
    for patient_id, line in lines.items():
        assert line.id == patient_id
        assert isinstance(line.date_of_birth, date)
        assert line.archived in (True, False)
    assert register_lines(crowded_db, []) == {}


def test_every_line_of_a_big_register_is_reachable(crowded_db: Database) -> None:
    found = search_register(crowded_db, "", include_archived=True, limit=500, first=100)
    with crowded_db.reading() as session:
        assert found.total == session.scalar(select(func.count()).select_from(Patient))
    rest = register_lines(crowded_db, found.ids[100:])
    assert len(found.first_lines) + len(rest) == found.total == len(found.ids)


def test_a_damaged_file_is_a_storage_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not a database" * 200)
    db = Database(sqlite_url(path))
    try:
        with pytest.raises(StorageError, match="damaged"):
            search_register(db, "mor")
        with pytest.raises(StorageError, match="damaged"):
            register_lines(db, [1, 2])
    finally:
        db.dispose()


# --- dates ---------------------------------------------------------------------------


def strptime_date(text: str) -> date | None:
    """How the register read dates before: ``datetime.strptime`` with its four formats."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


DATE_ALPHABET = st.sampled_from(list("0123456789012345678901234567890123./- x\u0661\u0969"))


@given(st.text(DATE_ALPHABET, max_size=12))
@example("2001-04-30")
@example("30.04.2001")
@example("30/04/2001")
@example("30-04-2001")
@example("5.7.1981")
@example(" 5.07.1981")
@example("1981-07- 5")
@example("31.02.1980")
@example("0000-01-01")
@example("30.04.01")
@example("2001-04-30 ")
@example("\u0661\u0662.07.1981")
@example("12.07.19810")
@example("2001-1-10")
def test_dates_are_read_exactly_as_strptime_reads_them(text: str) -> None:
    assert parse_date(text) == strptime_date(text)


@contextmanager
def patient_saved_after_first_select(db: Database) -> Iterator[list[int]]:
    """Save a patient who sorts first and matches 'mo', from another connection, right
    after the next SELECT (or WITH ... SELECT); the list receives the new id."""
    added: list[int] = []

    def save_now(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if added or not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            return
        added.append(0)  # the save's own statements must not save again
        with db.engine.connect() as other, other.begin():
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

    event.listen(db.engine, "after_cursor_execute", save_now)
    try:
        yield added
    finally:
        event.remove(db.engine, "after_cursor_execute", save_now)


def test_a_patient_saved_during_a_search_leaves_ids_and_lines_in_step(
    crowded_db: Database,
) -> None:
    with patient_saved_after_first_select(crowded_db) as added:
        found = search_register(crowded_db, "mo", limit=30, first=10)
    assert added and added[0] > 0
    if crowded_db.engine.dialect.name == "sqlite":
        # SQLite reads the whole search from one snapshot: the new patient comes next time.
        assert added[0] not in found.ids
    assert [line[0] for line in found.first_lines] == found.ids[:10]
    assert search_register(crowded_db, "mo", limit=30, first=10).ids[0] == added[0]


# --- the given name: walked in register order, or sorted -----------------------------


@pytest.fixture
def walk_db(db: Database) -> Database:
    """60 patients with distinct family names in register order (Fam000..Fam059): 'Quinn'
    the given name of every third of the first 30 (10), 'Quentin' of two late ones (50,
    55), 'Zed' of the last; the rest 'Ann', the second archived."""
    rows = []
    for number in range(60):
        given = (
            "Quinn"
            if number < 30 and number % 3 == 0
            else {50: "Quentin", 55: "Quentin", 59: "Zed"}.get(number, "Ann")
        )
        rows.append(
            dict(
                chart_number=f"P{number:06d}",
                family_name=f"Fam{number:03d}",
                given_name=given,
                family_name_key=search_key(f"Fam{number:03d}"),
                given_name_key=search_key(given),
                date_of_birth=date(1980, 1, 1),
                phone="",
                archived=number == 1,
            )
        )
    with db.transaction() as session:
        session.execute(insert(Patient), rows)
    return db


def counted(db: Database, text: str, sort_most: int, include_archived: bool = False) -> int:
    """How many given names start with *text*, counted up to *sort_most* (fewer: the
    search sorts them; that many: it walks the register in order)."""
    table = Patient.__table__
    statement = register_query.how_many_capped(
        table.c.given_name_key,
        register_query._text("name"),
        [] if include_archived else [table.c.archived.is_(False)],
    )
    with db.engine.connect() as connection:
        return int(connection.scalar(statement, {"name": search_key(text), "sort_most": sort_most}))


def test_the_given_names_are_counted_only_up_to_the_cap(walk_db: Database) -> None:
    assert counted(walk_db, "qui", sort_most=10) == 10  # exactly the cap: walked
    assert counted(walk_db, "qui", sort_most=11) == 10  # one fewer: sorted
    assert counted(walk_db, "q", sort_most=5) == 5
    assert counted(walk_db, "q", sort_most=20_000) == 12
    assert counted(walk_db, "a", sort_most=20_000) == 46  # 'Ann', one of them archived
    assert counted(walk_db, "a", sort_most=20_000, include_archived=True) == 47
    assert counted(walk_db, "z", sort_most=20_000) == 1  # rare: sorted


@pytest.mark.parametrize("text", ["q", "qui", "quen", "z", "a", "fam0", "Q ", "p00005"])
@pytest.mark.parametrize("sort_most", [0, 1, 2, 9, 10, 11, 12, 13, 20_000])
def test_walked_or_sorted_the_given_name_answers_the_plain_query(
    walk_db: Database, monkeypatch: pytest.MonkeyPatch, text: str, sort_most: int
) -> None:
    """Walked or sorted, around the boundaries: a prefix with exactly as many matches as
    the cap ('qui': 10) and one fewer (cap 11), as many as the limit and one fewer (limit
    10 and 11), matches late in register order ('q': two Quentins), a rare one ('z'), a
    cap above the register's size; each with and without the archived."""
    monkeypatch.setattr(register_query, "SORT_AT_MOST", sort_most)
    for include_archived in (False, True):
        expected = plain(walk_db, text, include_archived)
        for limit in (1, 2, 9, 10, 11, 12, 13, 60):
            found = search_register(
                walk_db, text, include_archived=include_archived, limit=limit, first=5
            )
            assert found.ids == [line[0] for line in expected[:limit]], (limit, include_archived)
            assert found.more == (len(expected) > limit)
            assert found.total == (limit if found.more else len(expected))
            assert [tuple(line) for line in found.first_lines] == expected[: min(5, limit)]
