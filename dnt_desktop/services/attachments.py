"""Files kept with a patient's record: scanned letters, signed consent forms, reports.

A file is accepted only as what its content is (``file_types.sniff``: PDF, JPEG or PNG)
and up to ``MAX_ATTACHMENT_BYTES``; it is stored in the database with its SHA-256, which
its audit event records too (``record_hash``), so ``dnt-desktop check`` finds a changed
byte and a hash rewritten beside it (``attachment_problems``). The app shows a file in
its own viewer and never hands it to another program.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Table, select
from sqlalchemy.orm import Session

from dnt_desktop.models import Attachment, AuditEvent, Consent, Patient, Practitioner
from dnt_desktop.storage.engine import Database

from . import audit
from .changes import Changes
from .errors import NotFoundError, ValidationError
from .file_types import BY_MIME, MAX_ATTACHMENT_BYTES, refusal, sniff
from .rules import Problem, text_problems

ATTACH_ACTION = "attach"
"""The audit action of an added file; its ``record_hash`` is the file's SHA-256."""
KINDS: dict[str, str] = {
    "referral": "Referral letter",
    "consent_form": "Signed consent form",
    "signature": "Consent signed on screen",
    "imaging": "Imaging or test report",
    "other": "Other document",
}
"""What an attachment is, by code, with the label shown."""


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as listed (without its bytes)."""

    id: int
    patient_id: int
    consent_id: int | None
    kind: str
    filename: str
    mime: str
    size: int
    sha256: str
    description: str
    added_at: datetime
    added_by: str

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def type_label(self) -> str:
        kind = BY_MIME.get(self.mime)
        return kind.label if kind else self.mime


def _info(row: Attachment, added_by: str) -> AttachmentInfo:
    return AttachmentInfo(
        row.id,
        row.patient_id,
        row.consent_id,
        row.kind,
        row.filename,
        row.mime,
        row.size,
        row.sha256,
        row.description,
        row.added_at,
        added_by,
    )


def clean_filename(name: str) -> str:
    """The file's own name without any folder, trimmed to the column (255)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "file"
    return base[-255:]


def add_to_session(
    session: Session,
    actor_id: int,
    patient_id: int,
    filename: str,
    data: bytes,
    *,
    kind: str = "other",
    description: str = "",
    consent_id: int | None = None,
) -> int:
    """Add a file inside the caller's transaction (checked as ``add_attachment``)."""
    name = clean_filename(filename)
    problems = []
    why = refusal(name, data)
    if why:
        problems.append(Problem("file", why))
    if kind not in KINDS:
        problems.append(Problem("kind", f"Unknown kind of document '{kind}'."))
    problems += text_problems("attachment", {"description": description})
    if problems:
        raise ValidationError(problems)
    file_type = sniff(data)
    assert file_type is not None
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFoundError(f"Patient {patient_id} does not exist.")
    if consent_id is not None:
        consent = session.get(Consent, consent_id)
        if consent is None or consent.patient_id != patient_id:
            raise NotFoundError(f"Consent {consent_id} of this patient does not exist.")
    digest = hashlib.sha256(data).hexdigest()
    row = Attachment(
        patient_id=patient_id,
        consent_id=consent_id,
        kind=kind,
        filename=name,
        mime=file_type.mime,
        size=len(data),
        sha256=digest,
        data=data,
        description=description.strip(),
        added_by_id=actor_id,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor_id,
        ATTACH_ACTION,
        entity_type="attachment",
        entity_id=row.id,
        patient_id=patient_id,
        summary=f"{KINDS[kind]} attached: {file_type.label}, {len(data)} bytes"
        + (f", to consent {consent_id}" if consent_id else ""),
        record_hash=digest,
    )
    return row.id


def add_attachment(
    db: Database,
    actor_id: int,
    patient_id: int,
    filename: str,
    data: bytes,
    *,
    kind: str = "other",
    description: str = "",
    consent_id: int | None = None,
) -> Changes:
    """Keep *data* (the bytes of *filename*) with the patient's record; audited.

    Refused with a message saying what to do: an empty file, one over
    ``MAX_ATTACHMENT_BYTES``, and anything whose content is not PDF, JPEG or PNG.
    """
    with db.transaction() as session:
        add_to_session(
            session,
            actor_id,
            patient_id,
            filename,
            data,
            kind=kind,
            description=description,
            consent_id=consent_id,
        )
    return Changes.patient_files(patient_id)


