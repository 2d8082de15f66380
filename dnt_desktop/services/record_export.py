"""The complete record of one patient, in one step: a readable PDF, a documented JSON
file (its JSON Schema is ``resources/export/patient-record.schema.json``), CSV tables and
the attached files, packed into one zip with a manifest of SHA-256 sums.

What is exported is declared once in ``export_tables.EXPORTED_TABLES``. Every signed
session carries its stored content hash, the hash recomputed from the exported rows, its
seal and the audit event that recorded the seal, so a reader can verify it. The export
is audited (who, when, which patient, why; the manifest's SHA-256 as the event's
``record_hash``).
"""

from __future__ import annotations

import contextlib
import csv
import getpass
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dnt_desktop.models import (
    Attachment,
    AuditEvent,
    Clinic,
    Patient,
    Practitioner,
    Referrer,
    SentLetter,
    utcnow,
)
from dnt_desktop.paths import resources_dir
from dnt_desktop.storage.engine import Database

from . import audit
from .audit import SIGNATURE_ACTIONS
from .errors import NotFoundError, ServiceError, ValidationError
from .export_manifest import MANIFEST_NAME, manifest_text
from .export_tables import EXPORTED_TABLES, exported_columns, rows_statement
from .rules import Problem, text_problems
from .signing import acknowledgements_text, content_hash_of_row, seal_of_text

FORMAT = "dnt-desktop-patient-record"
FORMAT_VERSION = 1
SCHEMA_NAME = "patient-record.schema.json"
EXPORT_ACTION = "export"
REFERRER_FIELDS = ("id", "name", "practice", "address", "email", "phone")
"""What record.json says of each referrer the record names."""


def schema_path() -> Path:
    """The shipped JSON Schema of ``record.json``."""
    return resources_dir() / "export" / SCHEMA_NAME


def json_value(value: Any) -> Any:
    """A stored value as JSON: times in ISO 8601 UTC, dates ISO, enums by their value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        raise TypeError("bytes are exported as files, not in the JSON")
    return value


@dataclass
class RecordData:
    """A patient's record as read for an export: typed rows per table, and their files."""

    patient_id: int
    rows: dict[str, list[Mapping[str, Any]]]
    files: dict[int, bytes]
    practitioners: dict[int, Mapping[str, Any]]
    clinic: Mapping[str, Any]
    letters: dict[int, bytes] = field(default_factory=dict)
    """Each sent letter's PDF, exactly as sent (``letters/<id>.pdf`` in the zip)."""
    referrers: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    """The referrers the record names (the patient's, a letter's): name, practice, contact."""

    def table(self, name: str) -> list[Mapping[str, Any]]:
        return self.rows.get(name, [])

    @property
    def patient(self) -> Mapping[str, Any]:
        return self.rows["patient"][0]

    def children(self, name: str, column: str, parent_id: int) -> list[Mapping[str, Any]]:
        return [row for row in self.table(name) if row[column] == parent_id]

    def practitioner_name(self, practitioner_id: int | None) -> str:
        found = self.practitioners.get(practitioner_id or 0)
        return str(found["full_name"]) if found else ""

    def referrer_name(self, referrer_id: int | None) -> str:
        """'Dr A. Rahman, Riverside Practice' ('' when none or not found)."""
        found = self.referrers.get(referrer_id or 0)
        if not found:
            return ""
        return ", ".join(str(v) for v in (found["name"], found["practice"]) if v)


def read_record(session: Session, patient_id: int) -> RecordData:
    """Every exported table's rows of *patient_id* (typed), in one read."""
    if session.get(Patient, patient_id) is None:
        raise NotFoundError(f"Patient {patient_id} does not exist.")
    rows = {
        spec.name: list(session.execute(rows_statement(spec.name, patient_id)).mappings())
        for spec in EXPORTED_TABLES
    }
    files = {
        int(attachment_id): bytes(content)
        for attachment_id, content in session.execute(
            select(Attachment.id, Attachment.data).where(Attachment.patient_id == patient_id)
        )
    }
    practitioners = {
        row["id"]: row
        for row in session.execute(
            select(Practitioner.id, Practitioner.full_name, Practitioner.registration_number)
        ).mappings()
    }
    clinic = (
        session.execute(select(Clinic.name, Clinic.address, Clinic.phone, Clinic.email).limit(1))
        .mappings()
        .first()
    )
    letters = {
        int(letter_id): bytes(pdf)
        for letter_id, pdf in session.execute(
            select(SentLetter.id, SentLetter.pdf).where(SentLetter.patient_id == patient_id)
        )
    }
    named = {
        row["referrer_id"]
        for name in ("patient_referrer", "sent_letter")
        for row in rows.get(name, [])
        if row["referrer_id"] is not None
    }
    referrers = (
        {
            row["id"]: row
            for row in session.execute(
                select(
                    Referrer.id,
                    Referrer.name,
                    Referrer.practice,
                    Referrer.address,
                    Referrer.email,
                    Referrer.phone,
                ).where(Referrer.id.in_(named))
            ).mappings()
        }
        if named
        else {}
    )
    return RecordData(patient_id, rows, files, practitioners, clinic or {}, letters, referrers)


