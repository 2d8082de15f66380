"""Records past their retention period, and disposing of one by anonymising it.

Anonymising keeps what the clinic's statistics count (sessions, their dates, points,
side effects, conditions, consents, screenings as answered) and removes what names or
describes the person: ``ANONYMISED`` lists every field, table by table. Attached files
are deleted. One audit event, the tombstone, says what was removed and why; it holds
none of the removed values.

Signed records stay verifiable (README, "Disposal and the records you can trust"): the
triggers that refuse changes to a signed session let the disposal through only for the
sessions it names in ``disposal_pass`` inside its transaction; after removing the free
text the disposal stores each signed session's new content hash and appends a
``dispose_session`` event with its new seal (and a ``dispose_amendment`` event with each
amendment's new hash), so ``check`` verifies the anonymised session against the
disposal's events, which the chain vouches for, following its signature event.

Erasing (``DisposalKind.ERASE``, ``disposal_erase``) deletes every row of the record
instead, and leaves one tombstone that counts them table by table; which of the two an
administrator is offered first is a clinic setting (``disposal_default``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import (
    Attachment,
    Consent,
    DisposalPass,
    ErasurePass,
    Patient,
    Screening,
    TreatmentSession,
    utcnow,
)
from dnt_desktop.storage.engine import Database

from . import audit
from .audit import DISPOSE_AMENDMENT_ACTION, DISPOSE_SESSION_ACTION
from .changes import Changes
from .disposal_erase import ERASE_ACTION, erase_rows, erase_tombstone, row_counts
from .errors import NotFoundError, ServiceError, ValidationError
from .names import search_key
from .practitioners import require_admin
from .retention import Retention, RetentionRules, retention
from .rules import Problem, text_problems
from .settings import get_setting, integer_setting
from .signing import amendment_hash, content_hash, session_seal


class DisposalKind(StrEnum):
    """How a record past retention is disposed of."""

    ANONYMISE = "anonymise"
    """Names, contact details and free text removed; the clinical counts kept."""
    ERASE = "erase"
    """Every row of the record deleted; only the audit trail's events stay."""


REMOVED = "[removed]"
"""What a removed name reads as (the name columns cannot be empty)."""
DISPOSE_ACTION = "dispose"

ANONYMISED: dict[str, tuple[str, ...]] = {
    "patient": (
        "family_name",
        "given_name",
        "date_of_birth (day and month; the year is kept)",
        "phone",
        "email",
        "address",
        "emergency_contact",
        "medical_history",
        "medications",
        "allergies",
        "notes",
    ),
    "screening": ("notes",),
    "screening_answer": ("detail",),
    "consent": ("notes", "withdrawal_note"),
    "treatment_session": ("notes", "stretches"),
    "session_condition": ("other_text",),
    "session_adjunct": ("detail",),
    "needling_point": ("notes",),
    "side_effect": ("other_text", "action_taken", "notes"),
    "alert_acknowledgement": ("message",),
    "amendment": ("text",),
    "aftercare_delivery": ("detail",),
}
"""Every field a disposal empties (names read ``[removed]``), by table."""
DELETED = ("attachment",)
"""Tables whose rows of the patient a disposal deletes (the files themselves)."""


@dataclass(frozen=True)
class RetentionRow:
    """A patient in the administrator's list of records past retention."""

    patient_id: int
    chart_number: str
    name: str
    date_of_birth: date
    last_treatment: date | None
    retention: Retention


def retention_rules_in(session: Session) -> RetentionRules:
    return RetentionRules(
        years_after_treatment=integer_setting(session, "retention_years_after_treatment"),
        child_until_age=integer_setting(session, "retention_child_until_age"),
    )


def _last_treatments(session: Session, patient_ids: Sequence[int] | None = None) -> dict[int, date]:
    query = select(TreatmentSession.patient_id, func.max(TreatmentSession.started_at)).group_by(
        TreatmentSession.patient_id
    )
    if patient_ids is not None:
        query = query.where(TreatmentSession.patient_id.in_(patient_ids))
    return {pid: moment.astimezone().date() for pid, moment in session.execute(query) if moment}


def patient_retention(db: Database, patient_id: int) -> Retention:
    """The retention of one patient's record (shown on the chart)."""
    with db.reading() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        last = _last_treatments(session, [patient_id]).get(patient_id)
        return retention(
            patient.date_of_birth,
            last,
            patient.created_at.astimezone().date(),
            patient.died_on,
            retention_rules_in(session),
        )


def records_past_retention(db: Database, today: date | None = None) -> list[RetentionRow]:
    """Patients whose retention ended before *today* and who are not disposed of yet,
    the longest overdue first."""
    today = today or date.today()
    with db.reading() as session:
        rules = retention_rules_in(session)
        last = _last_treatments(session)
        rows = []
        for patient in session.scalars(select(Patient).where(Patient.disposed_at.is_(None))):
            kept = retention(
                patient.date_of_birth,
                last.get(patient.id),
                patient.created_at.astimezone().date(),
                patient.died_on,
                rules,
            )
            if kept.past(today):
                rows.append(
                    RetentionRow(
                        patient.id,
                        patient.chart_number,
                        patient.display_name,
                        patient.date_of_birth,
                        last.get(patient.id),
                        kept,
                    )
                )
    return sorted(rows, key=lambda r: (r.retention.ends_on, r.patient_id))


