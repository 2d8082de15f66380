"""Signatures and amendments in the audit trail; no REPLACE over protected rows.

1. ``audit_event.record_hash``: a signature's event records the seal of the signed
   session (its content hash with its alert acknowledgements, ``record_hashes.seal``), an
   amendment's event the amendment's own hash. The row hash of the chain covers it, so
   ``dnt-desktop check`` can tell a signed record from one rewritten with a recomputed
   hash, and finds a signed session or amendment that was removed or set back to draft.

2. A baseline for what was signed before: every signed session and every amendment that
   has no such event yet gets one now ("sign_baseline", "amend_baseline") with the hash
   it has *today*. The baseline vouches for those records from this upgrade on; it cannot
   vouch for what happened to them before (a session whose content already disagrees
   with its stored hash keeps failing ``check``).

3. SQLite triggers that refuse an INSERT (``REPLACE``, ``INSERT OR REPLACE``) over the id
   of an amendment, an audit event, a signed session or a charted row of a signed
   session, and an UPDATE that moves a row onto such an id (``UPDATE OR REPLACE``):
   SQLite's REPLACE deletes the old row without firing its DELETE triggers. PostgreSQL
   has no REPLACE; its ``INSERT ... ON CONFLICT DO UPDATE`` fires the UPDATE guards of
   migration 0002, which refuse it.

The downgrade removes the triggers only: the audit trail is append-only, so the column
and the events written into the chain stay (upgrading again adds no second baseline).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 18:00:00
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
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
BATCH = 5000


def _raise(message: str) -> str:
    return f"BEGIN SELECT RAISE(ABORT, '{message}'); END"


def _signed_child(table: str, new_id: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM {table} c JOIN treatment_session s ON s.id = c.session_id "
        f"WHERE c.id = {new_id} AND s.status = 'signed')"
    )


def sqlite_triggers() -> dict[str, str]:
    """Trigger name -> CREATE TRIGGER statement, for SQLite."""
    triggers = {}
    for table in APPEND_ONLY_TABLES:
        name = f"{table}_no_replace"
        triggers[name] = (
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            + _raise(APPEND_ONLY_MESSAGE.format(table=table))
        )
    signed_session = (
        "EXISTS (SELECT 1 FROM treatment_session WHERE id = NEW.id AND status = 'signed')"
    )
    triggers["treatment_session_signed_no_replace"] = (
        "CREATE TRIGGER treatment_session_signed_no_replace BEFORE INSERT ON treatment_session "
        f"WHEN {signed_session} " + _raise(SIGNED_MESSAGE)
    )
    triggers["treatment_session_signed_no_take_id"] = (
        "CREATE TRIGGER treatment_session_signed_no_take_id BEFORE UPDATE OF id "
        f"ON treatment_session WHEN NEW.id IS NOT OLD.id AND {signed_session} "
        + _raise(SIGNED_MESSAGE)
    )
    for table in CHILD_TABLES:
        triggers[f"{table}_signed_no_replace"] = (
            f"CREATE TRIGGER {table}_signed_no_replace BEFORE INSERT ON {table} "
            f"WHEN {_signed_child(table, 'NEW.id')} " + _raise(SIGNED_MESSAGE)
        )
        triggers[f"{table}_signed_no_take_id"] = (
            f"CREATE TRIGGER {table}_signed_no_take_id BEFORE UPDATE OF id ON {table} "
            f"WHEN NEW.id IS NOT OLD.id AND {_signed_child(table, 'NEW.id')} "
            + _raise(SIGNED_MESSAGE)
        )
    return triggers


def _add_record_hash(bind: sa.Connection) -> None:
    columns = {c["name"] for c in sa.inspect(bind).get_columns("audit_event")}
    if "record_hash" not in columns:
        op.add_column("audit_event", sa.Column("record_hash", sa.String(length=64), nullable=True))


def _record_baseline(bind: sa.Connection) -> None:
    """A "sign_baseline" / "amend_baseline" event for each record without its event.

    Uses the one definition of the seal, the amendment hash and the chain that the app and
    ``check`` use (``storage.record_hashes``, ``storage.audit_rows``: a copy frozen here
    could drift from what ``check`` computes), and reads only the columns those need,
    typed by the models.
    """
    from dnt_desktop.models import AlertAcknowledgement, Amendment, AuditEvent, TreatmentSession
    from dnt_desktop.models.base import UTCDateTime
    from dnt_desktop.storage import record_hashes
    from dnt_desktop.storage.audit_rows import chained_rows

    sessions = TreatmentSession.__table__
    acks = AlertAcknowledgement.__table__
    amendments = Amendment.__table__
    events = AuditEvent.__table__

    def recorded(actions: Sequence[str]) -> dict[int, set[str]]:
        found: dict[int, set[str]] = defaultdict(set)
        for entity_id, record_hash in bind.execute(
            sa.select(events.c.entity_id, events.c.record_hash).where(
                events.c.entity_type == "session",
                events.c.action.in_(actions),
                events.c.record_hash.is_not(None),
            )
        ):
            found[entity_id].add(record_hash)
        return found

    def session_events() -> Iterator[dict[str, object]]:
        signed = recorded(record_hashes.SIGNATURE_ACTIONS)
        by_session: dict[int, list[sa.Row]] = defaultdict(list)
        for ack in bind.execute(
            sa.select(acks.c.session_id, *(acks.c[n] for n in record_hashes.ACKNOWLEDGEMENT_FIELDS))
            .join(sessions, sessions.c.id == acks.c.session_id)
            .where(sessions.c.status == "signed")
            .order_by(acks.c.session_id, acks.c.id)
        ):
            by_session[ack.session_id].append(ack)
        for row in bind.execute(
            sa.select(
                sessions.c.id, sessions.c.patient_id, sessions.c.started_at, sessions.c.content_hash
            )
            .where(sessions.c.status == "signed")
            .order_by(sessions.c.id)
        ):
            if row.id in signed:
                continue
            day = row.started_at.astimezone().date().isoformat()
            stored = row.content_hash or "none"
            yield {
                "action": "sign_baseline",
                "entity_type": "session",
                "entity_id": row.id,
                "patient_id": row.patient_id,
                "summary": (
                    f"Signed session of {day} on record at the upgrade to schema 0005; "
                    f"content hash {stored[:12]}"
                ),
                "record_hash": record_hashes.seal(row.content_hash, by_session.get(row.id, [])),
            }

    def amendment_events() -> Iterator[dict[str, object]]:
        amended = recorded(record_hashes.AMENDMENT_ACTIONS)
        for row in bind.execute(
            sa.select(
                *(amendments.c[n] for n in record_hashes.AMENDMENT_FIELDS), sessions.c.patient_id
            )
            .join(sessions, sessions.c.id == amendments.c.session_id, isouter=True)
            .order_by(amendments.c.id)
        ).all():
            digest = record_hashes.amendment_hash(row)
            if digest in amended.get(row.session_id, ()):
                continue
            yield {
                "action": "amend_baseline",
                "entity_type": "session",
                "entity_id": row.session_id,
                "patient_id": row.patient_id,
                "summary": f"Amendment {row.id} on record at the upgrade to schema 0005",
                "record_hash": digest,
            }

    for events_of in (session_events, amendment_events):
        pending = events_of()
        while chunk := list(itertools.islice(pending, BATCH)):
            rows = chained_rows(bind, chunk)  # chained onto the rows inserted before
            target = sa.table(
                "audit_event",
                *(
                    sa.column(name, UTCDateTime() if name == "occurred_at" else None)
                    for name in rows[0]
                ),
            )
            bind.execute(sa.insert(target), rows)


def upgrade() -> None:
    bind = op.get_bind()
    _add_record_hash(bind)
    if bind.dialect.name == "sqlite":
        for statement in sqlite_triggers().values():
            op.execute(statement)
    _record_baseline(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
