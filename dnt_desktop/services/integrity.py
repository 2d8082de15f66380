"""`dnt-desktop check`: is the database sound, at a known schema, and untampered?

What a passing check guarantees (README, "Records you can trust"):

- SQLite's ``integrity_check`` and ``foreign_key_check`` find nothing (on SQLite);
- every audit row still matches its hash and follows the one before it (``audit_chain``);
- the trail still holds, unchanged, every head kept outside the database that the check
  is given: this computer's witness (updated by every write) and ``--head`` values
  (printed by earlier checks, beside backups, or backups themselves), so rows cut from
  its end or a trail rewritten with recomputed hashes are found (``anchors``);
- every signed session still hashes to its stored content hash, and the one signature
  event of the chain records its seal; every signature event names a signed session;
  every amendment has its amendment event and every amendment event its amendment
  (``signature_check``); the same for late events (``safety.late_events``);
- every outcome measure, "entered in error" note and sent letter is the one its audit
  event seals (``progress.check``);
- every attachment still hashes to the SHA-256 its audit event records (``attachments``);
- no disposal left its guard open (``disposal_pass``, ``erasure_pass``);
- a sealed event of an erased record, older than the erasure's tombstone, no longer asks
  for its record: the tombstone, part of the chain, vouches for it (``disposal_check``).

On SQLite the integrity check runs on its own thread (SQLite works without Python's
lock) while the records are read and hashed, in worker processes for a large file
(``check_workers``); what the checks compare with each other is read in one read
transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from dnt_desktop.storage import witness
from dnt_desktop.storage.engine import translate_error
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.location import sqlite_path
from dnt_desktop.storage.migrate import check_revision, head_revision
from dnt_desktop.storage.probe import empty_file_message, integrity_problems, restore_hint
from dnt_desktop.storage.readonly import ReadOnlyView, file_kind
from dnt_desktop.storage.recovery import inspect_recovering
from dnt_desktop.storage.writable import why_not_writable

from .anchors import KeptHead, kept_head_problems, witness_problems
from .attachments import attachment_problems
from .audit_chain import Chain, read_chain, start_chain
from .check_workers import Runner
from .disposal import disposal_pass_problems
from .disposal_check import erased_events
from .progress.check import progress_problems
from .signature_check import SignedRecordCheck

PROCESSES_FROM_BYTES = 48 * 1024 * 1024
"""From this size on (some 4,000 patients) the hashing runs in worker processes: below,
starting them costs more than they save."""
MAX_PROCESSES = 4


@dataclass
class CheckReport:
    """What the check found; ``ok`` only when nothing is wrong."""

    revision: str | None = None
    head: str = ""
    """The newest schema revision this version knows."""
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chain_head: witness.Head | None = None
    """The audit trail's last event: keep it, and give it back with ``--head``."""
    events: int = 0
    signed_sessions: int = 0

    @property
    def ok(self) -> bool:
        """True when the database is sound."""
        return not self.problems