def signatures(data: RecordData) -> list[dict[str, Any]]:
    """For each signed session: stored and recomputed content hash, seal, signing event."""
    events: dict[int, list[Mapping[str, Any]]] = {}
    for event in data.table("audit_event"):
        if event["entity_type"] == "session" and event["action"] in SIGNATURE_ACTIONS:
            events.setdefault(event["entity_id"], []).append(event)
    found = []
    for row in data.table("treatment_session"):
        if str(json_value(row["status"])) != "signed":
            continue
        sid = row["id"]
        recomputed = content_hash_of_row(
            row,
            data.children("session_condition", "session_id", sid),
            data.children("session_adjunct", "session_id", sid),
            data.children("needling_point", "session_id", sid),
            data.children("side_effect", "session_id", sid),
        )
        acks = data.children("alert_acknowledgement", "session_id", sid)
        seal = seal_of_text(row["content_hash"], acknowledgements_text(acks))
        recorded = [e for e in events.get(sid, []) if e["record_hash"] == seal]
        found.append(
            {
                "session_id": sid,
                "signed_at": json_value(row["signed_at"]),
                "signed_by_id": row["signed_by_id"],
                "signed_by": data.practitioner_name(row["signed_by_id"]),
                "content_hash": row["content_hash"],
                "recomputed_content_hash": recomputed,
                "seal": seal,
                "audit_event_id": recorded[-1]["id"] if recorded else None,
                "verified": recomputed == row["content_hash"] and bool(recorded),
            }
        )
    return found


def attachment_path(row: Mapping[str, Any]) -> str:
    """Where an attachment's bytes go in the zip: ``attachments/<id>-<safe name>``."""
    name = "".join(c if c.isalnum() or c in "._- " else "_" for c in str(row["filename"]))
    return f"attachments/{row['id']}-{name.strip() or 'file'}"


def record_document(
    data: RecordData, *, exported_at: datetime, exported_by: str, reason: str
) -> dict[str, Any]:
    """The JSON document of the export (see the shipped schema)."""
    tables = {
        spec.name: [
            {name: json_value(row[name]) for name in exported_columns(spec.name)}
            for row in data.table(spec.name)
        ]
        for spec in EXPORTED_TABLES
    }
    referenced = {
        value
        for name, rows in data.rows.items()
        for row in rows
        for key, value in row.items()
        if isinstance(value, int)
        and key.endswith(("practitioner_id", "_by_id", "author_id", "actor_id"))
    }
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema": SCHEMA_NAME,
        "exported_at": json_value(exported_at),
        "exported_by": exported_by,
        "reason": reason,
        "patient_id": data.patient_id,
        "clinic": {key: data.clinic.get(key, "") for key in ("name", "address", "phone", "email")},
        "practitioners": [
            {
                "id": pid,
                "full_name": data.practitioners[pid]["full_name"],
                "registration_number": data.practitioners[pid]["registration_number"],
            }
            for pid in sorted(referenced)
            if pid in data.practitioners
        ],
        "referrers": [
            {key: data.referrers[rid][key] for key in REFERRER_FIELDS}
            for rid in sorted(data.referrers)
        ],
        "tables": tables,
        "signatures": signatures(data),
        "files": [
            {
                "attachment_id": row["id"],
                "path": attachment_path(row),
                "filename": row["filename"],
                "mime": row["mime"],
                "size": row["size"],
                "sha256": row["sha256"],
            }
            for row in data.table("attachment")
        ],
        "csv": [f"csv/{spec.name}.csv" for spec in EXPORTED_TABLES],
    }


def csv_bytes(name: str, rows: Sequence[Mapping[str, Any]]) -> bytes:
    """A table as CSV (UTF-8 with BOM, so that spreadsheets read accents), a header row."""
    out = io.StringIO()
    columns = exported_columns(name)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        values = []
        for column in columns:
            value = row[column]
            value = "" if value is None else json_value(value)
            text = str(value).lower() if isinstance(value, bool) else str(value)
            values.append("'" + text if text[:1] in ("=", "+", "-", "@") else text)
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


