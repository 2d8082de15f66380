"""Charting treatment sessions: save drafts, load them back, list a patient's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from dnt_desktop.models import (
    AlertAcknowledgement,
    Amendment,
    LateEvent,
    NeedlingPoint,
    Patient,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
    catalogue,
    utcnow,
)
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import NO_CHANGES, Changes
from .drafts import SessionDraft
from .errors import NotFoundError, SignedRecordError, ValidationError, check_version
from .rules import Alert, session_problems
from .session_shape import CHILDREN, SESSION, column_values, draft_of

_SESSIONS: Table = TreatmentSession.__table__  # type: ignore[assignment]
_CONDITIONS: Table = SessionCondition.__table__  # type: ignore[assignment]
_ADJUNCTS: Table = SessionAdjunct.__table__  # type: ignore[assignment]
_POINTS: Table = NeedlingPoint.__table__  # type: ignore[assignment]
_EFFECTS: Table = SideEffect.__table__  # type: ignore[assignment]
_ACKNOWLEDGEMENTS: Table = AlertAcknowledgement.__table__  # type: ignore[assignment]
_PATIENTS: Table = Patient.__table__  # type: ignore[assignment]
_CHARTED_LISTS = (_CONDITIONS, _ADJUNCTS, _POINTS, _EFFECTS)
"""The lists a save rewrites; acknowledgements (and amendments) are only ever added."""

_PATIENT_EXISTS = select(_PATIENTS.c.id).where(_PATIENTS.c.id == bindparam("patient_id"))
_SESSION_STATE = select(_SESSIONS.c.status, _SESSIONS.c.version).where(
    _SESSIONS.c.id == bindparam("session_id")
)
_INSERT_SESSION = insert(_SESSIONS)
_UPDATE_SESSION = update(_SESSIONS).where(
    _SESSIONS.c.id == bindparam("session_id"),
    _SESSIONS.c.version == bindparam("stored_version"),
)
_CLEAR_LIST = {
    table: delete(table).where(table.c.session_id == bindparam("session_id"))
    for table in _CHARTED_LISTS
}
_INSERT_ROWS = {table: insert(table) for table in (*_CHARTED_LISTS, _ACKNOWLEDGEMENTS)}


@dataclass(frozen=True)
class SavedSession:
    """What a save changed: the session's id and its new version."""

    session_id: int
    version: int
    created: bool
    changes: Changes = NO_CHANGES
    """The notice to broadcast: this session of its patient."""


def _list_rows(
    session_id: int, draft: SessionDraft, actor_id: int, acknowledged: list[Alert], now: datetime
) -> dict[Table, list[dict[str, Any]]]:
    """The rows of each list a save writes, by table; empty lists are left out."""
    rows: dict[Table, list[dict[str, Any]]] = {
        _CONDITIONS: [column_values(c, session_id=session_id) for c in draft.conditions],
        _ADJUNCTS: [column_values(a, session_id=session_id) for a in draft.adjuncts],
        _POINTS: [  # numbered in the order of the list, as the editor shows them
            column_values(p, session_id=session_id, number=number)
            for number, p in enumerate(draft.points, start=1)
        ],
        _EFFECTS: [column_values(e, session_id=session_id) for e in draft.side_effects],
        _ACKNOWLEDGEMENTS: [
            {
                "session_id": session_id,
                "code": alert.code,
                "message": alert.text,
                "acknowledged_by_id": actor_id,
                "acknowledged_at": now,
            }
            for alert in acknowledged
        ],
    }
    return {table: values for table, values in rows.items() if values}


def _summary(draft: SessionDraft) -> str:
    labels = ", ".join(catalogue.label_of("condition", c.code) for c in draft.conditions)
    return f"{len(draft.points)} point(s), {len(draft.side_effects)} side effect(s)" + (
        f"; {labels}" if labels else ""
    )


