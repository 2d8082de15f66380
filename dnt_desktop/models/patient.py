"""Patients and what is recorded about them outside sessions: screenings and consent."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import ConsentMethod, ScreeningStatus, Sex

if TYPE_CHECKING:
    from .clinic import Practitioner
    from .treatment import TreatmentSession


class Patient(Base):
    """A registered patient. Records are archived, never deleted."""

    __tablename__ = "patient"
    __table_args__ = (
        # The search indexes hold ``archived`` too, so that searches read no rows (0003).
        Index(
            "ix_patient_family_key_given_key_archived",
            "family_name_key",
            "given_name_key",
            "archived",
        ),
        Index("ix_patient_given_key_archived", "given_name_key", "archived"),
        Index("ix_patient_chart_number_archived", "chart_number", "archived"),
        Index("ix_patient_date_of_birth", "date_of_birth"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    chart_number: Mapped[str] = mapped_column(String(40), unique=True)
    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100))
    # Lower-case, accent-free copies of the names for indexed search-as-you-type.
    family_name_key: Mapped[str] = mapped_column(String(100))
    given_name_key: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex, "sex"), default=Sex.UNKNOWN)
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    emergency_contact: Mapped[str] = mapped_column(Text, default="")
    medical_history: Mapped[str] = mapped_column(Text, default="")
    medications: Mapped[str] = mapped_column(Text, default="")
    allergies: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # The language of the aftercare text set the patient's handouts print in (0005).
    handout_language: Mapped[str] = mapped_column(String(20), default="en")
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # Retention (0011): the date of death if recorded; when the record was disposed of.
    died_on: Mapped[date | None] = mapped_column(Date, default=None)
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    screenings: Mapped[list[Screening]] = relationship(
        back_populates="patient", order_by="Screening.screened_at.desc()"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="patient", order_by="Consent.consented_on.desc()"
    )
    sessions: Mapped[list[TreatmentSession]] = relationship(
        back_populates="patient", order_by="TreatmentSession.started_at.desc()"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def display_name(self) -> str:
        """'Family, Given' as shown in lists."""
        return f"{self.family_name}, {self.given_name}"


class Screening(Base):
    """A dated contraindication screening; every earlier screening is kept as history."""

    __tablename__ = "screening"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Body measurements for the BMI the lung-risk depth limits follow (0009); None = not taken.
    height_cm: Mapped[float | None] = mapped_column(Float, default=None)
    weight_kg: Mapped[float | None] = mapped_column(Float, default=None)

    patient: Mapped[Patient] = relationship(back_populates="screenings")
    practitioner: Mapped[Practitioner] = relationship()
    answers: Mapped[list[ScreeningAnswer]] = relationship(
        back_populates="screening", cascade="all, delete-orphan", order_by="ScreeningAnswer.id"
    )


class ScreeningAnswer(Base):
    """One contraindication of a screening: present, absent or unknown, with detail."""

    __tablename__ = "screening_answer"
    __table_args__ = (UniqueConstraint("screening_id", "code", name="uq_screening_answer_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    screening_id: Mapped[int] = mapped_column(ForeignKey("screening.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    status: Mapped[ScreeningStatus] = mapped_column(
        str_enum(ScreeningStatus, "screening_status"), default=ScreeningStatus.UNKNOWN
    )
    detail: Mapped[str] = mapped_column(Text, default="")

    screening: Mapped[Screening] = relationship(back_populates="answers")


class Consent(Base):
    """Informed consent to dry needling; withdrawal is recorded, never erased."""

    __tablename__ = "consent"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    consented_on: Mapped[date] = mapped_column(Date)
    text_version: Mapped[str] = mapped_column(String(40))
    method: Mapped[ConsentMethod] = mapped_column(str_enum(ConsentMethod, "consent_method"))
    notes: Mapped[str] = mapped_column(Text, default="")
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
    withdrawal_note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    patient: Mapped[Patient] = relationship(back_populates="consents")
    practitioner: Mapped[Practitioner] = relationship(foreign_keys=[practitioner_id])
    withdrawn_by: Mapped[Practitioner | None] = relationship(foreign_keys=[withdrawn_by_id])
