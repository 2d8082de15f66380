"""Signed sessions and amendments against their hashes and their audit events.

For every signed session ``check`` recomputes the content hash and compares it with the
stored one, computes the seal (stored content hash and alert acknowledgements) and
compares it with the one signature event of the audit trail; every signature event must
name a session that exists and is signed; every amendment must have its amendment event
and every amendment event its amendment. The audit rows themselves are vouched for by
the hash chain (``audit_chain``), whose head is anchored outside the database.

On SQLite the canonical JSON is built in SQL (``canonical_sql``), a window of session
ids at a time: one statement per table gives each session's JSON (through the
session_id indexes), and the text is hashed beside it, in worker processes for a large
database (``check_workers``). Whatever the SQL text does not prove (a value in an
unexpected form, a hash or a signature that does not match) is read again through the
typed columns, in the caller's one read transaction, and judged exactly as ``signing``
hashes it, which is also how PostgreSQL is read.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.exc import DBAPIError

from dnt_desktop.models import (
    AlertAcknowledgement,
    Amendment,
    AuditEvent,
    NeedlingPoint,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.models.enums import SessionStatus

from .audit import (
    AMENDMENT_ACTIONS,
    DISPOSE_AMENDMENT_ACTION,
    DISPOSE_SESSION_ACTION,
    SIGNATURE_ACTIONS,
)
from .canonical_sql import list_sql, own_object_sql_unless_default
from .check_workers import Runner, SessionStatements, hash_sessions
from .disposal_check import retired_or_read
from .safety.late_events import late_event_problems
from .signing import (
    ACKNOWLEDGEMENT_FIELDS,
    ADJUNCT_FIELDS,
    CONDITION_FIELDS,
    EFFECT_FIELDS,
    POINT_FIELDS,
    SESSION_FIELDS,
    SESSION_SIGNED_WHEN_SET,
    acknowledgements_text,
    amendment_hash,
    content_hash_of_row,
    seal_of_text,
)

_SESSIONS: Table = TreatmentSession.__table__  # type: ignore[assignment]
_ACKS: Table = AlertAcknowledgement.__table__  # type: ignore[assignment]
_AMENDMENTS: Table = Amendment.__table__  # type: ignore[assignment]
_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]
_LISTS: dict[str, tuple[Table, Sequence[str]]] = {
    "adjuncts": (SessionAdjunct.__table__, ADJUNCT_FIELDS),  # type: ignore[dict-item]
    "conditions": (SessionCondition.__table__, CONDITION_FIELDS),  # type: ignore[dict-item]
    "points": (NeedlingPoint.__table__, POINT_FIELDS),  # type: ignore[dict-item]
    "side_effects": (SideEffect.__table__, EFFECT_FIELDS),  # type: ignore[dict-item]
}
"""The lists of the content document (``signing.content_hash_of_row``) by key."""
_BATCH = 500
WINDOW = 20_000
"""Session ids per window: enough to keep the worker threads busy, little memory."""
_READ_ERRORS = (ValueError, TypeError, LookupError, AttributeError, DBAPIError)
"""What a stored value that the app never writes raises when read or hashed."""


@dataclass
class SignedSession:
    """What the check knows about one signed session."""

    session_id: int
    content_hash: str | None
    computed: str | None = None
    """The content hash recomputed from the stored rows (None: they cannot be read)."""
    seal: str | None = None
    """The seal of the stored content hash and acknowledgements (None: unreadable)."""
    signatures: list[tuple[int, str]] = field(default_factory=list)
    """(audit event id, recorded seal) of its signature events."""
    disposals: list[tuple[int, str]] = field(default_factory=list)
    """(audit event id, recorded seal) of the disposals that anonymised it (0011)."""
    unreadable: bool = False


def _actions(names: Sequence[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


_SESSIONS_IN = (
    "SELECT s.id, s.content_hash, "
    f"{own_object_sql_unless_default(_SESSIONS, SESSION_FIELDS, SESSION_SIGNED_WHEN_SET, 's')} "
    "FROM treatment_session s WHERE s.status = 'signed' AND s.id >= ? AND s.id < ? "
    "ORDER BY s.id"
)
_LISTS_IN = {
    key: (
        f"SELECT c.session_id, {list_sql(table, fields)} FROM {table.name} c "
        "WHERE c.session_id >= ? AND c.session_id < ? GROUP BY c.session_id"
    )
    for key, (table, fields) in (*_LISTS.items(), ("acks", (_ACKS, ACKNOWLEDGEMENT_FIELDS)))
}
_SIGNATURES_IN = (
    "SELECT e.entity_id, group_concat(e.id || ':' || e.record_hash, ' ') FROM audit_event e "
    "WHERE e.entity_type = 'session' AND e.entity_id >= ? AND e.entity_id < ? "
    f"AND e.action IN ({_actions((*SIGNATURE_ACTIONS, DISPOSE_SESSION_ACTION))}) "
    "AND e.record_hash IS NOT NULL "
    "GROUP BY e.entity_id"
)
_DOCUMENT_KEYS = tuple(sorted((*_LISTS, "session")))


_STATEMENTS = SessionStatements(
    sessions=_SESSIONS_IN,
    lists=tuple(_LISTS_IN[key] for key in _DOCUMENT_KEYS if key != "session"),
    keys=_DOCUMENT_KEYS,
    acknowledgements=_LISTS_IN["acks"],
    signatures=_SIGNATURES_IN,
)


def _parse_signatures(text: str | None, retired: frozenset[int]) -> list[tuple[int, str]]:
    found = []
    for item in (text or "").split():
        event_id, _, recorded = item.partition(":")
        if int(event_id) not in retired:  # vouched for by an erasure (disposal_check)
            found.append((int(event_id), recorded))
    return sorted(found)


@dataclass
class _Plan:
    """The windows of signed session ids, the first ones already being hashed."""

    lows: list[int]
    started: dict[int, Future[list[Any]]]


AHEAD = 4
"""Windows hashed ahead of the one being judged (by the worker processes)."""


def _plan(connection: Connection, runner: Runner) -> _Plan:
    low, high = connection.execute(
        select(func.min(_SESSIONS.c.id), func.max(_SESSIONS.c.id)).where(
            _SESSIONS.c.status == SessionStatus.SIGNED
        )
    ).one()
    lows = [] if low is None else list(range(low, high + 1, WINDOW))
    ahead = lows[:AHEAD] if runner.parallel else []
    return _Plan(lows, {start: _hash_window(runner, start) for start in ahead})


def _hash_window(runner: Runner, low: int) -> Future[list[Any]]:
    return runner.submit(hash_sessions, _STATEMENTS, low, low + WINDOW)


def _sqlite_signed(
    connection: Connection, runner: Runner, plan: _Plan, retired: frozenset[int]
) -> Iterator[SignedSession]:
    """Every signed session, hashed from SQL-built text; doubtful ones judged typed."""
    for index, start in enumerate(plan.lows):
        future = plan.started.pop(start, None) or _hash_window(runner, start)
        if runner.parallel and index + AHEAD < len(plan.lows):
            following = plan.lows[index + AHEAD]
            plan.started[following] = _hash_window(runner, following)
        try:
            rows = future.result()
        except sqlite3.Error:  # e.g. a BLOB where text belongs: judge the window typed
            yield from _portable_signed(connection, retired, start, start + WINDOW)
            continue
        doubtful: list[SignedSession] = []
        for session_id, stored, computed, seal, signatures in rows:
            item = SignedSession(
                session_id, stored, computed, seal, _parse_signatures(signatures, retired)
            )
            if (
                computed is not None
                and computed == stored
                and len(item.signatures) == 1
                and item.signatures[0][1] == seal
            ):
                yield item
            else:  # judged on the typed rows, never on the SQL text alone
                doubtful.append(item)
        yield from _retyped(connection, doubtful, retired)


def _typed(connection: Connection, ids: Sequence[int]) -> dict[int, SignedSession]:
    """The portable way: typed rows of the signed sessions *ids*, hashed as ``signing`` does."""
    try:
        return _typed_batch(connection, ids)
    except _READ_ERRORS:
        pass
    found = {}
    for session_id in ids:  # one of them cannot be read: find which
        try:
            found.update(_typed_batch(connection, [session_id]))
        except _READ_ERRORS:
            found[session_id] = SignedSession(session_id, None, unreadable=True)
    return found


def _typed_batch(connection: Connection, ids: Sequence[int]) -> dict[int, SignedSession]:
    rows = {
        row["id"]: row
        for row in connection.execute(
            select(_SESSIONS).where(
                _SESSIONS.c.id.in_(ids), _SESSIONS.c.status == SessionStatus.SIGNED
            )
        ).mappings()
    }
    grouped: dict[str, dict[int, list[Any]]] = {}
    for key, table in (*((k, t) for k, (t, _f) in _LISTS.items()), ("acks", _ACKS)):
        children: dict[int, list[Any]] = defaultdict(list)
        for child in connection.execute(
            select(table).where(table.c.session_id.in_(ids)).order_by(table.c.id)
        ).mappings():
            children[child["session_id"]].append(child)
        grouped[key] = children
    found = {}
    for session_id, row in rows.items():
        lists = {key: children.get(session_id, []) for key, children in grouped.items()}
        item = SignedSession(session_id, row["content_hash"])
        item.computed = content_hash_of_row(
            row, lists["conditions"], lists["adjuncts"], lists["points"], lists["side_effects"]
        )
        item.seal = seal_of_text(row["content_hash"], acknowledgements_text(lists["acks"]))
        found[session_id] = item
    return found


def _signatures_of(
    connection: Connection,
    ids: Sequence[int],
    retired: frozenset[int],
    actions: Sequence[str] = SIGNATURE_ACTIONS,
) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for event_id, session_id, recorded in connection.execute(
        select(_EVENTS.c.id, _EVENTS.c.entity_id, _EVENTS.c.record_hash)
        .where(
            _EVENTS.c.entity_type == "session",
            _EVENTS.c.entity_id.in_(ids),
            _EVENTS.c.action.in_(actions),
            _EVENTS.c.record_hash.is_not(None),
        )
        .order_by(_EVENTS.c.id)
    ):
        if event_id not in retired:
            found[session_id].append((event_id, recorded))
    return found


def _judged(
    connection: Connection, ids: Sequence[int], retired: frozenset[int]
) -> Iterator[SignedSession]:
    typed = _typed(connection, ids)
    signatures = _signatures_of(connection, ids, retired)
    disposals = _signatures_of(connection, ids, retired, (DISPOSE_SESSION_ACTION,))
    for session_id in ids:
        item = typed.get(session_id)
        if item is not None:  # not signed in this snapshot: signed since it began
            item.signatures = signatures.get(session_id, [])
            item.disposals = disposals.get(session_id, [])
            yield item


def _retyped(
    connection: Connection, items: list[SignedSession], retired: frozenset[int]
) -> Iterator[SignedSession]:
    """*items* judged again on typed rows and signatures, in the caller's transaction."""
    for start in range(0, len(items), _BATCH):
        batch = [item.session_id for item in items[start : start + _BATCH]]
        yield from _judged(connection, batch, retired)


