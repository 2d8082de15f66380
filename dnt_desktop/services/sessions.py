"""Charting treatment sessions: save drafts, load them back, list a patient's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import (
    AlertAcknowledgement,
    Amendment,
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
from .drafts import AdjunctDraft, ConditionDraft, PointDraft, SessionDraft, SideEffectDraft
from .errors import NotFoundError, SignedRecordError, ValidationError, check_version
from .rules import Alert, session_problems

_POINT_FIELDS = (
    "muscle_code",
    "side",
    "view",
    "x",
    "y",
    "depth_class",
    "depth_mm",
    "needle_gauge_mm",
    "needle_length_mm",
    "insertions",
    "twitch_response",
    "technique",
    "notes",
)
_EFFECT_FIELDS = (
    "code",
    "severity",
    "onset",
    "resolved",
    "action_taken",
    "notes",
    "other_text",
)


@dataclass(frozen=True)
class SavedSession:
    """What a save changed: the session's id and its new version."""

    session_id: int
    version: int
    created: bool


def _fill(row: TreatmentSession, draft: SessionDraft) -> None:
    row.patient_id = draft.patient_id
    row.practitioner_id = draft.practitioner_id
    row.started_at = draft.started_at
    row.pain_before = draft.pain_before
    row.pain_after = draft.pain_after
    row.notes = draft.notes.strip()
    row.thermal_advice = draft.thermal_advice
    row.stretches = draft.stretches.strip()
    row.next_appointment = draft.next_appointment
    row.conditions = [
        SessionCondition(code=c.code, other_text=c.other_text.strip()) for c in draft.conditions
    ]
    row.adjuncts = [SessionAdjunct(code=a.code, detail=a.detail.strip()) for a in draft.adjuncts]
    row.points = [
        NeedlingPoint(number=i, **{name: getattr(p, name) for name in _POINT_FIELDS})
        for i, p in enumerate(draft.points, start=1)
    ]
    row.side_effects = [
        SideEffect(**{name: getattr(e, name) for name in _EFFECT_FIELDS})
        for e in draft.side_effects
    ]


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
    """
    problems = session_problems(draft)
    if problems:
        raise ValidationError(problems)

    def work(session: Session) -> SavedSession:
        if session.get(Patient, draft.patient_id) is None:
            raise NotFoundError(f"Patient {draft.patient_id} does not exist.")
        created = draft.session_id is None
        if created:
            row = TreatmentSession(status=SessionStatus.DRAFT)
            session.add(row)
        else:
            row = _load(session, draft.session_id)  # type: ignore[arg-type]
            if row.status == SessionStatus.SIGNED:
                raise SignedRecordError(
                    "This session is signed and cannot be changed. Add an amendment instead."
                )
            check_version(row.version, draft.version, "session")
        _fill(row, draft)
        if not created:
            row.updated_at = utcnow()  # an UPDATE even when only points changed: bumps version
        session.flush()
        for alert in acknowledged or []:
            session.add(
                AlertAcknowledgement(
                    session_id=row.id,
                    code=alert.code,
                    message=alert.text,
                    acknowledged_by_id=actor_id,
                )
            )
        audit.record(
            session,
            actor_id,
            "create" if created else "update",
            entity_type="session",
            entity_id=row.id,
            patient_id=draft.patient_id,
            summary=_summary(draft),
        )
        session.flush()
        return SavedSession(row.id, row.version, created)

    return db.run_in_transaction(work)  # retried a few times while another PC saves


def _load(session: Session, session_id: int) -> TreatmentSession:
    row = session.scalars(
        select(TreatmentSession)
        .where(TreatmentSession.id == session_id)
        .options(
            selectinload(TreatmentSession.conditions),
            selectinload(TreatmentSession.adjuncts),
            selectinload(TreatmentSession.points),
            selectinload(TreatmentSession.side_effects),
            selectinload(TreatmentSession.acknowledgements),
            selectinload(TreatmentSession.amendments),
            selectinload(TreatmentSession.deliveries),
        )
    ).first()
    if row is None:
        raise NotFoundError(f"Session {session_id} does not exist.")
    return row


def load_session(db: Database, session_id: int) -> TreatmentSession:
    """A session with everything charted in it loaded (detached, read-only use)."""
    with db.reading() as session:
        row = _load(session, session_id)
        _ = row.patient, row.practitioner, row.signed_by
        for amendment in row.amendments:
            _ = amendment.author
        return row


def draft_from(row: TreatmentSession) -> SessionDraft:
    """The editor's view of a stored session."""
    return SessionDraft(
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        started_at=row.started_at,
        conditions=[ConditionDraft(c.code, c.other_text) for c in row.conditions],
        pain_before=row.pain_before,
        pain_after=row.pain_after,
        adjuncts=[AdjunctDraft(a.code, a.detail) for a in row.adjuncts],
        notes=row.notes,
        points=[
            PointDraft(**{name: getattr(p, name) for name in _POINT_FIELDS}) for p in row.points
        ],
        side_effects=[
            SideEffectDraft(**{name: getattr(e, name) for name in _EFFECT_FIELDS})
            for e in row.side_effects
        ],
        thermal_advice=row.thermal_advice,
        stretches=row.stretches,
        next_appointment=row.next_appointment,
        session_id=row.id,
        version=row.version,
    )


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
            )
        )
    return history
