"""Signed records: signing a session, amending a signed one, and drafts left unsigned.

A session is a draft until its own practitioner signs it with their password. Signing
stores a SHA-256 of the charted content (``signing.content_hash``) that ``dnt-desktop
check`` verifies; from then on the session is frozen (the services refuse, and on SQLite
the database triggers of migrations 0002 and 0005 refuse too). Corrections are
amendments: text appended with its author and time; the signed content itself never
changes. The "sign" and "amend" audit events record the signed session's seal and the
amendment's hash (``signing``), so that ``check`` can tell either from a rewrite.

Consent rule at signing: a session with needling points can only be signed when the
patient's informed consent was in force on the day of the session (given on or before
that day and not withdrawn before it). A later withdrawal does not block signing an
earlier session; a session charted before any consent was recorded does not sign.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import (
    Amendment,
    Consent,
    Patient,
    Practitioner,
    TreatmentSession,
    utcnow,
)
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.storage.engine import Database

from . import accounts, audit, field_limits
from .changes import NO_CHANGES, Changes
from .errors import NotFoundError, ServiceError, SignedRecordError, ValidationError, check_version
from .rules import Problem, session_problems, signing_time_problems, text_message
from .sessions import draft_from, load_session_in
from .settings import integer_setting
from .signing import amendment_hash, content_hash, session_seal

MAX_AMENDMENT_LENGTH = field_limits.max_length("amendment", "text")


@dataclass(frozen=True)
class SignedSession:
    """What signing changed: the session, when it was signed, its hash and new version."""

    session_id: int
    signed_at: datetime
    content_hash: str
    version: int
    changes: Changes = NO_CHANGES
    """The notice to broadcast: this session of its patient."""


@dataclass(frozen=True)
class AmendmentView:
    """One amendment as the session view lists it (oldest first)."""

    id: int
    created_at: datetime
    author_id: int
    author_name: str
    text: str


@dataclass(frozen=True)
class StaleDraft:
    """A session left unsigned for longer than the clinic's ``stale_draft_days``."""

    session_id: int
    patient_id: int
    patient_name: str
    chart_number: str
    started_at: datetime
    days_old: int


def consent_in_force(session: Session, patient_id: int, day: date) -> bool:
    """True when the patient's consent covered *day* (given by then, not withdrawn before)."""
    found = session.scalar(
        select(Consent.id)
        .where(
            Consent.patient_id == patient_id,
            Consent.consented_on <= day,
            or_(Consent.withdrawn_on.is_(None), Consent.withdrawn_on >= day),
        )
        .limit(1)
    )
    return found is not None


def _signing_problems(session: Session, row: TreatmentSession, now: datetime) -> list[Problem]:
    problems = session_problems(draft_from(row), now)
    problems += signing_time_problems(row.started_at, now)
    day = row.started_at.astimezone().date()
    if row.points and not consent_in_force(session, row.patient_id, day):
        problems.append(
            Problem(
                "consent",
                "The patient's informed consent is not on record for the day of this session. "
                "Record the consent before signing.",
            )
        )
    return problems