def _portable_signed(
    connection: Connection, retired: frozenset[int], low: int = 0, high: int | None = None
) -> Iterator[SignedSession]:
    """Signed sessions with ids in [low, high) through typed rows, a batch at a time."""
    last_id = low - 1
    while True:
        query = select(_SESSIONS.c.id).where(
            _SESSIONS.c.status == SessionStatus.SIGNED, _SESSIONS.c.id > last_id
        )
        if high is not None:
            query = query.where(_SESSIONS.c.id < high)
        ids = list(connection.scalars(query.order_by(_SESSIONS.c.id).limit(_BATCH * 4)))
        if not ids:
            return
        last_id = ids[-1]
        yield from _judged(connection, ids, retired)


def session_problems(item: SignedSession) -> list[str]:
    """What is wrong with one signed session (empty when it is as signed)."""
    sid = item.session_id
    if item.unreadable:
        return [f"signed session {sid} cannot be read: a stored value is not valid"]
    problems = []
    if item.content_hash is None:
        problems.append(f"signed session {sid} has no content hash")
    elif item.computed != item.content_hash:
        problems.append(f"signed session {sid} was changed after signing")
    if not item.signatures:
        problems.append(f"signed session {sid} has no signature in the audit trail")
    elif len(item.signatures) > 1:
        events = ", ".join(str(event_id) for event_id, _ in item.signatures)
        problems.append(f"signed session {sid} was signed more than once (audit events {events})")
    elif item.disposals:  # anonymised by a disposal: its last event records the seal
        event_id, recorded = item.disposals[-1]
        if item.disposals[-1][0] < item.signatures[0][0] or recorded != item.seal:
            problems.append(
                f"signed session {sid} does not match its disposal (audit event {event_id}): "
                "it was changed after it was anonymised"
            )
    elif item.signatures[0][1] != item.seal:
        problems.append(
            f"signed session {sid} does not match its signature (audit event "
            f"{item.signatures[0][0]}): its content hash or its alert acknowledgements "
            "were changed"
        )
    return problems


