"""The demo's fast rows: their signatures are the app's, and a seed gives the same rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.dialects import sqlite

from dnt_desktop.demo import rows as demo_rows
from dnt_desktop.demo.rows import TABLES, ChunkJob, Setting, make_chunk, session_count
from dnt_desktop.models import (
    Consent,
    NeedlingPoint,
    Patient,
    Screening,
    ScreeningAnswer,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.session_shape import SESSION
from dnt_desktop.services.signing import content_hash_of_row, seal

NOW = datetime(2026, 12, 5, 11, 57, 48, tzinfo=UTC)
SETTING = Setting(seed=7, now=NOW, practitioners=(1, 2, 3))
MODELS = {
    "patient": Patient,
    "screening": Screening,
    "screening_answer": ScreeningAnswer,
    "consent": Consent,
    "treatment_session": TreatmentSession,
    "session_condition": SessionCondition,
    "session_adjunct": SessionAdjunct,
    "needling_point": NeedlingPoint,
    "side_effect": SideEffect,
}


def _job(number: int, count: int = 40) -> ChunkJob:
    return ChunkJob(SETTING, number, 1 + number * count, count, 1000 * number + 1, number + 1)


def _moment(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


def _as_read(table: str, row: tuple[object, ...]) -> dict[str, object]:
    """A row as the app reads it back: aware datetimes and booleans."""
    model = MODELS[table]
    values = dict(zip(TABLES[table], row, strict=True))
    for name, value in values.items():
        kind = type(model.__table__.c[name].type).__name__
        if kind == "UTCDateTime":
            values[name] = _moment(value)  # type: ignore[arg-type]
        elif kind == "Date" and value is not None:
            values[name] = date.fromisoformat(value)  # type: ignore[arg-type]
        elif kind == "Boolean":
            values[name] = bool(value)
    return values


@pytest.mark.parametrize("number", [0, 1, 5, 23])
def test_every_signed_session_hashes_as_signing_does(number: int) -> None:
    chunk = make_chunk(_job(number))
    children: dict[str, dict[object, list[dict[str, object]]]] = {}
    for table in ("session_condition", "session_adjunct", "needling_point", "side_effect"):
        children[table] = defaultdict(list)
        for row in chunk.rows[table]:
            values = _as_read(table, row)
            children[table][values["session_id"]].append(values)
    seals = {sid: sealed for sid, _pid, _by, _summary, sealed in chunk.signatures}
    signed = 0
    for row in chunk.rows["treatment_session"]:
        session = _as_read("treatment_session", row)
        sid = session["id"]
        expected = content_hash_of_row(
            session,
            children["session_condition"][sid],
            children["session_adjunct"][sid],
            children["needling_point"][sid],
            children["side_effect"][sid],
        )
        if session["status"] == "signed":
            signed += 1
            assert session["content_hash"] == expected
            assert seals[sid] == seal(expected, [])
        else:
            assert session["content_hash"] is None and sid not in seals
    assert signed > 100
    assert len(seals) == signed


def test_the_rows_are_the_columns_the_app_stores() -> None:
    """Values are what the columns' own bind processors would write to SQLite."""
    dialect = sqlite.dialect()
    chunk = make_chunk(_job(3))
    for table, columns in TABLES.items():
        model_table = MODELS[table].__table__
        assert set(columns) <= set(model_table.c.keys())
        processors = [model_table.c[c].type._cached_bind_processor(dialect) for c in columns]
        assert chunk.rows[table], table
        for row in chunk.rows[table][:300]:
            read = _as_read(table, row)
            for name, process, value in zip(columns, processors, row, strict=True):
                original = read[name]
                stored = original if process is None else process(original)
                assert stored == value and type(stored) is type(value), (table, name)


def test_the_session_columns_follow_the_declaration() -> None:
    """A charted field added to SessionDraft must be added to the demo's rows too."""
    assert SESSION.charted == demo_rows.SESSION_CHARTED
    assert set(SESSION.charted) <= {f.name for f in fields(SessionDraft)}


def test_a_chunk_is_the_same_for_the_same_seed_and_differs_for_another() -> None:
    assert make_chunk(_job(2)) == make_chunk(_job(2))
    other = ChunkJob(Setting(8, NOW, (1, 2, 3)), 2, 81, 40, 2001, 3)
    assert make_chunk(other).rows["patient"] != make_chunk(_job(2)).rows["patient"]


def test_the_skeleton_says_how_many_sessions_a_chunk_holds() -> None:
    for number in range(4):
        chunk = make_chunk(_job(number))
        assert len(chunk.rows["treatment_session"]) == session_count(7, number, 40)
        ids = [row[0] for row in chunk.rows["treatment_session"]]
        assert ids == list(range(1000 * number + 1, 1000 * number + 1 + len(ids)))


def test_the_signature_events_chain_as_the_audit_trail_does() -> None:
    from dnt_desktop.demo.bulk import signature_events
    from dnt_desktop.services import audit

    chunk = make_chunk(_job(1))
    events = signature_events(audit.GENESIS_HASH, NOW, chunk.signatures[:50])
    prev = audit.GENESIS_HASH
    for (sid, pid, signer, summary, sealed), row in zip(chunk.signatures, events, strict=False):
        stored, actor, action, kind, entity, patient, text, station, before, digest, record = row
        assert (actor, action, kind, entity, patient) == (signer, "sign", "session", sid, pid)
        assert (text, record, before, station) == (summary, sealed, prev, audit.workstation())
        assert stored == "2026-12-05 11:57:48.000000"
        assert digest == audit.chain_hash(
            prev, NOW, signer, "sign", "session", sid, pid, summary, station, sealed
        )
        prev = digest
