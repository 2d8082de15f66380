"""The administrator's view of the audit trail: filtered listing and CSV export.

Only active administrators may read or export the trail; every export is itself audited
("export"). Dates in filters are local calendar days, both ends included; times in the
listing are UTC-aware datetimes (the GUI shows them in local time).
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from dnt_desktop.models import AuditEvent, Patient, Practitioner
from dnt_desktop.storage.engine import Database

from . import audit
from .accounts import require_admin
from .errors import ValidationError
from .rules import Problem

CSV_COLUMNS = (
    "id",
    "occurred_at_utc",
    "user",
    "user_name",
    "action",
    "record_type",
    "record_id",
    "patient_chart_number",
    "patient_name",
    "summary",
    "workstation",
    "row_hash",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AuditFilters:
    """What the audit viewer narrows the trail to; None means any."""

    actor_id: int | None = None
    patient_id: int | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    entity_type: str | None = None

    def describe(self) -> str:
        """The filters in words, for the export's audit summary."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("user", self.actor_id),
                ("patient", self.patient_id),
                ("action", self.action),
                ("record type", self.entity_type),
                ("from", self.date_from),
                ("to", self.date_to),
            )
            if value is not None
        ]
        return ", ".join(parts) or "no filter"


@dataclass(frozen=True)
class AuditRow:
    """One audit event with the names the viewer shows."""

    id: int
    occurred_at: datetime
    actor_id: int | None
    actor_username: str
    actor_name: str
    action: str
    entity_type: str
    entity_id: int | None
    patient_id: int | None
    patient_name: str
    patient_chart_number: str
    summary: str
    workstation: str
    row_hash: str


def local_day_start(day: date) -> datetime:
    """Midnight at the start of a local calendar day, as a UTC-aware datetime."""
    return datetime.combine(day, time.min).astimezone().astimezone(UTC)


def _query(filters: AuditFilters) -> Select[Any]:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise ValidationError([Problem("date_to", "The end date is before the start date.")])
    actor = aliased(Practitioner)
    query = (
        select(
            AuditEvent,
            actor.username,
            actor.full_name,
            Patient.family_name,
            Patient.given_name,
            Patient.chart_number,
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(Patient, Patient.id == AuditEvent.patient_id)
    )
    if filters.actor_id is not None:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.patient_id is not None:
        query = query.where(AuditEvent.patient_id == filters.patient_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.entity_type:
        query = query.where(AuditEvent.entity_type == filters.entity_type)
    if filters.date_from is not None:
        query = query.where(AuditEvent.occurred_at >= local_day_start(filters.date_from))
    if filters.date_to is not None:
        end = local_day_start(filters.date_to + timedelta(days=1))
        query = query.where(AuditEvent.occurred_at < end)
    return query


def _row(result: Any) -> AuditRow:
    event: AuditEvent = result[0]
    username, full_name, family, given, chart = result[1:]
    return AuditRow(
        id=event.id,
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_username=username or "",
        actor_name=full_name or "",
        action=event.action,
        entity_type=event.entity_type,
        entity_id=event.entity_id,
        patient_id=event.patient_id,
        patient_name=f"{family}, {given}" if family is not None else "",
        patient_chart_number=chart or "",
        summary=event.summary,
        workstation=event.workstation,
        row_hash=event.row_hash,
    )


def list_events(
    db: Database,
    filters: AuditFilters,
    limit: int = 200,
    offset: int = 0,
    *,
    actor_id: int,
) -> list[AuditRow]:
    """A page of matching events, newest first (administrators only)."""
    with db.reading() as session:
        require_admin(session, actor_id, "view the audit trail")
        query = _query(filters).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
        return [_row(r) for r in session.execute(query)]


def count_events(db: Database, filters: AuditFilters, *, actor_id: int) -> int:
    """How many events match (for "showing 200 of 5,120")."""
    with db.reading() as session:
        require_admin(session, actor_id, "view the audit trail")
        inner = _query(filters).with_only_columns(AuditEvent.id).subquery()
        return int(session.scalar(select(func.count()).select_from(inner)) or 0)


def known_actions(db: Database, *, actor_id: int) -> list[str]:
    """Every action that occurs in the trail, sorted (for the viewer's action filter)."""
    with db.reading() as session:
        require_admin(session, actor_id, "view the audit trail")
        return list(session.scalars(select(AuditEvent.action).distinct().order_by("action")))


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    # A spreadsheet would run a cell starting like a formula: keep it text.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _csv_rows(session: Session, filters: AuditFilters) -> Iterator[list[str]]:
    query = _query(filters).order_by(AuditEvent.id).execution_options(yield_per=2000)
    for result in session.execute(query):
        row = _row(result)
        yield [
            _cell(v)
            for v in (
                row.id,
                row.occurred_at.astimezone(UTC).isoformat(timespec="seconds"),
                row.actor_username,
                row.actor_name,
                row.action,
                row.entity_type,
                row.entity_id,
                row.patient_chart_number,
                row.patient_name,
                row.summary,
                row.workstation,
                row.row_hash,
            )
        ]


def _write(db: Database, filters: AuditFilters, stream: IO[str], actor_id: int) -> int:
    with db.reading() as session:
        require_admin(session, actor_id, "export the audit trail")
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        count = 0
        for values in _csv_rows(session, filters):
            writer.writerow(values)
            count += 1
    return count


def _record_export(
    db: Database, actor_id: int, filters: AuditFilters, count: int, where: str
) -> None:
    with db.transaction() as session:
        require_admin(session, actor_id, "export the audit trail")
        audit.record(
            session,
            actor_id,
            "export",
            entity_type="audit",
            summary=f"Exported {count} audit event(s) ({filters.describe()}) to {where}"[:500],
        )


def export_csv(
    db: Database, filters: AuditFilters, path_or_stream: str | Path | IO[str], actor_id: int
) -> int:
    """Write the matching events, oldest first, as CSV; returns how many were written.

    A file is written under a temporary name and gets its name only once the "export"
    audit event is stored, so no export exists without its audit event. A stream is
    written first and the event recorded after.
    """
    with db.reading() as session:
        require_admin(session, actor_id, "export the audit trail")
    if isinstance(path_or_stream, str | Path):
        path = Path(path_or_stream).expanduser().absolute()
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("w", encoding="utf-8-sig", newline="") as handle:
                count = _write(db, filters, handle, actor_id)
                handle.flush()
                os.fsync(handle.fileno())
            _record_export(db, actor_id, filters, count, str(path))
            os.replace(partial, path)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ValidationError(
                [Problem("path", f"The export could not be written to {path}: {reason}.")]
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()
        return count
    count = _write(db, filters, path_or_stream, actor_id)
    _record_export(db, actor_id, filters, count, "a stream")
    return count
