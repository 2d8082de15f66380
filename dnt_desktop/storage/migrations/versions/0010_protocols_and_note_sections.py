"""Notes in sections (SOAP), protocols (named sets of points) and the clinic's phrases.

- ``treatment_session.subjective / objective / assessment / plan``: the note sections,
  empty for every session there is. The free-text notes stay where they are, in
  ``notes``, shown under the sections as "Other notes" (nothing is moved, so nothing
  charted changes: a signed session's content is what it was, since ``signing`` leaves
  the sections out while all of them are empty, and it still verifies). Only ADD
  COLUMN, which no trigger sees.
- ``protocol`` and ``protocol_point``: a practitioner's named sets of points, shared
  with the clinic by an administrator.
- ``note_phrase``: the clinic's short phrases, inserted into the sections from the
  keyboard; administrators edit the list.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECTIONS = ("subjective", "objective", "assessment", "plan")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=20)


def upgrade() -> None:
    for name in SECTIONS:
        op.add_column(
            "treatment_session",
            sa.Column(name, sa.Text(), nullable=False, server_default=""),
        )
    op.create_table(
        "protocol",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["practitioner.id"], name=op.f("fk_protocol_owner_id_practitioner")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol")),
    )
    op.create_index(op.f("ix_protocol_owner_id"), "protocol", ["owner_id"], unique=False)
    op.create_table(
        "protocol_point",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("protocol_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("muscle_code", sa.String(length=60), nullable=False),
        sa.Column("side", _enum("side", "left", "right", "midline"), nullable=False),
        sa.Column("view", _enum("chart_view", "front", "back"), nullable=False),
        sa.Column("x", sa.Float(), nullable=False),
        sa.Column("y", sa.Float(), nullable=False),
        sa.Column("depth_class", _enum("depth_class", "superficial", "deep"), nullable=False),
        sa.Column("depth_mm", sa.Float(), nullable=False),
        sa.Column("needle_gauge_mm", sa.Float(), nullable=False),
        sa.Column("needle_length_mm", sa.Float(), nullable=False),
        sa.Column("technique", _enum("technique", "static", "pistoning"), nullable=False),
        sa.ForeignKeyConstraint(
            ["protocol_id"], ["protocol.id"], name=op.f("fk_protocol_point_protocol_id_protocol")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_protocol_point")),
    )
    op.create_index(
        op.f("ix_protocol_point_protocol_id"), "protocol_point", ["protocol_id"], unique=False
    )
    op.create_table(
        "note_phrase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_phrase")),
    )


def downgrade() -> None:
    op.drop_table("note_phrase")
    op.drop_index(op.f("ix_protocol_point_protocol_id"), table_name="protocol_point")
    op.drop_table("protocol_point")
    op.drop_index(op.f("ix_protocol_owner_id"), table_name="protocol")
    op.drop_table("protocol")
    for name in reversed(SECTIONS):
        op.drop_column("treatment_session", name)  # SQLite 3.35+ drops a column in place