class DisposalRefusedError(ServiceError):
    """The record cannot be disposed of (not past retention, already disposed, damaged)."""


def record_death(db: Database, actor_id: int, patient_id: int, died_on: date | None) -> Changes:
    """Record (or clear) the patient's date of death; audited (no name in the summary)."""
    if died_on is not None and died_on > date.today():
        raise ValidationError([Problem("died_on", "The date of death cannot be in the future.")])
    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        if died_on is not None and died_on < patient.date_of_birth:
            raise ValidationError([Problem("died_on", "The date of death is before the birth.")])
        patient.died_on = died_on
        audit.record(
            session,
            actor_id,
            "update",
            entity_type="patient",
            entity_id=patient_id,
            patient_id=patient_id,
            summary="Date of death " + ("recorded" if died_on else "cleared"),
        )
    return Changes.patient(patient_id)


def default_disposal(db: Database) -> DisposalKind:
    """The disposal an administrator is offered first (Administration > Settings)."""
    with db.reading() as session:
        value = get_setting(session, "disposal_default")
    return DisposalKind(value) if value in set(DisposalKind) else DisposalKind.ANONYMISE


def erasure_counts(db: Database, patient_id: int) -> dict[str, int]:
    """The rows an erasure of *patient_id*'s record would delete, table by table (for the
    confirmation)."""
    with db.reading() as session:
        if session.get(Patient, patient_id) is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        return row_counts(session, patient_id)


def dispose_of(
    db: Database,
    actor_id: int,
    patient_id: int,
    reason: str,
    today: date | None = None,
    kind: DisposalKind = DisposalKind.ANONYMISE,
) -> Changes:
    """Anonymise or erase (*kind*) *patient_id*'s record after its retention period
    (administrators), in one transaction.

    Refused when the retention has not ended, the record is disposed of already, or a
    signed session no longer matches its signature (a damaged record is not disposed of:
    its state would be unprovable afterwards, and erasing it would remove the evidence).
    """
    today = today or date.today()
    problems = text_problems("disposal", {"reason": reason})
    if not problems and not reason.strip():
        problems.append(Problem("reason", "Say why the record is disposed of."))
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        require_admin(session, actor_id, "dispose of records")
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        if patient.disposed_at is not None:
            raise DisposalRefusedError("This record was disposed of already.")
        last = _last_treatments(session, [patient_id]).get(patient_id)
        kept = retention(
            patient.date_of_birth,
            last,
            patient.created_at.astimezone().date(),
            patient.died_on,
            retention_rules_in(session),
        )
        if not kept.past(today):
            raise DisposalRefusedError(
                f"This record must be kept until {kept.ends_on.isoformat()} ({kept.rule})."
            )
        sessions = _sessions_of(session, patient_id)
        _refuse_damaged(sessions)
        if kind is DisposalKind.ERASE:
            chart_number = patient.chart_number
            session.flush()
            session.expunge_all()  # the rows are deleted below the ORM
            counts = erase_rows(session, patient_id, [s.id for s in sessions])
            audit.record(
                session,
                actor_id,
                ERASE_ACTION,
                entity_type="patient",
                entity_id=patient_id,
                patient_id=patient_id,
                summary=erase_tombstone(
                    patient_id,
                    chart_number,
                    kept.ends_on.isoformat(),
                    kept.rule,
                    counts,
                    reason.strip(),
                ),
            )
            return Changes.erasure(patient_id)
        counts = _anonymise(session, actor_id, patient, sessions)
        audit.record(
            session,
            actor_id,
            DISPOSE_ACTION,
            entity_type="patient",
            entity_id=patient_id,
            patient_id=patient_id,
            summary=tombstone(kept, counts, reason.strip()),
        )
    return Changes.patient(patient_id) | Changes.patient_files(patient_id)


def tombstone(kept: Retention, counts: dict[str, int], reason: str) -> str:
    """What the tombstone event says: what was removed, what kept, and why (no values)."""
    removed = "; ".join(f"{table}: {', '.join(fields)}" for table, fields in ANONYMISED.items())
    return (
        f"Record anonymised: retention ended on {kept.ends_on.isoformat()} ({kept.rule}). "
        f"Removed: {removed}; {counts['attachments']} attached file(s) deleted. "
        f"Kept for the clinic's statistics: {counts['sessions']} session(s) "
        f"({counts['signed']} signed, still verifiable), {counts['points']} point(s), "
        f"{counts['side_effects']} side effect(s), {counts['consents']} consent(s), "
        f"{counts['screenings']} screening(s); sex, birth year and dates. Reason: {reason}"
    )


