"""Alembic environment: runs on the connection the app hands over (never from alembic.ini)."""

from __future__ import annotations

from alembic import context

from dnt_desktop.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "dnt-desktop migrations run from the application (dnt_desktop.storage.migrate), "
        "not from the alembic command line."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