def attachments(db: Database, patient_id: int) -> list[AttachmentInfo]:
    """The patient's attachments, newest first (without their bytes)."""
    with db.reading() as session:
        return attachments_in(session, patient_id)


def attachments_in(session: Session, patient_id: int) -> list[AttachmentInfo]:
    """As ``attachments``, in the caller's session."""
    rows = session.execute(
        select(Attachment, Practitioner.full_name)
        .outerjoin(Practitioner, Practitioner.id == Attachment.added_by_id)
        .where(Attachment.patient_id == patient_id)
        .order_by(Attachment.added_at.desc(), Attachment.id.desc())
    ).all()
    return [_info(row, name or "") for row, name in rows]


def attachment_data(
    db: Database, actor_id: int, attachment_id: int
) -> tuple[AttachmentInfo, bytes]:
    """An attachment with its bytes, for the app's own viewer; the viewing is audited.

    Refused when the bytes no longer match the SHA-256 taken when the file was added.
    """
    with db.transaction() as session:
        row = session.get(Attachment, attachment_id)
        if row is None:
            raise NotFoundError(f"Attachment {attachment_id} does not exist.")
        data = bytes(row.data)
        if hashlib.sha256(data).hexdigest() != row.sha256:
            raise ValidationError(
                [
                    Problem(
                        "file",
                        f"{row.filename} was changed after it was added (its SHA-256 no longer "
                        "matches), so it is not shown. Run dnt-desktop check and ask the "
                        "administrator to restore the latest backup.",
                    )
                ]
            )
        name = session.get(Practitioner, row.added_by_id) if row.added_by_id else None
        info = _info(row, name.full_name if name else "")
        audit.record(
            session,
            actor_id,
            "view",
            entity_type="attachment",
            entity_id=row.id,
            patient_id=row.patient_id,
            summary=f"Attachment {row.id} viewed",
        )
    return info, data


# --- check ---------------------------------------------------------------------------

_ATTACHMENTS: Table = Attachment.__table__  # type: ignore[assignment]
_EVENTS: Table = AuditEvent.__table__  # type: ignore[assignment]


def _stored(connection: Connection) -> Iterator[tuple[int, str, bytes | None]]:
    result = connection.execution_options(yield_per=50).execute(
        select(_ATTACHMENTS.c.id, _ATTACHMENTS.c.sha256, _ATTACHMENTS.c.data).order_by(
            _ATTACHMENTS.c.id
        )
    )
    for attachment_id, sha256, data in result:
        yield int(attachment_id), sha256, data


def attachment_problems(connection: Connection, retired: frozenset[int] | None = None) -> list[str]:
    """Attachments whose bytes do not hash to their SHA-256, or whose SHA-256 is not the
    one their audit event records (for ``dnt-desktop check``); the events of erased
    records (*retired*, ``disposal_check``) name no attachment any more."""
    from .disposal_check import retired_or_read

    retired = retired_or_read(connection, retired)
    recorded: dict[int, str] = {
        entity_id: digest
        for event_id, entity_id, digest in connection.execute(
            select(_EVENTS.c.id, _EVENTS.c.entity_id, _EVENTS.c.record_hash)
            .where(
                _EVENTS.c.entity_type == "attachment",
                _EVENTS.c.action == ATTACH_ACTION,
                _EVENTS.c.record_hash.is_not(None),
            )
            .order_by(_EVENTS.c.id)
        )
        if event_id not in retired
    }
    problems = []
    for attachment_id, sha256, data in _stored(connection):
        if not isinstance(data, bytes | memoryview) or not isinstance(sha256, str):
            problems.append(
                f"attachment {attachment_id} cannot be read: a stored value is not valid"
            )
            continue
        if hashlib.sha256(bytes(data)).hexdigest() != sha256:
            problems.append(
                f"attachment {attachment_id} was changed: its content no longer matches its SHA-256"
            )
        elif recorded.get(attachment_id) != sha256:
            problems.append(
                f"attachment {attachment_id} is not the file the audit trail records "
                "(its SHA-256 was changed, or it was added outside dnt-desktop)"
            )
    return problems


__all__ = [
    "ATTACH_ACTION",
    "KINDS",
    "MAX_ATTACHMENT_BYTES",
    "AttachmentInfo",
    "add_attachment",
    "add_to_session",
    "attachment_data",
    "attachment_problems",
    "attachments",
    "attachments_in",
    "clean_filename",
]
