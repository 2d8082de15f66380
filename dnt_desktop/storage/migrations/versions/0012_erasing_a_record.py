"""Erasing a record past its retention period (issue 17).

- ``erasure_pass``: while a disposal erases a patient's record, the patient has a row
  here, and the append-only guards of outcome measures, their answers and retractions,
  sent letters (migration 0008) and late events (0009) let that patient's rows be
  DELETEd (never UPDATEd). The signed sessions, their charted rows and their amendments
  are let through by ``disposal_pass`` (0011), as for an anonymising disposal. The
  disposal removes its rows before it commits; ``dnt-desktop check`` reports a row left.
  SQLite: the ``*_no_delete`` triggers are recreated with the extra condition.
  PostgreSQL: the statement-level append-only triggers keep refusing UPDATE and
  TRUNCATE, and a row-level trigger (``dnt_erasure_guard``) refuses a DELETE unless the
  row's patient has a row in ``erasure_pass``.
- ``ix_audit_event_erased``: a partial index of the audit trail's tombstones of erased
  records (``action = 'erase'``), which ``check`` reads first (it is empty in a clinic
  that never erased a record, and finding that costs no scan of the trail).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "{table} rows are append-only and cannot be changed"
OWNER = {
    "outcome_measure": "OLD.patient_id",
    "sent_letter": "OLD.patient_id",
    "measure_answer": "(SELECT patient_id FROM outcome_measure WHERE id = OLD.measure_id)",
    "measure_retraction": "(SELECT patient_id FROM outcome_measure WHERE id = OLD.measure_id)",
    "late_event": "(SELECT patient_id FROM treatment_session WHERE id = OLD.session_id)",
}
"""The append-only tables an erasure deletes from, and how a row names its patient."""
ERASE_ACTION = "erase"


def sqlite_delete_triggers(erasure: bool) -> dict[str, str]:
    """The DELETE guards of 0008 and 0009, with (*erasure*) or without the pass."""
    triggers = {}
    for table, owner in OWNER.items():
        name = f"{table}_no_delete"
        when = (
            f" WHEN NOT EXISTS (SELECT 1 FROM erasure_pass WHERE patient_id = {owner})"
            if erasure
            else ""
        )
        body = f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE.format(table=table)}'); END"
        triggers[name] = f"CREATE TRIGGER {name} BEFORE DELETE ON {table}{when} {body}"
    return triggers


ERASURE_GUARD = """
CREATE OR REPLACE FUNCTION dnt_erasure_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    owner integer;
BEGIN
    IF TG_TABLE_NAME IN ('outcome_measure', 'sent_letter') THEN
        owner := OLD.patient_id;
    ELSIF TG_TABLE_NAME IN ('measure_answer', 'measure_retraction') THEN
        SELECT patient_id INTO owner FROM outcome_measure WHERE id = OLD.measure_id;
    ELSIF TG_TABLE_NAME = 'late_event' THEN
        SELECT patient_id INTO owner FROM treatment_session WHERE id = OLD.session_id;
    END IF;
    IF owner IS NOT NULL AND EXISTS (SELECT 1 FROM erasure_pass WHERE patient_id = owner) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are append-only and cannot be changed', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$"""


def _postgres_guards(erasure: bool) -> None:
    if erasure:
        op.execute(ERASURE_GUARD)
    for table in OWNER:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS {table}_erasure_guard ON {table}")
        events = "UPDATE OR TRUNCATE" if erasure else "UPDATE OR DELETE OR TRUNCATE"
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()"
        )
        if erasure:
            op.execute(
                f"CREATE TRIGGER {table}_erasure_guard BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION dnt_erasure_guard()"
            )
    if not erasure:
        op.execute("DROP FUNCTION IF EXISTS dnt_erasure_guard()")


def _guards(erasure: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, statement in sqlite_delete_triggers(erasure).items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(statement)
    elif dialect == "postgresql":
        _postgres_guards(erasure)


def upgrade() -> None:
    op.create_table(
        "erasure_pass",
        sa.Column("patient_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_erasure_pass")),
    )
    op.create_index(
        "ix_audit_event_erased",
        "audit_event",
        ["patient_id"],
        sqlite_where=sa.text(f"action = '{ERASE_ACTION}'"),
        postgresql_where=sa.text(f"action = '{ERASE_ACTION}'"),
    )
    _guards(erasure=True)


def downgrade() -> None:
    _guards(erasure=False)
    op.drop_index("ix_audit_event_erased", table_name="audit_event")
    op.drop_table("erasure_pass")