def _read_only_sqlite(view: ReadOnlyView) -> Engine:
    """An engine reading the file of *view* (nothing written or created beside it) whose
    transactions really begin (one snapshot)."""
    engine = create_engine("sqlite+pysqlite://", creator=view.connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")

    return engine


def _read_records(
    connection: Connection,
    report: CheckReport,
    kept: Sequence[KeptHead],
    witnessed: witness.Witnessed | None,
    runner: Runner | None,
) -> Chain:
    wanted = {k.event_id for k in kept} | ({witnessed.event_id} if witnessed else set())
    sqlite = connection.dialect.name == "sqlite"
    started = start_chain(connection, wanted, runner) if sqlite else None
    retired = erased_events(connection)  # sealed events of erased records (usually none)
    signed = SignedRecordCheck(connection, runner, retired)  # hashes ahead meanwhile
    try:
        chain = read_chain(connection, wanted, started)
    except BaseException:
        signed.close()
        raise
    report.problems += chain.problems
    report.chain_head, report.events = chain.head, chain.count
    if witnessed is not None:
        report.problems += witness_problems(chain, witnessed)
    for head in kept:
        report.problems += kept_head_problems(chain, head)
    problems, report.signed_sessions = signed.run()
    report.problems += problems
    report.problems += progress_problems(connection, retired)
    report.problems += attachment_problems(connection, retired)  # files kept (0011)
    report.problems += disposal_pass_problems(connection)
    return chain


def _worker_processes(path: Path) -> ProcessPoolExecutor | None:
    """Worker processes for a large file on a computer with more than one core."""
    cores = os.cpu_count() or 1
    try:
        large = path.stat().st_size >= PROCESSES_FROM_BYTES
    except OSError:
        return None
    if cores < 2 or not large:
        return None
    return ProcessPoolExecutor(min(cores, MAX_PROCESSES), mp_context=get_context("spawn"))


def _witness_note(report: CheckReport, witnessed: witness.Witnessed | None) -> str:
    if witnessed is None:
        return "this computer holds no witness of this database (it has not written to it)"
    if report.ok:
        return (
            f"the trail holds event {witnessed.event_id}, as this computer's witness of "
            f"{witnessed.seen_at} saw it"
        )
    return f"compared with this computer's witness of {witnessed.seen_at}"


def _reset_witness(location: str | None, chain: Chain | None, report: CheckReport) -> None:
    if location is None:
        return
    if chain is None or chain.head is None or chain.first is None:
        witness.forget(location)
        report.notes.append("this computer's witness of this database was removed")
        return
    seen = datetime.now().astimezone().isoformat(timespec="seconds")
    witness.save(
        witness.Witnessed(
            location, chain.first.row_hash, chain.head.event_id, chain.head.row_hash, seen
        )
    )
    report.notes.append(f"this computer's witness now starts from event {chain.head.event_id}")


def check_database(
    url: URL, *, heads: Sequence[KeptHead] = (), reset_witness: bool = False
) -> CheckReport:
    """Run every check read-only; StorageError when the file cannot be read at all.

    *heads* are heads kept outside the database that the trail must still hold; this
    computer's witness is always compared. *reset_witness* then makes the trail as it is
    the witness from now on (after a deliberate restore outside dnt-desktop).
    """
    report = CheckReport(head=head_revision())
    path = sqlite_path(url)
    location = witness.location_of(url)
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
        unwritable = why_not_writable(path)
        report.notes += [str(unwritable)] if unwritable else []
        view = ReadOnlyView(path)
        engine = _read_only_sqlite(view)
    else:
        engine = create_engine(url).execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        try:
            with engine.connect() as conn:
                report.revision = MigrationContext.configure(conn).get_current_revision()
                check_revision(report.revision, set(conn.dialect.get_table_names(conn)), str(url))
        except DBAPIError as exc:  # e.g. the server cannot be reached: one clear line
            engine.dispose()
            raise (translate_error(exc) or StorageError(f"Cannot read {url}: {exc}")) from exc
    pool = ThreadPoolExecutor(1, "dnt-check") if path is not None else None
    processes = _worker_processes(path) if view is not None and view.shareable else None
    try:
        sound = pool.submit(integrity_problems, path, full=True) if pool and path else None
        chain: Chain | None = None
        failure: BaseException | None = None
        if report.revision != report.head:
            report.notes.append(
                f"schema {report.revision} is older than {report.head}; "
                "it is upgraded the next time the app opens it"
            )
        else:
            witnessed = witness.load(location) if location else None
            try:
                with engine.connect() as conn, conn.begin():
                    runner = None
                    if path is not None:
                        raw = conn.connection.driver_connection
                        runner = Runner(raw, view.uri, processes)  # type: ignore[arg-type]
                    chain = _read_records(conn, report, heads, witnessed, runner)
                report.notes.append(f"witness: {_witness_note(report, witnessed)}")
            except (DBAPIError, StorageError, sqlite3.Error) as exc:
                failure = exc  # judged below, with the integrity check's verdict
        damage = sound.result() if sound is not None else []
        if damage:  # a damaged file: its reading proves nothing, report the damage alone
            report.problems = damage
            return report
        if isinstance(failure, sqlite3.Error):
            raise StorageError(
                f"{path} cannot be checked: {failure}. {restore_hint()}"
            ) from failure
        if isinstance(failure, DBAPIError):  # a table changed outside the app: no SQL shown
            raise (
                translate_error(failure)
                or StorageError(
                    f"{path or url} cannot be checked: {failure.orig}. {restore_hint()}"
                )
            ) from failure
        if failure is not None:
            raise translate_error(failure) or failure
        if reset_witness and report.revision == report.head:
            _reset_witness(location, chain, report)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if processes is not None:
            processes.shutdown(wait=True, cancel_futures=True)
        engine.dispose()
    if view is not None and not view.unchanged():
        raise StorageError(
            f"{path} was changed while it was being checked (is dnt-desktop open on it?). "
            "Check it again."
        )
    return report