def save_session(
    db: Database,
    actor_id: int,
    draft: SessionDraft,
    acknowledged: list[Alert] | None = None,
) -> SavedSession:
    """Create or update a draft session in one transaction.

    Raises ValidationError when a rule is broken, SignedRecordError for a signed session,
    and ConcurrentChangeError when the draft changed elsewhere since it was opened.
    ``acknowledged`` alerts are stored with the session as confirmed by *actor_id*.

    The rows go out as Core statements on the transaction's connection, one executemany
    per list instead of an ORM flush of every object, and nothing known is read back: a
    new session is at most 9 statements, whatever its number of points.
    """
    problems = session_problems(draft)
    if problems:
        raise ValidationError(problems)
    created = draft.session_id is None

    def work(session: Session) -> SavedSession:
        connection = session.connection()
        if connection.execute(_PATIENT_EXISTS, {"patient_id": draft.patient_id}).first() is None:
            raise NotFoundError(f"Patient {draft.patient_id} does not exist.")
        now = utcnow()
        values = column_values(draft)
        if draft.session_id is None:
            new_row = {
                **values,
                "status": SessionStatus.DRAFT,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            # lastrowid on SQLite (any version), RETURNING on PostgreSQL
            session_id = connection.execute(_INSERT_SESSION, new_row).inserted_primary_key[0]
            version = 1
        else:
            session_id = draft.session_id
            version = _overwrite(connection, session_id, draft.version, values, now)
        for table, rows in _list_rows(session_id, draft, actor_id, acknowledged or [], now).items():
            connection.execute(_INSERT_ROWS[table], rows)
        audit.record(
            session,
            actor_id,
            "create" if created else "update",
            entity_type="session",
            entity_id=session_id,
            patient_id=draft.patient_id,
            summary=_summary(draft),
        )
        return SavedSession(
            session_id, version, created, Changes.session(session_id, draft.patient_id)
        )

    return db.run_in_transaction(work)  # retried a few times while another PC saves


def _overwrite(
    connection: Connection,
    session_id: int,
    expected_version: int | None,
    values: dict[str, Any],
    now: datetime,
) -> int:
    """Overwrite a draft's own row and empty its charted lists; returns the new version.

    The UPDATE names the version it read, so a save from another workstation in between
    (possible on PostgreSQL, whose writers do not queue at BEGIN) is refused, never lost.
    """
    stored = connection.execute(_SESSION_STATE, {"session_id": session_id}).first()
    if stored is None:
        raise NotFoundError(f"Session {session_id} does not exist.")
    if stored.status == SessionStatus.SIGNED:
        raise SignedRecordError(
            "This session is signed and cannot be changed. Add an amendment instead."
        )
    check_version(stored.version, expected_version, "session")
    version: int = stored.version + 1
    changed = connection.execute(
        _UPDATE_SESSION,
        {
            **values,
            "session_id": session_id,
            "stored_version": stored.version,
            "updated_at": now,
            "version": version,
        },
    )
    if changed.rowcount != 1:  # the storage layer reports it as a concurrent change
        raise StaleDataError(f"treatment_session {session_id} changed since it was read")
    for table in _CHARTED_LISTS:
        connection.execute(_CLEAR_LIST[table], {"session_id": session_id})
    return version


def load_session_in(session: Session, session_id: int) -> TreatmentSession:
    """A session with everything charted in it, inside an open session.

    The one loader of a whole session (editor, signing, signature check): its charted
    lists, acknowledgements, amendments with their authors, deliveries, patient,
    practitioner and signer, in a fixed number of queries. NotFoundError if there is none.
    """
    row = session.scalars(
        select(TreatmentSession)
        .where(TreatmentSession.id == session_id)
        .options(
            joinedload(TreatmentSession.patient),
            joinedload(TreatmentSession.practitioner),
            joinedload(TreatmentSession.signed_by),
            selectinload(TreatmentSession.conditions),
            selectinload(TreatmentSession.adjuncts),
            selectinload(TreatmentSession.points),
            selectinload(TreatmentSession.side_effects),
            selectinload(TreatmentSession.acknowledgements),
            selectinload(TreatmentSession.amendments).joinedload(Amendment.author),
            selectinload(TreatmentSession.deliveries),
        )
    ).first()
    if row is None:
        raise NotFoundError(f"Session {session_id} does not exist.")
    return row


def load_session(db: Database, session_id: int) -> TreatmentSession:
    """A session with everything charted in it loaded (detached, read-only use)."""
    with db.reading() as session:
        return load_session_in(session, session_id)


def draft_from(row: TreatmentSession) -> SessionDraft:
    """The editor's view of a stored session."""
    draft: SessionDraft = draft_of(SESSION, row)
    for name, shape in CHILDREN.items():  # the relationships are named as the draft's lists
        setattr(draft, name, [draft_of(shape, child) for child in getattr(row, name)])
    draft.session_id, draft.version = row.id, row.version
    return draft


@dataclass(frozen=True)
class HistoryRow:
    """One line of a patient's session history."""

    session_id: int
    started_at: datetime
    conditions: str
    point_count: int
    pain_before: int | None
    pain_after: int | None
    side_effects: str
    status: SessionStatus
    practitioner: str
    aftercare_given: bool
    amendment_count: int = 0
    late_events: str = ""
    """Events reported after signing (issue 16), as 'Bruising (mild, reported later)'."""
    late_event_count: int = 0


def session_history(db: Database, patient_id: int) -> list[HistoryRow]:
    """The patient's sessions, newest first, in a fixed number of queries."""
    with db.reading() as session:
        return session_history_in(session, patient_id)


def session_history_in(session: Session, patient_id: int) -> list[HistoryRow]:
    """As session_history, inside an open session."""
    rows = session.scalars(
        select(TreatmentSession)
        .where(TreatmentSession.patient_id == patient_id)
        .order_by(TreatmentSession.started_at.desc(), TreatmentSession.id.desc())
        .options(
            selectinload(TreatmentSession.conditions),
            selectinload(TreatmentSession.side_effects),
            selectinload(TreatmentSession.practitioner),
            selectinload(TreatmentSession.deliveries),
        )
    ).all()
    ids = [r.id for r in rows]
    counts: dict[int, int] = {}
    amended: dict[int, int] = {}
    if ids:
        counts = dict(
            session.execute(  # type: ignore[arg-type]
                select(NeedlingPoint.session_id, func.count())
                .where(NeedlingPoint.session_id.in_(ids))
                .group_by(NeedlingPoint.session_id)
            ).all()
        )
        amended = dict(
            session.execute(  # type: ignore[arg-type]
                select(Amendment.session_id, func.count())
                .where(Amendment.session_id.in_(ids))
                .group_by(Amendment.session_id)
            ).all()
        )
    late: dict[int, list[str]] = {}
    if ids:
        for session_id, code, severity in session.execute(
            select(LateEvent.session_id, LateEvent.code, LateEvent.severity)
            .where(LateEvent.session_id.in_(ids))
            .order_by(LateEvent.id)
        ):
            late.setdefault(session_id, []).append(
                f"{catalogue.label_of('side_effect', code)} ({severity.value}, reported later)"
            )
    history = []
    for r in rows:
        conditions = ", ".join(
            c.other_text
            if c.code == "other" and c.other_text
            else catalogue.label_of("condition", c.code)
            for c in r.conditions
        )
        effects = ", ".join(
            f"{catalogue.label_of('side_effect', e.code)} ({e.severity.value})"
            for e in r.side_effects
        )
        history.append(
            HistoryRow(
                session_id=r.id,
                started_at=r.started_at,
                conditions=conditions,
                point_count=counts.get(r.id, 0),
                pain_before=r.pain_before,
                pain_after=r.pain_after,
                side_effects=effects,
                status=r.status,
                practitioner=r.practitioner.full_name,
                aftercare_given=bool(r.deliveries),
                amendment_count=amended.get(r.id, 0),
                late_events=", ".join(late.get(r.id, [])),
                late_event_count=len(late.get(r.id, [])),
            )
        )
    return history
