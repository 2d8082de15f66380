"""Erasing a record past its retention period: every row of the patient deleted.

Which tables hold a patient's record is declared once, in ``export_tables``
(``EXPORTED_TABLES``): an erasure deletes the patient's rows from every one of them
except the audit trail (``KEPT``), children before their parents, and counts them table
by table. ``tests/services/test_disposal_erase.py`` fails when a table is added to the
record and not erased.

The audit trail is append-only and hash-chained: its earlier events of the patient stay.
One event, the tombstone (action ``erase``, entity ``patient``), says that the record
was erased, its patient id and chart number, how many rows of each table were deleted
and why, and holds none of the deleted values. ``check`` reads the tombstones
(``disposal_check.erased_events``): a sealed event (signature, amendment, late event,
outcome measure, sent letter, attached file) of an erased patient, older than the
tombstone, no longer asks for its record. Signed sessions and amendments are deleted
through ``disposal_pass`` (migration 0011), the append-only measures, letters and late
events through ``erasure_pass`` (0012), both opened and closed inside the transaction.

On SQLite a deleted row's id could be given again to the next new row of its table; a
new patient never takes an erased patient's id (``next_patient_id``) or automatic chart
number (``erased_chart_numbers``), so the trail's events of the erased record are never
shown as another patient's.
"""

from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Table, delete, func, insert, select
from sqlalchemy.orm import Session

from dnt_desktop.models import AuditEvent, Base, DisposalPass, ErasurePass

from .export_tables import BY_NAME, EXPORTED_TABLES, ExportedTable, ids_statement

ERASE_ACTION = "erase"
"""The tombstone of an erased record (entity ``patient``, ``entity_id`` its id)."""
KEPT = ("audit_event",)
"""Tables of the record whose rows an erasure keeps (the append-only chain)."""
ERASED: tuple[str, ...] = tuple(
    table.name
    for table in reversed(Base.metadata.sorted_tables)
    if table.name in BY_NAME and table.name not in KEPT
)
"""Every table of the record an erasure deletes from, children before their parents."""
TITLES = {spec.name: spec.title for spec in EXPORTED_TABLES}
CHART_PATTERN = re.compile(r"chart no\. (\S+?)[,;)]")


def _owned(spec: ExportedTable, patient_id: int) -> ColumnElement[bool]:
    table: Table = spec.table
    if spec.parent is None:
        return table.c[spec.column] == patient_id
    return table.c[spec.column].in_(ids_statement(spec.parent, patient_id))


def row_counts(session: Session, patient_id: int) -> dict[str, int]:
    """How many rows of each erased table belong to *patient_id* (the tables in order
    of the record: patient, screenings, ...)."""
    counts = {}
    for spec in EXPORTED_TABLES:
        if spec.name in KEPT:
            continue
        counts[spec.name] = int(
            session.scalar(
                select(func.count()).select_from(spec.table).where(_owned(spec, patient_id))
            )
            or 0
        )
    return counts


def erase_rows(session: Session, patient_id: int, session_ids: list[int]) -> dict[str, int]:
    """Delete every row of *patient_id*'s record but its audit events, inside the caller's
    transaction; returns the rows deleted per table (in the record's order).

    *session_ids* are the patient's sessions: the guards of signed sessions let them go
    while they are in ``disposal_pass``; the append-only tables while the patient is in
    ``erasure_pass``. Both passes are closed again before returning.
    """
    session.flush()
    if session_ids:
        session.execute(insert(DisposalPass), [{"session_id": i} for i in session_ids])
    session.execute(insert(ErasurePass).values(patient_id=patient_id))
    deleted: dict[str, int] = {}
    for name in ERASED:
        spec = BY_NAME[name]
        result = session.execute(delete(spec.table).where(_owned(spec, patient_id)))
        deleted[name] = int(result.rowcount or 0)
    session.execute(delete(ErasurePass).where(ErasurePass.patient_id == patient_id))
    if session_ids:
        session.execute(delete(DisposalPass).where(DisposalPass.session_id.in_(session_ids)))
    return {spec.name: deleted[spec.name] for spec in EXPORTED_TABLES if spec.name in deleted}


def counts_text(counts: dict[str, int]) -> str:
    """What an erasure deletes, for people: the patient's details and the other tables
    with rows, by their titles in the export ("Sessions: 2; Points: 5; ...")."""
    rows = "; ".join(
        f"{TITLES[name]}: {count}" for name, count in counts.items() if count and name != "patient"
    )
    return "the patient's details and " + rows if rows else "the patient's details (no other row)"


def erase_tombstone(
    patient_id: int,
    chart_number: str,
    kept_until: str,
    rule: str,
    counts: dict[str, int],
    reason: str,
) -> str:
    """What the tombstone says: erased, which record, rows per table, why (no values)."""
    rows = "; ".join(f"{name} {count}" for name, count in counts.items())
    return (
        f"Record erased (patient {patient_id}, chart no. {chart_number}): retention ended on "
        f"{kept_until} ({rule}). Rows deleted, by table: {rows} "
        f"({sum(counts.values())} in all). The earlier audit events of this record are kept "
        f"(the trail is append-only). Reason: {reason}"
    )


def next_patient_id(session: Session) -> int | None:
    """On SQLite, the id for a new patient that no patient, present or erased, ever had
    (None elsewhere: PostgreSQL's sequence never gives an id twice)."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    from dnt_desktop.models import Patient

    highest = max(
        session.scalar(select(func.max(Patient.id))) or 0,
        session.scalar(select(func.max(AuditEvent.patient_id))) or 0,
    )
    return highest + 1


def erased_chart_numbers(session: Session) -> list[str]:
    """The chart numbers of erased records, as their tombstones name them."""
    rows = session.execute(  # action alone: read through the partial index of tombstones
        select(AuditEvent.entity_type, AuditEvent.summary).where(AuditEvent.action == ERASE_ACTION)
    )
    found = (CHART_PATTERN.search(summary) for kind, summary in rows if kind == "patient")
    return [m.group(1) for m in found if m]


__all__ = [
    "ERASED",
    "ERASE_ACTION",
    "KEPT",
    "counts_text",
    "erase_rows",
    "erase_tombstone",
    "erased_chart_numbers",
    "next_patient_id",
    "row_counts",
]
