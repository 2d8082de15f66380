"""Which tables hold a patient's record, and how each links to the patient: the one
declaration the complete export reads (JSON, CSV and the readable PDF).

A table links to a patient through its own ``patient_id`` column (``column``), or
through a parent table's id (``column`` and ``parent``: a point's ``session_id`` names a
session of the patient). ``tests/services/test_record_export.py`` fails when a table of
the schema links to a patient and is neither exported here nor left out in
``NOT_EXPORTED`` with its reason: a new patient-linked table needs one line here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, Table, select

from dnt_desktop.models import Base


@dataclass(frozen=True)
class ExportedTable:
    """One table of the export: how its rows link to the patient, what is left out."""

    name: str
    column: str
    """The column that names the patient (``parent`` None) or the parent row."""
    parent: str | None = None
    """The exported table whose ``id`` *column* refers to, when not the patient."""
    omitted: tuple[str, ...] = ()
    """Columns not written to JSON and CSV (an attachment's bytes are a file of the zip)."""
    title: str = ""

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]


EXPORTED_TABLES: tuple[ExportedTable, ...] = (
    ExportedTable("patient", "id", title="Patient"),
    ExportedTable("screening", "patient_id", title="Screenings"),
    ExportedTable("screening_answer", "screening_id", "screening", title="Screening answers"),
    ExportedTable("consent", "patient_id", title="Consents"),
    ExportedTable("treatment_session", "patient_id", title="Sessions"),
    ExportedTable("session_condition", "session_id", "treatment_session", title="Conditions"),
    ExportedTable("session_adjunct", "session_id", "treatment_session", title="Adjuncts"),
    ExportedTable("needling_point", "session_id", "treatment_session", title="Points"),
    ExportedTable("side_effect", "session_id", "treatment_session", title="Side effects"),
    ExportedTable(
        "alert_acknowledgement", "session_id", "treatment_session", title="Alerts acknowledged"
    ),
    ExportedTable("amendment", "session_id", "treatment_session", title="Amendments"),
    ExportedTable(
        "aftercare_delivery", "session_id", "treatment_session", title="Aftercare sheets given"
    ),
    ExportedTable(
        "late_event", "session_id", "treatment_session", title="Events reported after signing"
    ),
    ExportedTable("outcome_measure", "patient_id", title="Outcome measures"),
    ExportedTable("measure_answer", "measure_id", "outcome_measure", title="Measure answers"),
    ExportedTable(
        "measure_retraction", "measure_id", "outcome_measure", title="Measures entered in error"
    ),
    ExportedTable("patient_referrer", "patient_id", title="Referred by"),
    ExportedTable("sent_letter", "patient_id", omitted=("pdf",), title="Letters sent"),
    ExportedTable("attachment", "patient_id", omitted=("data",), title="Attachments"),
    ExportedTable("audit_event", "patient_id", title="Audit trail of this record"),
)
"""Every table of a patient's record, parents before their children."""

NOT_EXPORTED: dict[str, str] = {
    "disposal_pass": "holds a session id only during a disposal's transaction",
    "erasure_pass": "holds a patient id only during an erasure's transaction",
}
"""Tables that link to a patient but are not part of the record, with the reason."""

BY_NAME = {table.name: table for table in EXPORTED_TABLES}


def ids_statement(name: str, patient_id: int) -> Select:
    """SELECT of the ids of *name*'s rows that belong to *patient_id*."""
    spec = BY_NAME[name]
    table = spec.table
    if spec.parent is None:
        return select(table.c.id).where(table.c[spec.column] == patient_id)
    return select(table.c.id).where(
        table.c[spec.column].in_(ids_statement(spec.parent, patient_id))
    )


def rows_statement(name: str, patient_id: int) -> Select:
    """SELECT of *name*'s exported columns for *patient_id*'s rows, in id order."""
    spec = BY_NAME[name]
    table = spec.table
    columns = [c for c in table.c if c.name not in spec.omitted]
    query = select(*columns)
    if spec.parent is None:
        query = query.where(table.c[spec.column] == patient_id)
    else:
        query = query.where(table.c[spec.column].in_(ids_statement(spec.parent, patient_id)))
    order = table.c.id if "id" in table.c else table.c[spec.column]  # patient_referrer
    return query.order_by(order)


def exported_columns(name: str) -> list[str]:
    """The column names of *name* as written to JSON and CSV."""
    spec = BY_NAME[name]
    return [c.name for c in spec.table.c if c.name not in spec.omitted]
