"""Safety surveillance: events reported after signing and the clinic's lung-risk depth limits."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import Severity

if TYPE_CHECKING:
    from .clinic import Practitioner
    from .treatment import TreatmentSession


class LateEvent(Base):
    """An adverse event reported after the session was signed (the patient phones in).

    Append-only, like an amendment: the signed content is untouched, and the event's hash
    is recorded by its audit event ("late_event") so that ``check`` finds a change.
    """

    __tablename__ = "late_event"
    __table_args__ = (
        CheckConstraint("onset_hours >= 0 AND onset_hours <= 2160", name="onset_hours_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    other_text: Mapped[str] = mapped_column(String(200), default="")
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity"))
    onset_hours: Mapped[float] = mapped_column(Float)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TreatmentSession] = relationship()
    recorded_by: Mapped[Practitioner] = relationship()


class LungDepthLimit(Base):
    """The clinic's maximum advised depth and needle over one lung-risk muscle, per BMI band."""

    __tablename__ = "lung_depth_limit"
    __table_args__ = (
        CheckConstraint("max_depth_mm > 0", name="max_depth_positive"),
        CheckConstraint("max_needle_length_mm > 0", name="max_needle_positive"),
    )

    muscle_code: Mapped[str] = mapped_column(String(60), primary_key=True)
    bmi_band: Mapped[str] = mapped_column(String(20), primary_key=True)
    max_depth_mm: Mapped[float] = mapped_column(Float)
    max_needle_length_mm: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
