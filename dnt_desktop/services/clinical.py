"""Contraindication screenings, informed consent, and the patient's clinical state."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import (
    Attachment,
    Consent,
    Patient,
    Screening,
    ScreeningAnswer,
    catalogue,
    utcnow,
)
from dnt_desktop.models.enums import ScreeningStatus
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import Changes
from .drafts import ConsentForm, ScreeningForm
from .errors import NotFoundError, ValidationError
from .rules import (
    ClinicalState,
    ConsentState,
    Problem,
    ScreeningFact,
    consent_date_problems,
    screening_questions,
    screening_time_problems,
    text_problems,
    withdrawal_date_problems,
)
from .safety import lung_limits


def record_screening(db: Database, actor_id: int, patient_id: int, form: ScreeningForm) -> int:
    """Store a new dated screening (earlier ones stay as history); returns its id.

    Every contraindication asked of the patient's sex needs an answer (a man is not asked
    about pregnancy, see ``rules.screening_questions``).
    """
    known = {item.code for item in catalogue.contraindications()}
    codes = [answer.code for answer in form.answers]
    problems = [
        Problem("answers", f"Unknown contraindication '{c}'.") for c in codes if c not in known
    ]
    if len(set(codes)) != len(codes):
        problems.append(Problem("answers", "A contraindication was answered twice."))
    for i, answer in enumerate(form.answers):
        problems += text_problems("screening", {"detail": answer.detail}, f"answers[{i}].")
    problems += text_problems("screening", {"notes": form.notes})
    problems += screening_time_problems(form.screened_at, datetime.now().astimezone())
    problems += [
        Problem("height_cm" if "height" in text else "weight_kg", text)
        for text in lung_limits.measurement_problems(form.height_cm, form.weight_kg)
    ]
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        asked = {item.code for item in screening_questions(patient.sex)}
        if asked - set(codes):
            raise ValidationError(
                [Problem("answers", "Answer every contraindication (present, absent or unknown).")]
            )
        screening = Screening(
            patient_id=patient_id,
            practitioner_id=actor_id,
            screened_at=form.screened_at or utcnow(),
            notes=form.notes.strip(),
            height_cm=form.height_cm,
            weight_kg=form.weight_kg,
            answers=[
                ScreeningAnswer(
                    code=a.code, status=ScreeningStatus(a.status), detail=a.detail.strip()
                )
                for a in form.answers
            ],
        )
        session.add(screening)
        session.flush()
        present = [a.code for a in form.answers if a.status == ScreeningStatus.PRESENT]
        audit.record(
            session,
            actor_id,
            "create",
            entity_type="screening",
            entity_id=screening.id,
            patient_id=patient_id,
            summary="Screening recorded; present: " + (", ".join(present) or "none"),
        )
        return screening.id


def record_consent(db: Database, actor_id: int, patient_id: int, form: ConsentForm) -> int:
    """Record the patient's informed consent to dry needling; returns its id."""
    problems = consent_date_problems(form.consented_on, date.today())
    problems += text_problems("consent", {"text_version": form.text_version, "notes": form.notes})
    if not any(p.field == "text_version" for p in problems) and not form.text_version.strip():
        problems.append(Problem("text_version", "Enter the consent form's version."))
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        return add_consent(session, actor_id, patient_id, form).id


def add_consent(session: Session, actor_id: int, patient_id: int, form: ConsentForm) -> Consent:
    """Add and audit a consent inside the caller's transaction (``record_consent`` has
    checked the form; the date is checked here against the patient's birth)."""
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFoundError(f"Patient {patient_id} does not exist.")
    problems = consent_date_problems(form.consented_on, date.today(), patient.date_of_birth)
    if problems:
        raise ValidationError(problems)
    consent = Consent(
        patient_id=patient_id,
        practitioner_id=actor_id,
        consented_on=form.consented_on,
        text_version=form.text_version.strip(),
        method=form.method,
        notes=form.notes.strip(),
    )
    session.add(consent)
    session.flush()
    audit.record(
        session,
        actor_id,
        "create",
        entity_type="consent",
        entity_id=consent.id,
        patient_id=patient_id,
        summary=f"Consent recorded ({form.method.value}, {form.text_version})",
    )
    return consent


