"""Events reported after signing: the patient phones in the next day with a bruise.

A late event is recorded against a *signed* session as a structured addition (category
from the side-effect catalogue, severity, onset in hours after the treatment, action
taken, who recorded it and when). The signed content and its hash are untouched; the
event is append-only (database triggers of migration 0009) and its audit event
("late_event") records its hash, so ``dnt-desktop check`` finds one changed behind the
triggers (``late_event_problems``). It counts in the Safety report's rates.

A serious event (a category the catalogue marks serious, or severity "severe":
pneumothorax, infection needing treatment, nerve injury, fainting with injury) calls for
an incident report (``pdf.incident``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import Connection, Table, func, select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import LateEvent, Practitioner, TreatmentSession, catalogue, utcnow
from dnt_desktop.models.enums import SessionStatus, Severity
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.record_hashes import canonical_hash, pick

from .. import accounts, audit
from ..changes import Changes
from ..errors import NotFoundError, ValidationError
from ..rules import Problem, is_finite_number, text_problems

LATE_EVENT_ACTION = "late_event"
LATE_EVENT_FIELDS = (
    "id",
    "session_id",
    "code",
    "other_text",
    "severity",
    "onset_hours",
    "action_taken",
    "notes",
    "recorded_by_id",
    "recorded_at",
)
"""A late event's columns in its hash (what its audit event records)."""
MAX_ONSET_HOURS = 2160.0
"""90 days: a later report is not an event of this treatment."""


@dataclass(frozen=True)
class LateEventForm:
    """What the practitioner enters for an event reported after signing."""

    code: str
    severity: Severity
    onset_hours: float
    action_taken: str = ""
    notes: str = ""
    other_text: str = ""


@dataclass(frozen=True)
class LateEventView:
    """One late event as the editor, the chart and the incident report show it."""

    id: int
    session_id: int
    code: str
    label: str
    severity: Severity
    onset_hours: float
    action_taken: str
    notes: str
    recorded_by: str
    recorded_at: datetime
    serious: bool


@dataclass(frozen=True)
class RecordedLateEvent:
    """What recording changed: the event's id, whether it is serious, and the notice."""

    event_id: int
    serious: bool
    changes: Changes


def late_event_hash(row: object) -> str:
    """SHA-256 of a late event's canonical JSON (an ORM row, a Row or a dict)."""
    document = pick(row, LATE_EVENT_FIELDS)
    if isinstance(document["onset_hours"], int) and not isinstance(document["onset_hours"], bool):
        document["onset_hours"] = float(document["onset_hours"])  # as the REAL column reads back
    return canonical_hash(document)


@cache
def is_serious(code: str, severity: Severity | str) -> bool:
    """Serious: a category the catalogue marks serious, or a severe event of any kind."""
    item = next((t for t in catalogue.side_effect_types() if t.code == code), None)
    return str(severity) == Severity.SEVERE.value or bool(item and item.serious)


def label_of(code: str, other_text: str = "") -> str:
    """The category's label ('Other: fainting with a fall' for other)."""
    try:
        label = catalogue.label_of("side_effect", code)
    except KeyError:
        return code
    return f"{label}: {other_text}" if code == "other" and other_text.strip() else label


def form_problems(form: LateEventForm) -> list[Problem]:
    """Everything wrong with the form, each with a message that says what to fix."""
    problems = text_problems(
        "side_effect",
        {"other_text": form.other_text, "action_taken": form.action_taken, "notes": form.notes},
    )
    item = next((t for t in catalogue.side_effect_types() if t.code == form.code), None)
    if item is None:
        problems.insert(0, Problem("code", "Choose the type of event."))
    elif item.needs_text and not form.other_text.strip():
        problems.insert(0, Problem("other_text", "Describe the event of type 'other'."))
    if form.severity not in tuple(Severity):
        problems.append(Problem("severity", "Choose the severity: mild, moderate or severe."))
    if not is_finite_number(form.onset_hours) or not 0 <= form.onset_hours <= MAX_ONSET_HOURS:
        problems.append(
            Problem(
                "onset_hours",
                f"Enter when it started, in hours after the treatment (0 to {MAX_ONSET_HOURS:g}).",
            )
        )
    if not form.action_taken.strip() and not any(p.field == "action_taken" for p in problems):
        problems.append(
            Problem("action_taken", "Write what was done or advised (even 'advice only').")
        )
    return problems


