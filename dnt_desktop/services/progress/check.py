"""`check` for outcome measures, their retractions and sent letters.

Each is sealed by exactly one audit event recording its hash (``seals``): a measure whose
answers or score were changed, a letter whose text or PDF was changed, one removed, or
one added outside dnt-desktop no longer matches the trail. The audit rows themselves are
vouched for by the hash chain.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, Table, select

from dnt_desktop.models import (
    AuditEvent,
    MeasureAnswer,
    MeasureRetraction,
    OutcomeMeasure,
    SentLetter,
)

from ..disposal_check import retired_or_read
from .seals import (
    LETTER_ACTION,
    MEASURE_ACTION,
    RETRACTION_ACTION,
    letter_hash,
    measure_hash,
    retraction_hash,
)

_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
_MEASURES: Table = OutcomeMeasure.__table__  # type: ignore[assignment]
_ANSWERS: Table = MeasureAnswer.__table__  # type: ignore[assignment]
_RETRACTIONS: Table = MeasureRetraction.__table__  # type: ignore[assignment]
_LETTERS: Table = SentLetter.__table__  # type: ignore[assignment]
_READ_ERRORS = (ValueError, TypeError, LookupError, AttributeError)


def _recorded(
    connection: Connection, action: str, retired: frozenset[int]
) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, entity_id, digest in connection.execute(
        select(_EVENTS.c.id, _EVENTS.c.entity_id, _EVENTS.c.record_hash)
        .where(_EVENTS.c.action == action, _EVENTS.c.record_hash.is_not(None))
        .order_by(_EVENTS.c.id)
    ):
        if event_id not in retired:  # vouched for by an erasure (disposal_check)
            found[entity_id].append((event_id, digest))
    return found


def _judge(
    what: str,
    record_id: int,
    entity_id: int,
    digest: str | None,
    events: dict[int, list[tuple[int, str]]],
) -> list[str]:
    if digest is None:
        return [f"{what} {record_id} cannot be read: a stored value is not valid"]
    mine = events.get(entity_id, [])
    matching = [event for event in mine if event[1] == digest]
    if not matching:
        return [
            f"{what} {record_id} is not the one the audit trail records (it was changed, or "
            "added outside dnt-desktop)"
        ]
    mine.remove(matching[0])
    return []


def _unmatched(what: str, events: dict[int, list[tuple[int, str]]]) -> list[str]:
    return [
        f"audit event {event_id} records {what} {entity_id} that is missing or was changed"
        for entity_id, items in sorted(events.items())
        for event_id, _digest in items
    ]


def _safely(compute: Any, *args: Any) -> str | None:
    try:
        return compute(*args)
    except _READ_ERRORS:
        return None


def progress_problems(connection: Connection, retired: frozenset[int] | None = None) -> list[str]:
    """Every problem with sealed measures, retractions and sent letters (empty: sound).

    *retired*: the events erasures vouch for (``disposal_check``), read when not given.
    """
    retired = retired_or_read(connection, retired)
    problems: list[str] = []
    answers: dict[int, list[Any]] = defaultdict(list)
    for row in connection.execute(select(_ANSWERS).order_by(_ANSWERS.c.id)).mappings():
        answers[row["measure_id"]].append(row)
    events = _recorded(connection, MEASURE_ACTION, retired)
    for row in connection.execute(select(_MEASURES).order_by(_MEASURES.c.id)).mappings():
        digest = _safely(measure_hash, row, answers.pop(row["id"], []))
        problems += _judge("outcome measure", row["id"], row["id"], digest, events)
    problems += _unmatched("outcome measure", events)
    for measure_id in sorted(answers):
        problems.append(f"answers of outcome measure {measure_id} belong to no measure")
    events = _recorded(connection, RETRACTION_ACTION, retired)
    for row in connection.execute(select(_RETRACTIONS).order_by(_RETRACTIONS.c.id)).mappings():
        digest = _safely(retraction_hash, row)
        problems += _judge(
            "the 'entered in error' note", row["id"], row["measure_id"], digest, events
        )
    problems += _unmatched("an 'entered in error' note of measure", events)
    events = _recorded(connection, LETTER_ACTION, retired)
    for row in connection.execute(select(_LETTERS).order_by(_LETTERS.c.id)).mappings():
        pdf = row["pdf"]
        if pdf is None or hashlib.sha256(bytes(pdf)).hexdigest() != row["pdf_sha256"]:
            problems.append(f"sent letter {row['id']}: its PDF is not the one that was sent")
        digest = _safely(letter_hash, row)
        problems += _judge("sent letter", row["id"], row["id"], digest, events)
    problems += _unmatched("sent letter", events)
    return problems
