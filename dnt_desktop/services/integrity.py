"""`dnt-desktop check`: is the database sound, at a known schema, and untampered?"""

from __future__ import annotations

from dataclasses import dataclass, field

from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, selectinload

from dnt_desktop.models import TreatmentSession
from dnt_desktop.models.enums import SessionStatus
from dnt_desktop.storage.backup import integrity_problems
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.location import sqlite_path
from dnt_desktop.storage.migrate import check_revision, head_revision
from dnt_desktop.storage.probe import inspect_file, readonly_uri

from . import audit
from .signing import content_hash


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


def signed_session_problems(session: Session) -> list[str]:
    """Signed sessions whose content no longer matches the hash taken at signing."""
    problems = []
    query = (
        select(TreatmentSession)
        .where(TreatmentSession.status == SessionStatus.SIGNED)
        .order_by(TreatmentSession.id)
        .options(
            selectinload(TreatmentSession.conditions),
            selectinload(TreatmentSession.adjuncts),
            selectinload(TreatmentSession.points),
            selectinload(TreatmentSession.side_effects),
        )
        .execution_options(yield_per=1000)
    )
    for row in session.scalars(query):
        if row.content_hash is None:
            problems.append(f"signed session {row.id} has no content hash")
        elif content_hash(row) != row.content_hash:
            problems.append(f"signed session {row.id} was changed after signing")
    return problems


def check_database(url: URL) -> CheckReport:
    """Run every check read-only; StorageError when the file cannot be read at all."""
    report = CheckReport(head=head_revision())
    path = sqlite_path(url)
    if path is not None:
        if not path.exists():
            raise StorageError(f"There is no database at {path}.")
        facts = inspect_file(path, integrity=False)
        if facts.empty:
            raise StorageError(f"{path} is an empty file, not a dnt-desktop database.")
        check_revision(facts.revision, facts.tables, str(path))
        report.revision = facts.revision
        report.problems += integrity_problems(path, full=True)
        if report.problems:
            return report
        engine = create_engine(f"sqlite+pysqlite:///{readonly_uri(path)}&uri=true")
    else:
        engine = create_engine(url)
        with engine.connect() as conn:
            report.revision = MigrationContext.configure(conn).get_current_revision()
            check_revision(report.revision, set(conn.dialect.get_table_names(conn)), str(url))
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
    finally:
        engine.dispose()
    return report