def _signatures_without_session(connection: Connection, retired: frozenset[int]) -> list[str]:
    """Signature events whose session is missing or no longer signed (but those an
    erasure vouches for)."""
    problems = []
    for event_id, session_id, status in connection.execute(
        select(_EVENTS.c.id, _EVENTS.c.entity_id, _SESSIONS.c.status)
        .outerjoin(_SESSIONS, _SESSIONS.c.id == _EVENTS.c.entity_id)
        .where(
            _EVENTS.c.entity_type == "session",
            _EVENTS.c.action.in_(SIGNATURE_ACTIONS),
            _EVENTS.c.record_hash.is_not(None),
            _SESSIONS.c.id.is_(None) | (_SESSIONS.c.status != SessionStatus.SIGNED),
        )
        .order_by(_EVENTS.c.id)
    ):
        if event_id in retired:
            continue
        if status is None:
            problems.append(
                f"signed session {session_id} is missing (audit event {event_id} records "
                "its signature)"
            )
        else:
            problems.append(
                f"session {session_id} is a draft, but audit event {event_id} records its signature"
            )
    return problems


def _amendment_hashes(connection: Connection) -> list[tuple[int, int, str | None]]:
    """(id, session id, hash) of every amendment; the hash None for an unreadable one."""
    query = select(_AMENDMENTS).order_by(_AMENDMENTS.c.id)
    try:
        return [(row.id, row.session_id, amendment_hash(row)) for row in connection.execute(query)]
    except _READ_ERRORS:
        pass
    found: list[tuple[int, int, str | None]] = []
    for amendment_id, session_id in connection.execute(
        select(_AMENDMENTS.c.id, _AMENDMENTS.c.session_id).order_by(_AMENDMENTS.c.id)
    ):
        try:
            row = connection.execute(query.where(_AMENDMENTS.c.id == amendment_id)).one()
            found.append((amendment_id, session_id, amendment_hash(row)))
        except _READ_ERRORS:
            found.append((amendment_id, session_id, None))
    return found


