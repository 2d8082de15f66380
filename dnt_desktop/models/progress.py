"""Progress of a course of care: referrers, outcome measures and the letters sent.

Outcome measures and sent letters are part of the record: rows are only ever added
(database triggers refuse changes, migration 0008), each is sealed by its audit event
(``services.progress.seals``), and a measure entered in error is corrected by a
retraction that keeps the original.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Referrer(Base):
    """A referring doctor or practice; deactivated, never deleted."""

    __tablename__ = "referrer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    practice: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class PatientReferrer(Base):
    """The referrer chosen on a patient's details (one per patient)."""

    __tablename__ = "patient_referrer"

    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), primary_key=True)
    referrer_id: Mapped[int] = mapped_column(ForeignKey("referrer.id"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)


class OutcomeMeasure(Base):
    """One questionnaire answered on a date, with how it is scored copied from its file.

    Sealed when recorded: rows are never changed; see ``MeasureRetraction``.
    """

    __tablename__ = "outcome_measure"
    __table_args__ = (Index("ix_outcome_measure_patient_taken", "patient_id", "taken_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("treatment_session.id"), default=None)
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    scoring: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(20))
    scale_min: Mapped[int] = mapped_column(Integer)
    scale_max: Mapped[int] = mapped_column(Integer)
    mcid: Mapped[str] = mapped_column(String(20))
    """The minimal clinically important difference, as a decimal text (exact)."""
    taken_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    answers: Mapped[list[MeasureAnswer]] = relationship(
        back_populates="measure", order_by="MeasureAnswer.position"
    )


class MeasureAnswer(Base):
    """One item of a recorded measure: its label as asked (a PSFS activity as the patient
    named it) and the answer (None: not answered)."""

    __tablename__ = "measure_answer"
    __table_args__ = (
        UniqueConstraint("measure_id", "position", name="uq_measure_answer_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("outcome_measure.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    item_code: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    value: Mapped[int | None] = mapped_column(Integer, default=None)

    measure: Mapped[OutcomeMeasure] = relationship(back_populates="answers")


class MeasureRetraction(Base):
    """ "Entered in error": a measure set aside with the reason; the original stays."""

    __tablename__ = "measure_retraction"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("outcome_measure.id"), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)


class LetterTemplate(Base):
    """A clinic's edited letter template; absent means the shipped default."""

    __tablename__ = "letter_template"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)


class SentLetter(Base):
    """A letter as it was sent: its text and the PDF's very bytes, kept with the patient."""

    __tablename__ = "sent_letter"
    __table_args__ = (Index("ix_sent_letter_patient", "patient_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
    referrer_id: Mapped[int | None] = mapped_column(ForeignKey("referrer.id"), default=None)
    template_key: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20))
    """'printed' or 'saved' (as a PDF file)."""
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
