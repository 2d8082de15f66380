"""What the record holds besides the clinical tables: attachments, the clinic's consent
text, and the guard a disposal opens over a disposed patient's signed sessions (0011)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from .base import Base, UTCDateTime, utcnow


class Attachment(Base):
    """A file added to a patient's record (PDF, JPEG or PNG), kept in the database.

    ``sha256`` is taken when the file is added and recorded in its audit event too;
    ``dnt-desktop check`` hashes ``data`` again. Rows are never changed: a disposal
    deletes them. The bytes are loaded only when asked for (``deferred``).
    """

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patient.id"), index=True)
    consent_id: Mapped[int | None] = mapped_column(
        ForeignKey("consent.id"), default=None, index=True
    )
    kind: Mapped[str] = mapped_column(String(40), default="other")
    filename: Mapped[str] = mapped_column(String(255))
    mime: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    description: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConsentText(Base):
    """One version of the clinic's consent text; a new version is a new row."""

    __tablename__ = "consent_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("practitioner.id"), default=None)


class DisposalPass(Base):
    """A signed session a disposal is anonymising or erasing, inside its transaction.

    The triggers that refuse changes to signed sessions, their charted rows and their
    amendments let a change through only while the session has a row here; the disposal
    deletes its rows before it commits, and ``check`` reports any row left.
    """

    __tablename__ = "disposal_pass"

    session_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class ErasurePass(Base):
    """A patient whose record a disposal is erasing, inside its transaction (0012).

    The append-only guards of outcome measures (with their answers and retractions),
    sent letters and late events let a DELETE of that patient's rows through only while
    the patient has a row here; the disposal deletes it before it commits, and ``check``
    reports any row left.
    """

    __tablename__ = "erasure_pass"

    patient_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
