"""SQLite writes the same canonical JSON as ``signing`` for everything the app stores.

`check` trusts the SQL-built text only when its hash matches; any other difference sends
the session through the Python form again. So a difference is never a wrong verdict, but
it would make `check` slow: these tests pin that, for any text, flag and float the app
can store, the two forms are the same bytes.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, event, insert, select, text
from sqlalchemy.exc import OperationalError

from dnt_desktop.models import AlertAcknowledgement, Base, NeedlingPoint, SideEffect
from dnt_desktop.services.canonical_sql import object_sql
from dnt_desktop.services.signing import (
    ACKNOWLEDGEMENT_FIELDS,
    EFFECT_FIELDS,
    POINT_FIELDS,
    canonical_text,
)
from dnt_desktop.storage.record_hashes import pick

TEXT = st.text(
    st.characters(blacklist_categories=("Cs",), max_codepoint=0x1F9FF)
    | st.sampled_from(list('"\\\x00\x01\x1f\x7f\u2028\u2029') + list(string.whitespace)),
    max_size=40,
)
COORDINATE = (
    st.floats(min_value=0.0001, max_value=1.0).filter(lambda v: abs(v * 1e6 % 1 - 0.5) > 1e-6)
    | st.just(0.0)
    | st.just(1.0)
)
"""Where a click lands, to full precision (a value within 1e-12 of a rounding tie, or under
0.0001, is written differently by SQLite and goes the Python way: see the last test)."""
MILLIMETRES = st.integers(min_value=1, max_value=20_000).map(lambda hundredths: hundredths / 100)
"""What is typed into the editor's spin boxes."""
MOMENT = st.datetimes(
    min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31), timezones=st.just(UTC)
)


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = create_engine("sqlite+pysqlite://")  # one in-memory database per thread

    @event.listens_for(engine, "connect")
    def _any_value(dbapi_connection: object, _record: object) -> None:
        # The values, not the clinical limits, are under test (and tampered rows ignore them).
        dbapi_connection.execute("PRAGMA ignore_check_constraints = ON")  # type: ignore[attr-defined]

    with engine.begin() as conn:
        Base.metadata.create_all(conn)
    yield engine
    engine.dispose()


def _same_text(
    engine: Engine, model: type, fields: tuple[str, ...], row: dict[str, object]
) -> None:
    table = model.__table__  # type: ignore[attr-defined]
    value, valid = object_sql(table, fields, "c")
    with engine.begin() as conn:
        conn.execute(table.delete())
        conn.execute(insert(table), [row])
        stored = conn.execute(select(table)).mappings().one()
        built, trusted = conn.execute(text(f"SELECT {value}, {valid} FROM {table.name} c")).one()
    assert trusted == 1
    assert built == canonical_text(pick(stored, fields))


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    notes=TEXT,
    muscle=TEXT,
    x=COORDINATE,
    y=COORDINATE,
    depth=MILLIMETRES,
    gauge=st.sampled_from([0.16, 0.18, 0.2, 0.25, 0.3, 0.30000000000000004, 0.35]),
    length=MILLIMETRES,
    insertions=st.integers(min_value=1, max_value=1000),
    twitch=st.booleans(),
)
def test_a_point_is_written_the_same(
    engine: Engine,
    notes: str,
    muscle: str,
    x: float,
    y: float,
    depth: float,
    gauge: float,
    length: float,
    insertions: int,
    twitch: bool,
) -> None:
    row = {
        "session_id": 1,
        "number": 1,
        "muscle_code": muscle,
        "side": "left",
        "view": "front",
        "x": x,
        "y": y,
        "depth_class": "deep",
        "depth_mm": depth,
        "needle_gauge_mm": gauge,
        "needle_length_mm": length,
        "insertions": insertions,
        "twitch_response": twitch,
        "technique": "static",
        "notes": notes,
    }
    _same_text(engine, NeedlingPoint, POINT_FIELDS, row)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(message=TEXT, at=MOMENT, by=st.integers(min_value=1, max_value=10**9))
def test_an_acknowledgement_is_written_the_same(
    engine: Engine, message: str, at: datetime, by: int
) -> None:
    row = {
        "session_id": 1,
        "code": "deep_lung_risk",
        "message": message,
        "acknowledged_by_id": by,
        "acknowledged_at": at,
    }
    _same_text(engine, AlertAcknowledgement, ACKNOWLEDGEMENT_FIELDS, row)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(action=TEXT, resolved=st.booleans())
def test_a_side_effect_is_written_the_same(engine: Engine, action: str, resolved: bool) -> None:
    row = {
        "session_id": 1,
        "code": "bruising",
        "other_text": "",
        "severity": "mild",
        "onset": "after",
        "resolved": resolved,
        "action_taken": action,
        "notes": action[::-1],
    }
    _same_text(engine, SideEffect, EFFECT_FIELDS, row)


def _store_point(engine: Engine, column: str, stored: object) -> tuple[object, object]:
    """A point with *stored* written into *column* behind the app's back:
    (the SQL-built JSON, whether the SQL trusts it)."""
    table = NeedlingPoint.__table__  # type: ignore[attr-defined]
    value, valid = object_sql(table, POINT_FIELDS, "c")
    with engine.begin() as conn:
        conn.execute(table.delete())
        conn.exec_driver_sql(
            "INSERT INTO needling_point (session_id, number, muscle_code, side, view, x, y, "
            "depth_class, depth_mm, needle_gauge_mm, needle_length_mm, insertions, "
            "twitch_response, technique, notes) VALUES "
            "(1, 1, 'm', 'left', 'front', 0.5, 0.5, 'deep', 12, 0.25, 25, 1, 0, 'static', '')"
        )
        conn.exec_driver_sql(
            f"UPDATE needling_point SET {column} = ? WHERE session_id = 1", (stored,)
        )
        built, trusted = conn.execute(text(f"SELECT {value}, {valid} FROM needling_point c")).one()
    return built, trusted


def test_a_flag_that_is_neither_0_nor_1_is_not_trusted(engine: Engine) -> None:
    assert _store_point(engine, "twitch_response", 2)[1] == 0


@pytest.mark.parametrize("stored", ["abc", "0.5x", b"\x00"])
def test_text_where_a_number_belongs_is_written_as_the_typed_column_reads_it(
    engine: Engine, stored: object
) -> None:
    """Never rounded into a number: a string (so the hash differs from the signed one),
    or for a BLOB no text at all (the statement fails and the session is read typed)."""
    if isinstance(stored, bytes):
        with pytest.raises(OperationalError, match="BLOB"):
            _store_point(engine, "x", stored)
        return
    built, trusted = _store_point(engine, "x", stored)
    assert trusted == 1 and f'"x":"{stored}"' in str(built)