README_TEXT = """\
Complete record of one patient, exported by dnt-desktop.

record.pdf        the record to read: details, history, screenings, consents, every session
                  with its points on the body chart, side effects, amendments, events
                  reported after signing, outcome measures, referrer, letters sent, files
record.json       the same record, machine-readable; its JSON Schema is {schema}
                  (also shipped with dnt-desktop in resources/export/)
csv/TABLE.csv     one table each, the same rows and columns as record.json's "tables"
attachments/      the files kept with the record, byte for byte
letters/ID.pdf    each letter sent to the referrer, exactly as sent (sent_letter.pdf_sha256)
{manifest}   the SHA-256 of every file above: check with  sha256sum -c {manifest}

Signed sessions: record.json's "signatures" gives each signed session's content hash as
stored at signing, the hash recomputed from the exported rows, its seal and the audit event
that recorded the seal. The content hash is the SHA-256 of the canonical JSON (sorted keys,
no spaces, UTF-8) of the session's signed fields (see the dnt-desktop README, "Records you
can trust").
"""


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    files: int
    sessions: int
    manifest_sha256: str
    audit_event_id: int


def build_zip(data: RecordData, document: dict[str, Any], pdf: bytes) -> tuple[bytes, str]:
    """The zip's bytes and its manifest's text."""
    files: dict[str, bytes] = {
        "record.pdf": pdf,
        "record.json": json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"),
        f"schema/{SCHEMA_NAME}": schema_path().read_bytes(),
        "README.txt": README_TEXT.format(
            schema=f"schema/{SCHEMA_NAME}", manifest=MANIFEST_NAME
        ).encode("utf-8"),
    }
    for spec in EXPORTED_TABLES:
        files[f"csv/{spec.name}.csv"] = csv_bytes(spec.name, data.table(spec.name))
    for row in data.table("attachment"):
        files[attachment_path(row)] = data.files[row["id"]]
    for letter_id, pdf in data.letters.items():
        files[f"letters/{letter_id}.pdf"] = pdf
    manifest = manifest_text(files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            archive.writestr(path, files[path])
        archive.writestr(MANIFEST_NAME, manifest)
    return out.getvalue(), manifest


def export_problems(reason: str) -> list[Problem]:
    """The reason is required (GDPR article 15 requests, a transfer, a court order...)."""
    problems = text_problems("export", {"reason": reason})
    if not problems and not reason.strip():
        problems.append(
            Problem("reason", "Say why the record is exported (e.g. the patient's request).")
        )
    return problems


class ExportError(ServiceError):
    """The zip could not be written (a missing folder, a full disk, no permission)."""


RenderPdf = Callable[[RecordData, dict[str, Any]], bytes]
"""Builds the readable PDF (``pdf.patient_record.build_patient_record``)."""


def export_patient(
    db: Database,
    actor_id: int | None,
    patient_id: int,
    reason: str,
    output: Path,
    render_pdf: RenderPdf,
) -> ExportResult:
    """Write *patient_id*'s complete record to the zip *output*; audited.

    *actor_id* None is the command line: the event names the computer's user instead.
    The zip is written beside *output* first and renamed once the export is audited, so
    no unaudited export is left behind.
    """
    problems = export_problems(reason)
    if problems:
        raise ValidationError(problems)
    reason = reason.strip()
    with db.reading() as session:
        data = read_record(session, patient_id)
        actor = session.get(Practitioner, actor_id) if actor_id is not None else None
    who = actor.full_name if actor else f"{_os_user()} (command line)"
    exported_at = utcnow()
    document = record_document(data, exported_at=exported_at, exported_by=who, reason=reason)
    pdf = render_pdf(data, document)
    archive, manifest = build_zip(data, document, pdf)
    digest = hashlib.sha256(manifest.encode("utf-8")).hexdigest()
    output = Path(output)
    folder = output.parent if str(output.parent) else Path(".")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(
            f"Cannot write in {folder}: {exc.strerror or exc}. Choose another folder."
        ) from exc
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(archive)
            temp.flush()
            os.fsync(temp.fileno())
        sessions = len(data.table("treatment_session"))
        with db.transaction() as session:
            event_id = audit.record(
                session,
                actor_id,
                EXPORT_ACTION,
                entity_type="patient",
                entity_id=patient_id,
                patient_id=patient_id,
                summary=(
                    f"Complete record exported by {who}: {sessions} session(s), "
                    f"{len(data.files)} file(s), manifest SHA-256 {digest[:12]}. "
                    f"Reason: {reason}"
                ),
                record_hash=digest,
            )
        os.replace(temp_name, output)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise ExportError(
                f"Cannot write {output}: {exc.strerror or exc}. Choose another place."
            ) from exc
        raise
    return ExportResult(output, len(data.files), sessions, digest, event_id)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


def last_export(session: Session, patient_id: int) -> AuditEvent | None:
    """The patient's latest export event."""
    return session.scalars(
        select(AuditEvent)
        .where(AuditEvent.patient_id == patient_id, AuditEvent.action == EXPORT_ACTION)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
