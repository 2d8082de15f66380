"""A dry-needling treatment session and everything charted in it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import (
    ChartView,
    DeliveryKind,
    DepthClass,
    Onset,
    SessionStatus,
    Severity,
    Side,
    Technique,
    ThermalAdvice,
)

if TYPE_CHECKING:
    from .clinic import Practitioner
    from .patient import Patient


class TreatmentSession(Base):
    """One treatment visit: draft until signed, then only amended."""

    __tablename__ = "treatment_session"
    __table_args__ = (
        CheckConstraint("pain_before BETWEEN 0 AND 10", name="pain_before_range"),
        CheckConstraint("pain_after BETWEEN 0 AND 10", name="pain_after_range"),
        Index("ix_treatment_session_patient_started", "patient_id", "started_at"),
        Index("ix_treatment_session_practitioner_status", "practitioner_id", "status"),
        # A practitioner's latest sessions, for where their next point starts (0005).
        Index("ix_treatment_session_practitioner_started", "practitioner_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"))
    practitioner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    pain_before: Mapped[int | None] = mapped_column(Integer, default=None)
    pain_after: Mapped[int | None] = mapped_column(Integer, default=None)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Aftercare choices made for this session's sheet.
    thermal_advice: Mapped[ThermalAdvice] = mapped_column(
        str_enum(ThermalAdvice, "thermal_advice"), default=ThermalAdvice.GENERAL
    )
    stretches: Mapped[str] = mapped_column(Text, default="")
    next_appointment: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The note sections (SOAP); older sessions' free text stays in ``notes``.
    subjective: Mapped[str] = mapped_column(Text, default="", server_default="")
    objective: Mapped[str] = mapped_column(Text, default="", server_default="")
    assessment: Mapped[str] = mapped_column(Text, default="", server_default="")
    plan: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[SessionStatus] = mapped_column(
        str_enum(SessionStatus, "session_status"), default=SessionStatus.DRAFT
    )
    signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    patient: Mapped[Patient] = relationship(back_populates="sessions")
    practitioner: Mapped[Practitioner] = relationship(foreign_keys=[practitioner_id])
    signed_by: Mapped[Practitioner | None] = relationship(foreign_keys=[signed_by_id])
    conditions: Mapped[list[SessionCondition]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionCondition.id"
    )
    adjuncts: Mapped[list[SessionAdjunct]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SessionAdjunct.id"
    )
    points: Mapped[list[NeedlingPoint]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="NeedlingPoint.number"
    )
    side_effects: Mapped[list[SideEffect]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="SideEffect.id"
    )
    acknowledgements: Mapped[list[AlertAcknowledgement]] = relationship(
        back_populates="session", cascade="all, delete-orphan", order_by="AlertAcknowledgement.id"
    )
    amendments: Mapped[list[Amendment]] = relationship(
        back_populates="session", order_by="Amendment.created_at"
    )
    deliveries: Mapped[list[AftercareDelivery]] = relationship(
        back_populates="session", order_by="AftercareDelivery.delivered_at"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    @property
    def is_signed(self) -> bool:
        """True once the practitioner has signed; the content is then frozen."""
        return self.status == SessionStatus.SIGNED


class SessionCondition(Base):
    """A condition treated in a session (catalogue code; free text for 'other')."""

    __tablename__ = "session_condition"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    other_text: Mapped[str] = mapped_column(String(200), default="")

    session: Mapped[TreatmentSession] = relationship(back_populates="conditions")


class SessionAdjunct(Base):
    """An adjunct treatment given with the needling (physiotherapy, massage...)."""

    __tablename__ = "session_adjunct"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(String(200), default="")

    session: Mapped[TreatmentSession] = relationship(back_populates="adjuncts")


class NeedlingPoint(Base):
    """One trigger point needled in a session, placed on the body chart."""

    __tablename__ = "needling_point"
    __table_args__ = (
        CheckConstraint("depth_mm > 0", name="depth_positive"),
        CheckConstraint("needle_length_mm > 0", name="needle_length_positive"),
        CheckConstraint("needle_gauge_mm > 0", name="needle_gauge_positive"),
        CheckConstraint("insertions >= 1", name="insertions_min"),
        CheckConstraint("x >= 0 AND x <= 1 AND y >= 0 AND y <= 1", name="position_normalised"),
        CheckConstraint(
            "(depth_class = 'superficial' AND depth_mm <= 10) "
            "OR (depth_class = 'deep' AND depth_mm > 10)",
            name="depth_class_matches_depth",
        ),
        CheckConstraint("depth_mm <= needle_length_mm", name="depth_within_needle"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    muscle_code: Mapped[str] = mapped_column(String(60))
    side: Mapped[Side] = mapped_column(str_enum(Side, "side"))
    view: Mapped[ChartView] = mapped_column(str_enum(ChartView, "chart_view"))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    depth_class: Mapped[DepthClass] = mapped_column(str_enum(DepthClass, "depth_class"))
    depth_mm: Mapped[float] = mapped_column(Float)
    needle_gauge_mm: Mapped[float] = mapped_column(Float)
    needle_length_mm: Mapped[float] = mapped_column(Float)
    insertions: Mapped[int] = mapped_column(Integer, default=1)
    twitch_response: Mapped[bool] = mapped_column(Boolean, default=False)
    technique: Mapped[Technique] = mapped_column(
        str_enum(Technique, "technique"), default=Technique.STATIC
    )
    notes: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[TreatmentSession] = relationship(back_populates="points")


class SideEffect(Base):
    """An adverse event seen during or after a session."""

    __tablename__ = "side_effect"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    other_text: Mapped[str] = mapped_column(String(200), default="")
    severity: Mapped[Severity] = mapped_column(str_enum(Severity, "severity"))
    onset: Mapped[Onset] = mapped_column(str_enum(Onset, "onset"), default=Onset.DURING)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    action_taken: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[TreatmentSession] = relationship(back_populates="side_effects")


class AlertAcknowledgement(Base):
    """An alert shown before saving that the practitioner confirmed having read."""

    __tablename__ = "alert_acknowledgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    acknowledged_by_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[TreatmentSession] = relationship(back_populates="acknowledgements")


class Amendment(Base):
    """Text appended to a signed session; the signed content itself never changes."""

    __tablename__ = "amendment"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    session: Mapped[TreatmentSession] = relationship(back_populates="amendments")
    author: Mapped[Practitioner] = relationship()


class AftercareDelivery(Base):
    """A record that the session's aftercare sheet was printed or saved, by whom and when."""

    __tablename__ = "aftercare_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("treatment_session.id"), index=True)
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"))
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[DeliveryKind] = mapped_column(str_enum(DeliveryKind, "delivery_kind"))
    detail: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[TreatmentSession] = relationship(back_populates="deliveries")
