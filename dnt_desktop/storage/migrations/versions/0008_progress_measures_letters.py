"""Progress you can see and send: referrers, outcome measures and sent letters.

- ``referrer`` (referring doctors and practices) and ``patient_referrer`` (the one chosen
  on a patient's details);
- ``outcome_measure`` with its ``measure_answer`` rows, and ``measure_retraction`` (a
  measure "entered in error", the original kept);
- ``letter_template`` (a clinic's edited letter templates) and ``sent_letter`` (every
  letter as sent, with its PDF's bytes).

Measures, their answers, retractions and sent letters are append-only: triggers refuse
UPDATE and DELETE (and, on SQLite, an INSERT or REPLACE over an existing id), whoever
writes to the file; their audit events seal them (``dnt-desktop check``).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_MESSAGE = "{table} rows are append-only and cannot be changed"
APPEND_ONLY_TABLES = ("outcome_measure", "measure_answer", "measure_retraction", "sent_letter")


def sqlite_triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement, for SQLite."""
    triggers = {}
    for table in APPEND_ONLY_TABLES:
        body = f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE.format(table=table)}'); END"
        for event in ("update", "delete"):
            name = f"{table}_no_{event}"
            triggers[name] = f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} {body}"
        name = f"{table}_no_replace"
        triggers[name] = (
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) {body}"
        )
    return triggers


def postgres_triggers() -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, CREATE TRIGGER statement), for PostgreSQL (the guard
    function ``dnt_append_only_guard`` comes from migration 0002)."""
    return {
        f"{table}_append_only": (
            table,
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()",
        )
        for table in APPEND_ONLY_TABLES
    }


def upgrade() -> None:
    op.create_table(
        "referrer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("practice", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=50), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referrer")),
    )
    op.create_table(
        "patient_referrer",
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("referrer_id", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_referrer_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["referrer_id"], ["referrer.id"], name=op.f("fk_patient_referrer_referrer_id_referrer")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["practitioner.id"],
            name=op.f("fk_patient_referrer_updated_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("patient_id", name=op.f("pk_patient_referrer")),
    )
    op.create_index(
        op.f("ix_patient_referrer_referrer_id"), "patient_referrer", ["referrer_id"], unique=False
    )
    op.create_table(
        "outcome_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("scoring", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("mcid", sa.String(length=20), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_outcome_measure_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["practitioner_id"],
            ["practitioner.id"],
            name=op.f("fk_outcome_measure_practitioner_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_outcome_measure_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcome_measure")),
    )
    op.create_index(
        "ix_outcome_measure_patient_taken",
        "outcome_measure",
        ["patient_id", "taken_on"],
        unique=False,
    )
    op.create_table(
        "measure_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("item_code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["outcome_measure.id"],
            name=op.f("fk_measure_answer_measure_id_outcome_measure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_answer")),
        sa.UniqueConstraint("measure_id", "position", name="uq_measure_answer_position"),
    )
    op.create_index(
        op.f("ix_measure_answer_measure_id"), "measure_answer", ["measure_id"], unique=False
    )
    op.create_table(
        "measure_retraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["practitioner.id"],
            name=op.f("fk_measure_retraction_author_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["outcome_measure.id"],
            name=op.f("fk_measure_retraction_measure_id_outcome_measure"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_retraction")),
        sa.UniqueConstraint("measure_id", name=op.f("uq_measure_retraction_measure_id")),
    )
    op.create_table(
        "letter_template",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["practitioner.id"],
            name=op.f("fk_letter_template_updated_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_letter_template")),
    )
    op.create_table(
        "sent_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("referrer_id", sa.Integer(), nullable=True),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.Text(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["practitioner.id"], name=op.f("fk_sent_letter_author_id_practitioner")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_sent_letter_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["referrer_id"], ["referrer.id"], name=op.f("fk_sent_letter_referrer_id_referrer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_letter")),
    )
    op.create_index("ix_sent_letter_patient", "sent_letter", ["patient_id"], unique=False)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in sqlite_triggers().values():
            op.execute(statement)
    elif dialect == "postgresql":
        for _table, statement in postgres_triggers().values():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name, (table, _statement) in postgres_triggers().items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
    for table in (
        "sent_letter",
        "letter_template",
        "measure_retraction",
        "measure_answer",
        "outcome_measure",
        "patient_referrer",
        "referrer",
    ):
        op.drop_table(table)
