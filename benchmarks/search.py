"""Search as you type: one keystroke's query and refresh through the register's model,
beside the same SQL statements replayed through raw ``sqlite3``."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from dnt_desktop.models import Patient
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.register.model import PatientTableModel

from .fixtures import common_surname_prefix
from .results import Figure, Goal
from .timing import paired

VISIBLE_ROWS = 25
"""Rows the register shows at the default window size: their cells are fetched."""
GOAL = Goal("<= 2x floor; < 30 ms at 100k", max_ratio=2.0, max_value=30.0, value_from_size=100_000)
LETTER_GOAL = Goal("< 30 ms at any size", max_value=30.0)
"""One letter matches a fifth of the register: what a first keystroke costs ('m': the
given names walked in register order); a rare one ('v': walked, then sorted) as well."""
SAMPLE_PATIENT = 500
"""Chart number and birthday searched are this patient's (the same in every size)."""


def queries(db: Database, patients: int) -> list[tuple[str, str, str]]:
    """(key, title, typed text) of the kinds of search."""
    number = min(SAMPLE_PATIENT, max(1, patients // 2))
    with db.reading() as session:
        born: date = session.scalar(
            select(Patient.date_of_birth).where(Patient.chart_number == f"P{number:06d}")
        )
    return [
        ("search.surname", "search: surname prefix", common_surname_prefix()),
        ("search.chart", "search: chart number", f"P{number:06d}"),
        ("search.birth", "search: date of birth", born.strftime("%d.%m.%Y")),
        ("search.letter", "search: first keystroke", "m"),
        ("search.rare_letter", "search: a rare first letter", "v"),
    ]


def show_first_rows(model: PatientTableModel, text: str) -> None:
    """What one keystroke costs: the search, then the cells of the rows on screen."""
    model.search(text)
    for row in range(min(VISIBLE_ROWS, model.rowCount())):
        for column in range(model.columnCount()):
            model.data(model.index(row, column))


def captured_sql(db: Database, action: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SQL statements (with their parameters) that *action* sends to the driver."""
    statements: list[tuple[str, Any]] = []

    def capture(
        _conn: object, _cursor: object, statement: str, parameters: Any, *_: object
    ) -> None:
        statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    return statements


def replay(connection: sqlite3.Connection, statements: list[tuple[str, Any]]) -> None:
    """Run *statements* through raw sqlite3, fetching every row, ending each transaction.

    The model reads in short transactions (ids, then a page of rows); their ends are not
    statements, so a transaction still open is ended at the next BEGIN.
    """
    for statement, parameters in statements:
        if statement.lstrip().upper().startswith("BEGIN") and connection.in_transaction:
            connection.rollback()
        connection.execute(statement, parameters).fetchall()
    if connection.in_transaction:
        connection.rollback()


def search_figures(db: Database, path: Path, patients: int, repeat: int) -> list[Figure]:
    """The three kinds of search at one database size."""
    model = PatientTableModel(db)
    raw = sqlite3.connect(path, isolation_level=None)
    try:
        figures = []
        for key, title, text in queries(db, patients):
            statements = captured_sql(db, lambda text=text: show_first_rows(model, text))
            app, floor = paired(
                repeat,
                lambda text=text: show_first_rows(model, text),
                lambda statements=statements: replay(raw, statements),
            )
            figures.append(
                Figure(
                    key=key,
                    title=f"{title} '{text}'",
                    size=patients,
                    samples=app,
                    floor=floor,
                    floor_title="the same SQL through raw sqlite3",
                    goal=LETTER_GOAL if key in ("search.letter", "search.rare_letter") else GOAL,
                    detail=f"{model.total:,}{'+' if model.more else ''} match(es), "
                    f"{model.rowCount()} listed",
                )
            )
        return figures
    finally:
        raw.close()
        model.deleteLater()
