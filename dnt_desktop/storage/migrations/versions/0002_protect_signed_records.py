"""Protect records in the database itself: signed sessions and the audit trail.

SQLite triggers refuse, whoever writes to the file (the app, a script, a SQL browser):

- any UPDATE or DELETE of a signed treatment session (the signing UPDATE itself passes:
  the triggers look at ``OLD.status``, which is still 'draft' then);
- any INSERT, UPDATE or DELETE of a charted row (conditions, adjuncts, points, side
  effects, alert acknowledgements) that belongs to a signed session;
- any UPDATE or DELETE of an audit event or an amendment (both are append-only).

Amendments and aftercare deliveries can still be added to signed sessions. On PostgreSQL
the same rules are installed as PL/pgSQL trigger functions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 09:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SIGNED_MESSAGE = "signed sessions cannot be changed"
APPEND_ONLY_MESSAGE = "{table} rows are append-only and cannot be changed"
CHILD_TABLES = (
    "session_condition",
    "session_adjunct",
    "needling_point",
    "side_effect",
    "alert_acknowledgement",
)
APPEND_ONLY_TABLES = ("audit_event", "amendment")


def _parent_signed(alias: str) -> str:
    return f"(SELECT status FROM treatment_session WHERE id = {alias}.session_id) = 'signed'"


def sqlite_triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement, for SQLite."""
    abort_signed = f"BEGIN SELECT RAISE(ABORT, '{SIGNED_MESSAGE}'); END"
    triggers = {
        "treatment_session_signed_no_update": (
            "CREATE TRIGGER treatment_session_signed_no_update BEFORE UPDATE "
            f"ON treatment_session WHEN OLD.status = 'signed' {abort_signed}"
        ),
        "treatment_session_signed_no_delete": (
            "CREATE TRIGGER treatment_session_signed_no_delete BEFORE DELETE "
            f"ON treatment_session WHEN OLD.status = 'signed' {abort_signed}"
        ),
    }
    for table in CHILD_TABLES:
        conditions = {
            "insert": _parent_signed("NEW"),
            "update": f"{_parent_signed('OLD')} OR {_parent_signed('NEW')}",
            "delete": _parent_signed("OLD"),
        }
        for event, condition in conditions.items():
            name = f"{table}_signed_no_{event}"
            triggers[name] = (
                f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} "
                f"WHEN {condition} {abort_signed}"
            )
    for table in APPEND_ONLY_TABLES:
        message = APPEND_ONLY_MESSAGE.format(table=table)
        for event in ("update", "delete"):
            name = f"{table}_no_{event}"
            triggers[name] = (
                f"CREATE TRIGGER {name} BEFORE {event.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    return triggers


POSTGRES_FUNCTIONS = {
    "dnt_signed_session_guard": f"""
CREATE FUNCTION dnt_signed_session_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'signed' THEN
        RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$""",
    "dnt_signed_child_guard": f"""
CREATE FUNCTION dnt_signed_child_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM treatment_session WHERE id = OLD.session_id AND status = 'signed'
    ) THEN
        RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM treatment_session WHERE id = NEW.session_id AND status = 'signed'
    ) THEN
        RAISE EXCEPTION '{SIGNED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$""",
    "dnt_append_only_guard": """
CREATE FUNCTION dnt_append_only_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only and cannot be changed', TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END $$""",
}


def postgres_triggers() -> dict[str, tuple[str, str]]:
    """Trigger name -> (table, CREATE TRIGGER statement), for PostgreSQL."""
    triggers = {
        "treatment_session_signed_guard": (
            "treatment_session",
            "CREATE TRIGGER treatment_session_signed_guard BEFORE UPDATE OR DELETE "
            "ON treatment_session FOR EACH ROW EXECUTE FUNCTION dnt_signed_session_guard()",
        )
    }
    for table in CHILD_TABLES:
        name = f"{table}_signed_guard"
        triggers[name] = (
            table,
            f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION dnt_signed_child_guard()",
        )
    for table in APPEND_ONLY_TABLES:
        name = f"{table}_append_only"
        triggers[name] = (
            table,
            f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE OR TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION dnt_append_only_guard()",
        )
    return triggers


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in sqlite_triggers().values():
            op.execute(statement)
    elif dialect == "postgresql":
        for statement in POSTGRES_FUNCTIONS.values():
            op.execute(statement)
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
        for name in POSTGRES_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