def withdraw_consent(
    db: Database, actor_id: int, consent_id: int, withdrawn_on: date, note: str = ""
) -> Changes:
    """Mark a consent as withdrawn; the consent itself stays on record."""
    problems = text_problems("consent", {"withdrawal_note": note})
    if problems:
        raise ValidationError(problems)
    with db.transaction() as session:
        consent = session.get(Consent, consent_id)
        if consent is None:
            raise NotFoundError(f"Consent {consent_id} does not exist.")
        if consent.withdrawn_on is not None:
            raise ValidationError([Problem("withdrawn_on", "This consent is already withdrawn.")])
        problems = withdrawal_date_problems(withdrawn_on, consent.consented_on, date.today())
        if problems:
            raise ValidationError(problems)
        consent.withdrawn_on = withdrawn_on
        consent.withdrawn_by_id = actor_id
        consent.withdrawal_note = note.strip()
        audit.record(
            session,
            actor_id,
            "withdraw",
            entity_type="consent",
            entity_id=consent.id,
            patient_id=consent.patient_id,
            summary=f"Consent withdrawn on {withdrawn_on.isoformat()}",
        )
        return Changes.consent(consent.id, consent.patient_id)


def clinical_state_in(session: Session, patient_id: int) -> ClinicalState:
    """The latest screening and the consent situation, as the rules need them."""
    latest = session.scalars(
        select(Screening)
        .where(Screening.patient_id == patient_id)
        .order_by(Screening.screened_at.desc(), Screening.id.desc())
        .options(selectinload(Screening.answers))
        .limit(1)
    ).first()
    consents = session.scalars(
        select(Consent)
        .where(Consent.patient_id == patient_id)
        .order_by(Consent.consented_on.desc(), Consent.id.desc())
    ).all()
    if any(c.withdrawn_on is None for c in consents):
        consent, withdrawn_on = ConsentState.ACTIVE, None
    elif consents:
        consent, withdrawn_on = ConsentState.WITHDRAWN, consents[0].withdrawn_on
    else:
        consent, withdrawn_on = ConsentState.NONE, None
    facts = None
    if latest is not None:
        facts = tuple(ScreeningFact(a.code, a.status, a.detail) for a in latest.answers)
    active = [c.id for c in consents if c.withdrawn_on is None]
    signed = None
    if active:  # a signed copy (signed on screen or a scan) of an active consent (0011)
        signed = (
            session.scalar(select(Attachment.id).where(Attachment.consent_id.in_(active)).limit(1))
            is not None
        )
    return ClinicalState(
        screening=facts,
        screened_on=latest.screened_at.date() if latest else None,
        consent=consent,
        consent_withdrawn_on=withdrawn_on,
        height_cm=latest.height_cm if latest else None,
        weight_kg=latest.weight_kg if latest else None,
        signed_consent=signed,
    )


def clinical_state(db: Database, patient_id: int) -> ClinicalState:
    """The patient's clinical state, read in its own session."""
    with db.reading() as session:
        return clinical_state_in(session, patient_id)


def screenings(db: Database, patient_id: int) -> list[Screening]:
    """Every screening of the patient, newest first, answers loaded."""
    with db.reading() as session:
        return list(
            session.scalars(
                select(Screening)
                .where(Screening.patient_id == patient_id)
                .order_by(Screening.screened_at.desc(), Screening.id.desc())
                .options(selectinload(Screening.answers), selectinload(Screening.practitioner))
            )
        )


def consents(db: Database, patient_id: int) -> list[Consent]:
    """Every consent of the patient, newest first."""
    with db.reading() as session:
        return list(
            session.scalars(
                select(Consent)
                .where(Consent.patient_id == patient_id)
                .order_by(Consent.consented_on.desc(), Consent.id.desc())
                .options(selectinload(Consent.practitioner), selectinload(Consent.withdrawn_by))
            )
        )
