"""Aftercare sheets in the patient's language: a text set per language.

- ``patient.handout_language``: the language of the patient's handouts ('en' for every
  patient there is, so their sheets stay as they were);
- ``aftercare_template.language``: the clinic's edited blocks belong to one language's
  set; the key becomes (language, key), every existing edit is English;
- ``aftercare_language``: review status of a set (reviewed by a clinician who reads the
  language, by whom, when) and the languages an administrator added by copying a set.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (both databases have it): a batch would copy the patient table,
    # which every record refers to, and the foreign keys refuse dropping the original.
    op.add_column(
        "patient",
        sa.Column("handout_language", sa.String(length=20), nullable=False, server_default="en"),
    )
    with op.batch_alter_table("aftercare_template") as batch:
        batch.add_column(
            sa.Column("language", sa.String(length=20), nullable=False, server_default="en")
        )
        batch.drop_constraint("pk_aftercare_template", type_="primary")
        batch.create_primary_key("pk_aftercare_template", ["language", "key"])
    op.create_table(
        "aftercare_language",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("native_name", sa.String(length=100), nullable=False),
        sa.Column("copied_from", sa.String(length=20), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["practitioner.id"],
            name=op.f("fk_aftercare_language_updated_by_id_practitioner"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_aftercare_language")),
    )


def downgrade() -> None:
    op.drop_table("aftercare_language")
    op.execute("DELETE FROM aftercare_template WHERE language <> 'en'")
    with op.batch_alter_table("aftercare_template") as batch:
        batch.drop_constraint("pk_aftercare_template", type_="primary")
        batch.drop_column("language")
        batch.create_primary_key("pk_aftercare_template", ["key"])
    op.drop_column("patient", "handout_language")  # SQLite 3.35+ drops a column in place
