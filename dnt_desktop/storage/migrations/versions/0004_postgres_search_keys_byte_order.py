"""PostgreSQL: the search keys and chart numbers compare byte by byte, as on SQLite.

A register search for 'mor' asks for ``family_name_key >= 'mor' AND < 'mor' || U+FFFF``
(a range, so that the b-tree index answers it). SQLite compares text byte by byte, so
every key starting with 'mor' lies in that range. A PostgreSQL database created with a
glibc locale such as en_US.UTF-8 (Debian's default for a server set up in English) sorts
U+FFFF *before* letters, and the search found only the patients called exactly 'Mor'.
With the ``"C"`` collation on these three columns PostgreSQL compares, sorts and indexes
them exactly like SQLite, whatever the database's locale; the indexes are rebuilt.

Nothing changes on SQLite.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 15:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BYTE_ORDER_COLUMNS = {"family_name_key": 100, "given_name_key": 100, "chart_number": 40}


def _collate(collation: str) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    changes = ", ".join(
        f'ALTER COLUMN {name} TYPE VARCHAR({length}) COLLATE "{collation}"'
        for name, length in BYTE_ORDER_COLUMNS.items()
    )
    op.execute(f"ALTER TABLE patient {changes}")


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate("default")
