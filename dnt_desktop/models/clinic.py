"""The clinic, its practitioners and the settings and texts it keeps in the database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, str_enum, utcnow
from .enums import PageSize, Role


class Clinic(Base):
    """Contact details and document settings of the clinic (a single row)."""

    __tablename__ = "clinic"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(200), default="")
    emergency_instruction: Mapped[str] = mapped_column(
        Text,
        default=(
            "Call the emergency number (112 / 999 / 911) or go to the nearest emergency department."
        ),
    )
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    logo_mime: Mapped[str | None] = mapped_column(String(40), default=None)
    page_size: Mapped[PageSize] = mapped_column(
        str_enum(PageSize, "page_size"), default=PageSize.A4
    )
    avoid_alcohol_hours: Mapped[int] = mapped_column(Integer, default=24)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Practitioner(Base):
    """A person who charts sessions; accounts are deactivated, never deleted."""

    __tablename__ = "practitioner"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    registration_number: Mapped[str] = mapped_column(String(60), default="")
    username: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.PRACTITIONER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), default=None)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"Practitioner(id={self.id!r}, username={self.username!r})"


class AppSetting(Base):
    """A clinic-wide setting shared by every workstation (idle lock, backup count...)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class AftercareTemplate(Base):
    """A clinic's edited text block of one language's set; absent means the default."""

    __tablename__ = "aftercare_template"

    language: Mapped[str] = mapped_column(String(20), primary_key=True, default="en")
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)


class AftercareLanguage(Base):
    """A language's text set as the clinic keeps it: its review status, or a language an
    administrator added by copying a set. Shipped sets without a row use their defaults."""

    __tablename__ = "aftercare_language"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    native_name: Mapped[str] = mapped_column(String(100), default="")
    # The set a clinic-added language was copied from ('' for a shipped set).
    copied_from: Mapped[str] = mapped_column(String(20), default="")
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewer: Mapped[str] = mapped_column(String(200), default="")
    reviewed_on: Mapped[date | None] = mapped_column(Date, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