def amendment_problems(connection: Connection, retired: frozenset[int] | None = None) -> list[str]:
    """Amendments without their audit event, and amendment events without their amendment.

    An amendment's event records its hash (id, session, author, time and text): an edited
    amendment matches no event, a removed one leaves its event unmatched (unless an
    erasure vouches for it: *retired*, ``disposal_check``).
    """
    retired = retired_or_read(connection, retired)
    recorded: dict[tuple[int, str], list[int]] = defaultdict(list)
    disposed: dict[tuple[int, str], list[int]] = defaultdict(list)
    for event_id, session_id, digest, action in connection.execute(
        select(_EVENTS.c.id, _EVENTS.c.entity_id, _EVENTS.c.record_hash, _EVENTS.c.action)
        .where(
            _EVENTS.c.entity_type == "session",
            _EVENTS.c.action.in_((*AMENDMENT_ACTIONS, DISPOSE_AMENDMENT_ACTION)),
            _EVENTS.c.record_hash.is_not(None),
        )
        .order_by(_EVENTS.c.id)
    ):
        if event_id in retired:
            continue
        (disposed if action == DISPOSE_AMENDMENT_ACTION else recorded)[(session_id, digest)].append(
            event_id
        )
    # After a disposal its events alone vouch for the session's (anonymised) amendments.
    anonymised = {session_id for session_id, _digest in disposed}
    recorded = defaultdict(
        list, {key: events for key, events in recorded.items() if key[0] not in anonymised}
    )
    recorded.update(disposed)
    problems = []
    for amendment_id, session_id, digest in _amendment_hashes(connection):
        events = recorded.get((session_id, digest)) if digest is not None else None
        if digest is None:
            problems.append(f"amendment {amendment_id} cannot be read: a stored value is not valid")
        elif events:
            events.pop(0)
        else:
            problems.append(
                f"amendment {amendment_id} of session {session_id} is not the one the audit "
                "trail records (it was changed, or added outside dnt-desktop)"
            )
    for (session_id, _digest), events in sorted(recorded.items()):
        for event_id in events:
            problems.append(
                f"audit event {event_id} records an amendment of session {session_id} that is "
                "missing or was changed"
            )
    return problems