def _sessions_of(session: Session, patient_id: int) -> list[TreatmentSession]:
    return list(
        session.scalars(
            select(TreatmentSession)
            .where(TreatmentSession.patient_id == patient_id)
            .options(
                selectinload(TreatmentSession.conditions),
                selectinload(TreatmentSession.adjuncts),
                selectinload(TreatmentSession.points),
                selectinload(TreatmentSession.side_effects),
                selectinload(TreatmentSession.acknowledgements),
                selectinload(TreatmentSession.amendments),
                selectinload(TreatmentSession.deliveries),
            )
            .order_by(TreatmentSession.id)
        )
    )


def _refuse_damaged(sessions: Sequence[TreatmentSession]) -> None:
    """Refuse to dispose of a record whose signed sessions no longer match their signature."""
    for row in sessions:
        if row.is_signed and content_hash(row) != row.content_hash:
            raise DisposalRefusedError(
                f"Signed session {row.id} no longer matches its signature: run dnt-desktop "
                "check and restore the latest backup before disposing of this record."
            )


def _anonymise(
    session: Session, actor_id: int, patient: Patient, sessions: list[TreatmentSession]
) -> dict[str, int]:
    signed = [s for s in sessions if s.is_signed]
    ids = [s.id for s in sessions]
    if ids:
        session.execute(insert(DisposalPass), [{"session_id": i} for i in ids])
    for row in sessions:
        row.notes = ""
        row.stretches = ""
        for condition in row.conditions:
            condition.other_text = ""
        for adjunct in row.adjuncts:
            adjunct.detail = ""
        for point in row.points:
            point.notes = ""
        for effect in row.side_effects:
            effect.other_text = effect.action_taken = effect.notes = ""
        for ack in row.acknowledgements:
            ack.message = ""
        for amendment in row.amendments:
            amendment.text = ""
        for delivery in row.deliveries:
            delivery.detail = ""
    session.flush()
    for row in signed:
        row.content_hash = content_hash(row)
    session.flush()
    for row in signed:
        audit.record(
            session,
            actor_id,
            DISPOSE_SESSION_ACTION,
            entity_type="session",
            entity_id=row.id,
            patient_id=patient.id,
            summary=f"Signed session {row.id} anonymised; new content hash {row.content_hash[:12]}",
            record_hash=session_seal(row),
        )
        for amendment in row.amendments:
            audit.record(
                session,
                actor_id,
                DISPOSE_AMENDMENT_ACTION,
                entity_type="session",
                entity_id=row.id,
                patient_id=patient.id,
                summary=f"Amendment {amendment.id} anonymised",
                record_hash=amendment_hash(amendment),
            )
    if ids:
        session.execute(delete(DisposalPass).where(DisposalPass.session_id.in_(ids)))
    screenings = list(
        session.scalars(
            select(Screening)
            .where(Screening.patient_id == patient.id)
            .options(selectinload(Screening.answers))
        )
    )
    for screening in screenings:
        screening.notes = ""
        for answer in screening.answers:
            answer.detail = ""
    consents = list(session.scalars(select(Consent).where(Consent.patient_id == patient.id)))
    for consent in consents:
        consent.notes = consent.withdrawal_note = ""
    files = session.execute(delete(Attachment).where(Attachment.patient_id == patient.id)).rowcount
    patient.family_name = patient.given_name = REMOVED
    patient.family_name_key = search_key(REMOVED)
    patient.given_name_key = search_key(REMOVED)
    patient.date_of_birth = patient.date_of_birth.replace(month=7, day=1)
    for name in ANONYMISED["patient"][3:]:
        setattr(patient, name, "")
    patient.archived = True
    patient.disposed_at = utcnow()
    session.flush()
    return {
        "sessions": len(sessions),
        "signed": len(signed),
        "points": sum(len(s.points) for s in sessions),
        "side_effects": sum(len(s.side_effects) for s in sessions),
        "consents": len(consents),
        "screenings": len(screenings),
        "attachments": int(files or 0),
        "deliveries": sum(len(s.deliveries) for s in sessions),
        "amendments": sum(len(s.amendments) for s in sessions),
    }


def disposal_pass_problems(connection: Connection) -> list[str]:
    """A disposal's guard left open (for ``dnt-desktop check``)."""
    problems = []
    left = list(
        connection.scalars(select(DisposalPass.session_id).order_by(DisposalPass.session_id))
    )
    if left:
        problems.append(
            "the guard of signed sessions is open for session(s) "
            + ", ".join(str(i) for i in left[:10])
            + " (rows in disposal_pass outside a disposal): they may have been changed"
        )
    erasing = list(
        connection.scalars(select(ErasurePass.patient_id).order_by(ErasurePass.patient_id))
    )
    if erasing:
        problems.append(
            "the guard of append-only records is open for patient(s) "
            + ", ".join(str(i) for i in erasing[:10])
            + " (rows in erasure_pass outside an erasure): their outcome measures, letters "
            "or late events may have been deleted"
        )
    return problems


__all__ = [
    "ANONYMISED",
    "DELETED",
    "REMOVED",
    "DisposalKind",
    "RetentionRow",
    "default_disposal",
    "dispose_of",
    "erasure_counts",
    "patient_retention",
    "record_death",
    "records_past_retention",
]
