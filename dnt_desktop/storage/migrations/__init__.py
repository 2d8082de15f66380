"""Alembic migration scripts, shipped inside the package and applied on start."""