class SignedRecordCheck:
    """The check of signed sessions and amendments, begun as soon as it is made.

    On SQLite with a *runner* of worker processes the first windows of sessions are
    hashed while the caller does other work (the audit chain); ``run`` judges them all.
    Make it and run it inside the caller's read transaction (one snapshot).
    """

    def __init__(
        self,
        connection: Connection,
        runner: Runner | None = None,
        retired: frozenset[int] | None = None,
    ) -> None:
        self._connection = connection
        self._retired = retired_or_read(connection, retired)
        self._runner: Runner | None = None
        self._plan: _Plan | None = None
        if connection.dialect.name == "sqlite":
            raw = connection.connection.driver_connection
            self._runner = runner or Runner(raw)  # type: ignore[arg-type]
            self._plan = _plan(connection, self._runner)

    def run(self) -> tuple[list[str], int]:
        """Every problem with signed sessions and amendments, and how many are signed."""
        problems: list[str] = []
        signed = 0
        try:
            items: Iterator[SignedSession] = (
                _sqlite_signed(self._connection, self._runner, self._plan, self._retired)
                if self._runner is not None and self._plan is not None
                else _portable_signed(self._connection, self._retired)
            )
            for item in items:
                signed += 1
                problems += session_problems(item)
        finally:
            self.close()
        problems += _signatures_without_session(self._connection, self._retired)
        problems += amendment_problems(self._connection, self._retired)
        problems += late_event_problems(self._connection, self._retired)
        return problems, signed

    def close(self) -> None:
        """Stop hashing ahead (what a worker has begun is left to finish)."""
        if self._plan is not None:
            for future in self._plan.started.values():
                future.cancel()
            self._plan.started.clear()


def signed_record_problems(
    connection: Connection, runner: Runner | None = None
) -> tuple[list[str], int]:
    """Every problem with signed sessions and amendments, and how many sessions are signed."""
    return SignedRecordCheck(connection, runner).run()
