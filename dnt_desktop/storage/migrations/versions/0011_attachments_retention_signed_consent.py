"""The patient's record as the law sees it: attachments, consent text, retention, disposal.

- ``attachment``: PDF, JPEG and PNG files of a patient (scanned letters, signed consent
  forms, imaging reports) kept in the database with their SHA-256;
- ``consent_text``: the clinic's consent text, one row per version;
- ``patient.died_on`` (retention runs from a recorded death) and ``patient.disposed_at``
  (the record was anonymised after its retention period);
- ``disposal_pass``: while a disposal anonymises or erases a signed session, the session
  has a row here, and the guards of migrations 0002 let that one change through (SQLite
  triggers are recreated with the extra condition; on PostgreSQL the trigger functions
  are replaced, and amendments get a row-level guard). The disposal removes its rows
  before it commits; ``dnt-desktop check`` reports a row left behind.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNED_MESSAGE = "signed sessions cannot be changed"
APPEND_ONLY_MESSAGE = "amendment rows are append-only and cannot be changed"
CHILD_TABLES = (
    "session_condition",
    "session_adjunct",
    "needling_point",
    "side_effect",
    "alert_acknowledgement",
)


def _parent_signed(alias: str) -> str:
    return f"(SELECT status FROM treatment_session WHERE id = {alias}.session_id) = 'signed'"


def _no_pass(session_id: str) -> str:
    return f"NOT EXISTS (SELECT 1 FROM disposal_pass WHERE session_id = {session_id})"


def sqlite_triggers(disposal: bool) -> dict[str, str]:
    """The UPDATE and DELETE guards of 0002, with (*disposal*) or without the pass."""
    abort = f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END"
    guards: dict[str, tuple[str, str, str, str]] = {}
    for event in ("update", "delete"):
        guards[f"treatment_session_signed_no_{event}"] = (
            event,
            "treatment_session",
            "OLD.status = 'signed'",
            "OLD.id",
        )
    for table in CHILD_TABLES:
        guards[f"{table}_signed_no_update"] = (
            "update",
            table,
            f"{_parent_signed('OLD')} OR {_parent_signed('NEW')}",
            "OLD.session_id",
        )
        guards[f"{table}_signed_no_delete"] = (
            "delete",
            table,
            _parent_signed("OLD"),
            "OLD.session_id",
        )
    triggers = {}
    for name, (event, table, condition, session_id) in guards.items():
        when = f"({condition}) AND {_no_pass(session_id)}" if disposal else condition
        triggers[name] = (
            f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} WHEN {when} {abort}"
        )
    for event in ("update", "delete"):
        name = f"amendment_no_{event}"
        when = f" WHEN {_no_pass('OLD.session_id')}" if disposal else ""
        triggers[name] = (
            f"CREATE TRIGGER {name} BEFORE {event.upper()} ON amendment{when} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
        )
    return triggers


def _raise_signed() -> str:
    return f"RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';"


def postgres_functions(disposal: bool) -> dict[str, str]:
    """CREATE OR REPLACE of 0002's guard functions, with (*disposal*) or without the pass."""
    passed = (
        "IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM disposal_pass "
        "WHERE session_id = OLD.{column}) THEN\n"
        "        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n"
        "        RETURN NEW;\n"
        "    END IF;\n    "
        if disposal
        else ""
    )
    return {
        "dnt_signed_session_guard": f"""
CREATE OR REPLACE FUNCTION dnt_signed_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {passed.format(column="id")}IF OLD.status = 'signed' THEN
        {_raise_signed()}
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$""",
        "dnt_signed_child_guard": f"""
CREATE OR REPLACE FUNCTION dnt_signed_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {passed.format(column="session_id")}IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM treatment_session WHERE id = OLD.session_id AND status = 'signed'
    ) THEN
        {_raise_signed()}
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM treatment_session WHERE id = NEW.session_id AND status = 'signed'
    ) THEN
        {_raise_signed()}
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$""",
    }


AMENDMENT_GUARD = f"""
CREATE OR REPLACE FUNCTION dnt_amendment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM disposal_pass WHERE session_id = OLD.session_id) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{APPEND_ONLY_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
END $$"""


def _postgres_amendment_triggers(disposal: bool) -> None:
    op.execute("DROP TRIGGER IF EXISTS amendment_append_only ON amendment")
    op.execute("DROP TRIGGER IF EXISTS amendment_disposal_guard ON amendment")
    if disposal:
        op.execute(AMENDMENT_GUARD)
        op.execute(
            "CREATE TRIGGER amendment_append_only BEFORE TRUNCATE ON amendment "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()"
        )
        op.execute(
            "CREATE TRIGGER amendment_disposal_guard BEFORE UPDATE OR DELETE ON amendment "
            "FOR EACH ROW EXECUTE FUNCTION dnt_amendment_guard()"
        )
    else:
        op.execute(
            "CREATE TRIGGER amendment_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON amendment "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()"
        )
        op.execute("DROP FUNCTION IF EXISTS dnt_amendment_guard()")


def _guards(disposal: bool) -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name, statement in sqlite_triggers(disposal).items():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in postgres_functions(disposal).values():
            op.execute(statement)
        _postgres_amendment_triggers(disposal)


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("consent_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_attachment_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["consent_id"], ["consent.id"], name=op.f("fk_attachment_consent_id_consent")
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"],
            ["practitioner.id"],
            name=op.f("fk_attachment_added_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    op.create_index(op.f("ix_attachment_patient_id"), "attachment", ["patient_id"])
    op.create_index(op.f("ix_attachment_consent_id"), "attachment", ["consent_id"])
    op.create_table(
        "consent_text",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["practitioner.id"],
            name=op.f("fk_consent_text_created_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_text")),
        sa.UniqueConstraint("version", name=op.f("uq_consent_text_version")),
    )
    op.create_table(
        "disposal_pass",
        sa.Column("session_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.PrimaryKeyConstraint("session_id", name=op.f("pk_disposal_pass")),
    )
    op.add_column("patient", sa.Column("died_on", sa.Date(), nullable=True))
    op.add_column("patient", sa.Column("disposed_at", sa.DateTime(), nullable=True))
    _guards(disposal=True)


def downgrade() -> None:
    _guards(disposal=False)
    op.drop_column("patient", "disposed_at")
    op.drop_column("patient", "died_on")
    op.drop_table("disposal_pass")
    op.drop_table("consent_text")
    op.drop_index(op.f("ix_attachment_consent_id"), table_name="attachment")
    op.drop_index(op.f("ix_attachment_patient_id"), table_name="attachment")
    op.drop_table("attachment")