def sign_session(
    db: Database,
    actor_id: int,
    session_id: int,
    password: str,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> SignedSession:
    """Sign a draft session with the practitioner's password, in one transaction.

    Only the session's own practitioner can sign. Raises SignedRecordError when it is
    already signed, PermissionDeniedError for someone else's session, ValidationError
    when a rule is broken or consent is missing, ConcurrentChangeError when the draft
    changed since *expected_version*, and AuthenticationError for a wrong password
    (audited "sign_failed" and throttled like a sign-in). Audited "sign".
    """
    signed_at = (now or utcnow()).astimezone(UTC)

    def work(session: Session) -> SignedSession | ServiceError:
        row = load_session_in(session, session_id)
        if row.status == SessionStatus.SIGNED:
            raise SignedRecordError("This session is already signed. Add an amendment instead.")
        if row.practitioner_id != actor_id:
            raise accounts.PermissionDeniedError(
                f"Only {row.practitioner.full_name}, who charted this session, can sign it."
            )
        check_version(row.version, expected_version, "session")
        problems = _signing_problems(session, row, signed_at)
        if problems:
            raise ValidationError(problems)
        error = accounts.check_password_in(
            session, actor_id, password, failure_action="sign_failed", now=signed_at
        )
        if error is not None:
            return error  # committed: the failed attempt is counted and audited
        row.status = SessionStatus.SIGNED
        row.signed_at = signed_at
        row.signed_by_id = actor_id
        row.updated_at = signed_at
        row.content_hash = content_hash(row)
        session.flush()
        audit.record(
            session,
            actor_id,
            "sign",
            entity_type="session",
            entity_id=row.id,
            patient_id=row.patient_id,
            summary=(
                f"Signed session of {row.started_at.astimezone().date().isoformat()}: "
                f"{len(row.points)} point(s); content hash {row.content_hash[:12]}"
            ),
            record_hash=session_seal(row),
        )
        return SignedSession(
            row.id,
            signed_at,
            row.content_hash,
            row.version,
            Changes.session(row.id, row.patient_id),
        )

    outcome = db.run_in_transaction(work)
    if isinstance(outcome, ServiceError):
        raise outcome
    return outcome


def amend_session(
    db: Database, actor_id: int, session_id: int, text: str, *, now: datetime | None = None
) -> int:
    """Append an amendment to a signed session; returns its id (audited "amend").

    Drafts are not amended (edit the draft), and the text cannot be empty. Any active
    practitioner may amend; the amendment carries its author and time.
    """
    problem = text_message("amendment", "text", text)
    if problem is not None:
        raise ValidationError([Problem("text", problem)])
    body = text.strip()
    if not body:
        raise ValidationError([Problem("text", "Write the correction or addition to record.")])
    created_at = (now or utcnow()).astimezone(UTC)

    def work(session: Session) -> int:
        author = session.get(Practitioner, actor_id)
        if author is None or not author.active:
            raise accounts.PermissionDeniedError("Only an active account can amend a session.")
        row = session.get(TreatmentSession, session_id)
        if row is None:
            raise NotFoundError(f"Session {session_id} does not exist.")
        if row.status != SessionStatus.SIGNED:
            raise ValidationError(
                [
                    Problem(
                        "session",
                        "This session is not signed yet: correct the draft itself instead "
                        "of adding an amendment.",
                    )
                ]
            )
        amendment = Amendment(
            session_id=row.id, author_id=actor_id, created_at=created_at, text=body
        )
        session.add(amendment)
        session.flush()
        audit.record(
            session,
            actor_id,
            "amend",
            entity_type="session",
            entity_id=row.id,
            patient_id=row.patient_id,
            summary=f"Amendment {amendment.id} added ({len(body)} characters)",
            record_hash=amendment_hash(amendment),
        )
        return amendment.id

    return db.run_in_transaction(work)


def amendments(db: Database, session_id: int) -> list[AmendmentView]:
    """The amendments of a session, oldest first, with their authors' names."""
    with db.reading() as session:
        rows = session.scalars(
            select(Amendment)
            .where(Amendment.session_id == session_id)
            .order_by(Amendment.created_at, Amendment.id)
            .options(selectinload(Amendment.author))
        )
        return [
            AmendmentView(a.id, a.created_at, a.author_id, a.author.full_name, a.text) for a in rows
        ]


def signature_intact(db: Database, session_id: int) -> bool | None:
    """For a signed session, whether its content still matches its hash; None for a draft."""
    with db.reading() as session:
        row = load_session_in(session, session_id)
        if row.status != SessionStatus.SIGNED:
            return None
        return row.content_hash is not None and content_hash(row) == row.content_hash


def stale_drafts(
    db: Database, practitioner_id: int, now: datetime | None = None
) -> list[StaleDraft]:
    """The practitioner's drafts older than ``stale_draft_days``, oldest first.

    Shown at start as "unsigned sessions" so that none is forgotten.
    """
    moment = (now or utcnow()).astimezone(UTC)
    with db.reading() as session:
        days = integer_setting(session, "stale_draft_days")
        cutoff = moment - timedelta(days=days)
        rows = session.execute(
            select(
                TreatmentSession.id,
                TreatmentSession.patient_id,
                TreatmentSession.started_at,
                Patient.family_name,
                Patient.given_name,
                Patient.chart_number,
            )
            .join(Patient, Patient.id == TreatmentSession.patient_id)
            .where(
                TreatmentSession.practitioner_id == practitioner_id,
                TreatmentSession.status == SessionStatus.DRAFT,
                # Not a range the index could serve, and sorted below: SQLite then reads
                # the practitioner's few drafts (index on practitioner and status)
                # instead of every session they ever charted (index on practitioner and
                # start): 6 ms instead of 700 ms at 100,000 patients, at every start.
                func.coalesce(TreatmentSession.started_at, TreatmentSession.started_at) < cutoff,
            )
        ).all()
    rows = sorted(rows, key=lambda r: (r.started_at, r.id))
    return [
        StaleDraft(
            session_id=r.id,
            patient_id=r.patient_id,
            patient_name=f"{r.family_name}, {r.given_name}",
            chart_number=r.chart_number,
            started_at=r.started_at,
            days_old=(moment - r.started_at).days,
        )
        for r in rows
    ]