def record_late_event(
    db: Database,
    actor_id: int,
    session_id: int,
    form: LateEventForm,
    *,
    now: datetime | None = None,
) -> RecordedLateEvent:
    """Add an event reported after signing to a signed session (audited "late_event")."""
    problems = form_problems(form)
    if problems:
        raise ValidationError(problems)
    recorded_at = (now or utcnow()).astimezone(UTC)

    def work(session: Session) -> RecordedLateEvent:
        author = session.get(Practitioner, actor_id)
        if author is None or not author.active:
            raise accounts.PermissionDeniedError("Only an active account can record an event.")
        row = session.get(TreatmentSession, session_id)
        if row is None:
            raise NotFoundError(f"Session {session_id} does not exist.")
        if row.status != SessionStatus.SIGNED:
            raise ValidationError(
                [
                    Problem(
                        "session",
                        "This session is not signed yet: record the side effect in the "
                        "session itself (Side effects).",
                    )
                ]
            )
        event = LateEvent(
            session_id=row.id,
            code=form.code,
            other_text=form.other_text.strip(),
            severity=Severity(form.severity),
            onset_hours=float(form.onset_hours),
            action_taken=form.action_taken.strip(),
            notes=form.notes.strip(),
            recorded_by_id=actor_id,
            recorded_at=recorded_at,
        )
        session.add(event)
        session.flush()
        serious = is_serious(event.code, event.severity)
        audit.record(
            session,
            actor_id,
            LATE_EVENT_ACTION,
            entity_type="session",
            entity_id=row.id,
            patient_id=row.patient_id,
            # what happened stays in the record, not the log (as for amendments)
            summary=f"Late event {event.id} recorded" + (" (serious)" if serious else ""),
            record_hash=late_event_hash(event),
        )
        return RecordedLateEvent(event.id, serious, Changes.session(row.id, row.patient_id))

    return db.run_in_transaction(work)


def _view(row: LateEvent) -> LateEventView:
    return LateEventView(
        id=row.id,
        session_id=row.session_id,
        code=row.code,
        label=label_of(row.code, row.other_text),
        severity=row.severity,
        onset_hours=row.onset_hours,
        action_taken=row.action_taken,
        notes=row.notes,
        recorded_by=row.recorded_by.full_name,
        recorded_at=row.recorded_at,
        serious=is_serious(row.code, row.severity),
    )


def late_events(db: Database, session_id: int) -> list[LateEventView]:
    """The late events of a session, oldest first."""
    with db.reading() as session:
        rows = session.scalars(
            select(LateEvent)
            .where(LateEvent.session_id == session_id)
            .order_by(LateEvent.recorded_at, LateEvent.id)
            .options(selectinload(LateEvent.recorded_by))
        )
        return [_view(r) for r in rows]


def late_event(db: Database, event_id: int) -> LateEventView:
    """One late event (NotFoundError if there is none)."""
    with db.reading() as session:
        row = session.get(LateEvent, event_id, options=[selectinload(LateEvent.recorded_by)])
        if row is None:
            raise NotFoundError(f"Late event {event_id} does not exist.")
        return _view(row)


def late_event_counts(db: Database, session_ids: list[int]) -> dict[int, int]:
    """Session id -> number of late events, for the sessions given."""
    if not session_ids:
        return {}
    with db.reading() as session:
        rows = session.execute(
            select(LateEvent.session_id, func.count())
            .where(LateEvent.session_id.in_(session_ids))
            .group_by(LateEvent.session_id)
        ).all()
    return {session_id: count for session_id, count in rows}


def late_event_problems(connection: Connection, retired: frozenset[int] | None = None) -> list[str]:
    """Late events without their audit event, and late-event events without their event.

    The event's audit row records its hash: one changed behind the triggers matches no
    event, a removed one leaves its audit event unmatched (unless an erasure vouches for
    it: *retired*, ``disposal_check``).
    """
    from ..disposal_check import retired_or_read

    retired = retired_or_read(connection, retired)
    events: Table = audit_events_table()
    table: Table = LateEvent.__table__  # type: ignore[assignment]
    recorded: dict[tuple[int, str], list[int]] = defaultdict(list)
    for event_id, session_id, digest in connection.execute(
        select(events.c.id, events.c.entity_id, events.c.record_hash)
        .where(
            events.c.entity_type == "session",
            events.c.action == LATE_EVENT_ACTION,
            events.c.record_hash.is_not(None),
        )
        .order_by(events.c.id)
    ):
        if event_id not in retired:
            recorded[(session_id, digest)].append(event_id)
    problems = []
    for row in connection.execute(select(table).order_by(table.c.id)):
        try:
            digest = late_event_hash(row._mapping)
        except (ValueError, TypeError, LookupError):
            problems.append(f"late event {row.id} cannot be read: a stored value is not valid")
            continue
        found = recorded.get((row.session_id, digest))
        if found:
            found.pop(0)
        else:
            problems.append(
                f"late event {row.id} of session {row.session_id} is not the one the audit "
                "trail records (it was changed, or added outside dnt-desktop)"
            )
    for (session_id, _digest), ids in sorted(recorded.items()):
        for event_id in ids:
            problems.append(
                f"audit event {event_id} records a late event of session {session_id} that is "
                "missing or was changed"
            )
    return problems


def audit_events_table() -> Table:
    """The audit trail's table."""
    from dnt_desktop.models import AuditEvent

    return AuditEvent.__table__  # type: ignore[return-value]
