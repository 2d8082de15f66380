"""The register search written as one plain query: the reference that the register's
prebuilt statements (``services.register_query``) must answer exactly like."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from sqlalchemy import and_, insert, or_, select

from dnt_desktop.models import Patient
from dnt_desktop.services.names import search_key
from dnt_desktop.services.register_query import parse_date
from dnt_desktop.storage.engine import Database

NAMES = ("Morgan", "Moore", "Morris", "Mo", "Amor", "Smith", "Morales", "Mörk", "Jones")
SHARED_BIRTHDAY = date(1975, 4, 30)
LINE_COLUMNS = (
    Patient.id,
    Patient.chart_number,
    Patient.family_name,
    Patient.given_name,
    Patient.date_of_birth,
    Patient.phone,
    Patient.archived,
)


def _prefix(column: object, prefix: str) -> object:
    return and_(column >= prefix, column < prefix + "\uffff")  # type: ignore[operator]


def search_condition(text: str) -> object | None:
    """The WHERE clause of a register search; None means 'everything'.

    Each word must match the start of the family or given name; a single word may also
    be the start of a chart number, and a date matches the date of birth.
    """
    text = text.strip()
    if not text:
        return None
    birth = parse_date(text)
    if birth is not None:
        return Patient.date_of_birth == birth
    words = [search_key(word) for word in re.split(r"[\s,]+", text) if word]
    if not words:  # only separators
        return None
    names = and_(
        *(
            or_(_prefix(Patient.family_name_key, word), _prefix(Patient.given_name_key, word))
            for word in words
        )
    )
    if len(words) == 1:
        return or_(names, _prefix(Patient.chart_number, text.upper()))
    return names


def plain(db: Database, text: str, include_archived: bool) -> list[tuple[object, ...]]:
    """Every matching register line in register order, as one plain query."""
    query = select(*LINE_COLUMNS)
    condition = search_condition(text)
    if condition is not None:
        query = query.where(condition)  # type: ignore[arg-type]
    if not include_archived:
        query = query.where(Patient.archived.is_(False))
    query = query.order_by(Patient.family_name_key, Patient.given_name_key, Patient.id)
    with db.reading() as session:
        return [tuple(row) for row in session.execute(query)]


def add_crowded_patients(
    db: Database, count: int = 300, seed: int = 6, names: tuple[str, ...] = NAMES
) -> Database:
    """*count* patients whose names, chart numbers and birthdays share prefixes and values."""
    rng = random.Random(seed)
    rows = []
    for number in range(1, count + 1):
        family, given = rng.choice(names), rng.choice(names)
        born = (
            SHARED_BIRTHDAY
            if number % 5 == 0
            else date(1950, 1, 1) + timedelta(days=rng.randrange(20_000))
        )
        rows.append(
            dict(
                chart_number=f"MO{number:04d}" if number % 7 == 0 else f"P{number:06d}",
                family_name=family,
                given_name=given,
                family_name_key=search_key(family),
                given_name_key=search_key(given),
                date_of_birth=born,
                phone=f"0161 {number:06d}",
                archived=number % 11 == 0,
            )
        )
    with db.transaction() as session:
        session.execute(insert(Patient), rows)
    return db
