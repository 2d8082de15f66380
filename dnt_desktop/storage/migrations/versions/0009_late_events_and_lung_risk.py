"""Safety surveillance: late-reported events, lung-risk depth limits, BMI at screening.

- ``late_event``: an adverse event reported after the session was signed (category,
  severity, onset in hours, action taken, who recorded it and when). Append-only like
  amendments: SQLite triggers refuse UPDATE, DELETE and an INSERT over an existing id
  (REPLACE); on PostgreSQL the append-only trigger function of migration 0002 refuses
  UPDATE, DELETE and TRUNCATE (and so ``INSERT ... ON CONFLICT DO UPDATE``).
- ``lung_depth_limit``: the clinic's own maximum depth and needle length per lung-risk
  muscle and BMI band (rows only where the clinic changed the shipped default of
  ``resources/safety/lung_depth_limits.json``).
- ``screening.height_cm`` / ``screening.weight_kg``: for the BMI (None when not taken).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 07:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "late_event"
APPEND_ONLY_MESSAGE = "late_event rows are append-only and cannot be changed"


def sqlite_triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement, for SQLite."""
    abort = f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END"
    return {
        f"{TABLE}_no_update": f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} {abort}",
        f"{TABLE}_no_delete": f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} {abort}",
        f"{TABLE}_no_replace": (
            f"CREATE TRIGGER {TABLE}_no_replace BEFORE INSERT ON {TABLE} "
            f"WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE id = NEW.id) {abort}"
        ),
    }


def postgres_triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement, for PostgreSQL (function of 0002)."""
    name = f"{TABLE}_append_only"
    return {
        name: (
            f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE OR TRUNCATE ON {TABLE} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()"
        )
    }


def upgrade() -> None:
    op.add_column("screening", sa.Column("height_cm", sa.Float(), nullable=True))
    op.add_column("screening", sa.Column("weight_kg", sa.Float(), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("other_text", sa.String(length=200), nullable=False),
        sa.Column(
            "severity",
            sa.Enum(
                "mild",
                "moderate",
                "severe",
                name="severity",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("onset_hours", sa.Float(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "onset_hours >= 0 AND onset_hours <= 2160", name=op.f("ck_late_event_onset_hours_range")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["practitioner.id"],
            name=op.f("fk_late_event_recorded_by_id_practitioner"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["treatment_session.id"],
            name=op.f("fk_late_event_session_id_treatment_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_late_event")),
    )
    op.create_index(op.f("ix_late_event_session_id"), TABLE, ["session_id"], unique=False)
    op.create_table(
        "lung_depth_limit",
        sa.Column("muscle_code", sa.String(length=60), nullable=False),
        sa.Column("bmi_band", sa.String(length=20), nullable=False),
        sa.Column("max_depth_mm", sa.Float(), nullable=False),
        sa.Column("max_needle_length_mm", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("max_depth_mm > 0", name=op.f("ck_lung_depth_limit_max_depth_positive")),
        sa.CheckConstraint(
            "max_needle_length_mm > 0", name=op.f("ck_lung_depth_limit_max_needle_positive")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["practitioner.id"],
            name=op.f("fk_lung_depth_limit_updated_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("muscle_code", "bmi_band", name=op.f("pk_lung_depth_limit")),
    )
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in sqlite_triggers().values():
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in postgres_triggers().values():
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif dialect == "postgresql":
        for name in postgres_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {TABLE}")
    op.drop_table("lung_depth_limit")
    op.drop_index(op.f("ix_late_event_session_id"), table_name=TABLE)
    op.drop_table(TABLE)
    op.drop_column("screening", "weight_kg")
    op.drop_column("screening", "height_cm")
