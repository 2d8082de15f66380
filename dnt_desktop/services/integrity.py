"""`dnt-desktop check`: is the database sound, at a known schema, and untampered?"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from dnt_desktop.models import (
    NeedlingPoint,
    SessionAdjunct,
    SessionCondition,
    SideEffect,
    TreatmentSession,
)
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.storage.engine import translate_error
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.location import sqlite_path
from dnt_desktop.storage.migrate import check_revision, head_revision
from dnt_desktop.storage.probe import empty_file_message, integrity_problems, restore_hint
from dnt_desktop.storage.readonly import ReadOnlyView, file_kind
from dnt_desktop.storage.recovery import inspect_recovering
from dnt_desktop.storage.writable import why_not_writable

from . import audit
from .signing import content_hash_of_row


@dataclass
class CheckReport:
    """What the check found; ``ok`` only when nothing is wrong."""

    revision: str | None = None
    head: str = ""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the database is sound."""
        return not self.problems


_CHILDREN = (SessionCondition, SessionAdjunct, NeedlingPoint, SideEffect)
_BATCH = 2000


def signed_session_problems(session: Session) -> list[str]:
    """Signed sessions whose content no longer matches the hash taken at signing.

    Plain rows are read in batches of sessions (no ORM objects: a clinic's 200,000
    sessions take seconds, not minutes) and hashed exactly as ``signing.content_hash``
    hashes a stored session, children in id order.
    """
    problems: list[str] = []
    sessions = TreatmentSession.__table__
    last_id = 0
    while True:
        rows = (
            session.execute(
                select(sessions)
                .where(sessions.c.status == SessionStatus.SIGNED, sessions.c.id > last_id)
                .order_by(sessions.c.id)
                .limit(_BATCH)
            )
            .mappings()
            .all()
        )
        if not rows:
            return problems
        first, last_id = rows[0]["id"], rows[-1]["id"]
        children: list[dict[int, list[Any]]] = []
        for model in _CHILDREN:
            table = model.__table__
            grouped: dict[int, list[Any]] = defaultdict(list)
            for child in session.execute(
                select(table)
                .where(table.c.session_id.between(first, last_id))
                .order_by(table.c.session_id, table.c.id)
            ).mappings():
                grouped[child["session_id"]].append(child)
            children.append(grouped)
        for row in rows:
            sid = row["id"]
            if row["content_hash"] is None:
                problems.append(f"signed session {sid} has no content hash")
                continue
            conditions, adjuncts, points, effects = (group.get(sid, []) for group in children)
            if (
                content_hash_of_row(row, conditions, adjuncts, points, effects)
                != row["content_hash"]
            ):
                problems.append(f"signed session {sid} was changed after signing")


def check_database(url: URL) -> CheckReport:
    """Run every check read-only; StorageError when the file cannot be read at all.

    Nothing is written to a SQLite file or created beside it (see ``storage.readonly``),
    with one exception, named in the notes: a write that was cut short is undone first,
    as SQLite does at every open (``storage.recovery``).
    """
    report = CheckReport(head=head_revision())
    path = sqlite_path(url)
    view: ReadOnlyView | None = None
    if path is not None:
        if file_kind(path) is None:
            raise StorageError(f"There is no database at {path}.")
        facts, recovered = inspect_recovering(path, integrity=False)
        if facts.empty and not facts.tables:
            raise StorageError(empty_file_message(path))
        check_revision(facts.revision, facts.tables, str(path))
        report.notes += [recovered] if recovered else []
        report.revision = facts.revision
        report.problems += integrity_problems(path, full=True)
        unwritable = why_not_writable(path)
        report.notes += [str(unwritable)] if unwritable else []
        if report.problems:
            return report
        view = ReadOnlyView(path)
        engine = create_engine("sqlite+pysqlite://", creator=view.connect, poolclass=NullPool)
    else:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                report.revision = MigrationContext.configure(conn).get_current_revision()
                check_revision(report.revision, set(conn.dialect.get_table_names(conn)), str(url))
        except DBAPIError as exc:  # e.g. the server cannot be reached: one clear line
            engine.dispose()
            raise (translate_error(exc) or StorageError(f"Cannot read {url}: {exc}")) from exc
    try:
        if report.revision != report.head:
            report.notes.append(
                f"schema {report.revision} is older than {report.head}; "
                "it is upgraded the next time the app opens it"
            )
            return report
        with Session(engine) as session:
            report.problems += audit.verify_chain(session)
            report.problems += signed_session_problems(session)
    except DBAPIError as exc:  # a table changed outside the app: a plain line, no SQL
        raise (
            translate_error(exc)
            or StorageError(f"{path or url} cannot be checked: {exc.orig}. {restore_hint()}")
        ) from exc
    finally:
        engine.dispose()
    if view is not None and not view.unchanged():
        raise StorageError(
            f"{path} was changed while it was being checked (is dnt-desktop open on it?). "
            "Check it again."
        )
    return report
