"""A practitioner's named sets of points (protocols) and the clinic's note phrases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import ChartView, DepthClass, Side, Technique


class Protocol(Base):
    """A named set of points ("Lateral elbow") its owner applies to a session in one go.

    ``shared``: an administrator shared it with the clinic, so every practitioner sees it.
    """

    __tablename__ = "protocol"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    owner_id: Mapped[int] = mapped_column(ForeignKey("practitioner.id"), index=True)
    shared: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    points: Mapped[list[ProtocolPoint]] = relationship(
        back_populates="protocol",
        cascade="all, delete-orphan",
        order_by="ProtocolPoint.number",
    )


class ProtocolPoint(Base):
    """One point of a protocol: the point fields copy forward carries (``drafts``)."""

    __tablename__ = "protocol_point"

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocol.id"), index=True)
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
    technique: Mapped[Technique] = mapped_column(str_enum(Technique, "technique"))

    protocol: Mapped[Protocol] = relationship(back_populates="points")


class NotePhrase(Base):
    """A short phrase the clinic inserts into the note sections from the keyboard."""

    __tablename__ = "note_phrase"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
