"""An index of each practitioner's sessions by start: where their next point starts.

A new point on a muscle starts from the practitioner's last point on that muscle
(``services.point_history``): their latest 500 sessions, newest first, each probed for
points on the muscle. Without this index SQLite sorted all of the practitioner's
sessions on every click (55-95 ms at 20,000 patients, growing with the database); with
it the read takes about 2 ms at any size. Only an index is added.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_treatment_session_practitioner_started"


def upgrade() -> None:
    op.create_index(INDEX, "treatment_session", ["practitioner_id", "started_at"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="treatment_session")
