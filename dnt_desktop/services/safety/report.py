"""The Safety report: the clinic's adverse-event rates beside the published ones.

For a period (local dates, both included), per side-effect category: the treatments
(signed sessions started in the period) with at least one event of the category (charted
in the session, or reported after signing), the rate per 100 treatments with its Wilson
95% interval (the rule of three when there was none), and Brady 2014's and Boyce 2020's
rates beside it. A category is "above the published rate" only when its interval's
lower end is above it; under 100 treatments the report says the numbers are too few.
The same "any adverse event" rate is broken down per practitioner, body region, muscle,
and for deep against superficial needling.

Administrators see the whole clinic (or one practitioner); a practitioner sees only their
own sessions, whatever they ask for.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from dnt_desktop.models import (
    LateEvent,
    NeedlingPoint,
    Practitioner,
    SideEffect,
    TreatmentSession,
    catalogue,
)
from dnt_desktop.models.enums import DepthClass, Role, SessionStatus
from dnt_desktop.storage.engine import Database

from .. import audit
from ..errors import NotFoundError, ValidationError
from ..rules import Problem
from . import published
from .late_events import is_serious
from .stats import Comparison, Rate, compare, rate


@dataclass(frozen=True)
class CategoryRow:
    """One side-effect category (or 'any mild' / 'any serious') of the report."""

    code: str
    label: str
    rate: Rate
    published: dict[str, published.PublishedRate]
    comparisons: dict[str, Comparison]
    serious: bool = False

    @property
    def above(self) -> list[str]:
        """Short names of the studies whose rate this one is above ('Brady 2014')."""
        return [
            self.published[code].study.short
            for code, result in self.comparisons.items()
            if result == Comparison.ABOVE
        ]


@dataclass(frozen=True)
class GroupRow:
    """One group of a breakdown: its name, and its 'any adverse event' rate."""

    name: str
    rate: Rate


@dataclass(frozen=True)
class Breakdown:
    """'By practitioner', 'By body region', 'By muscle', 'Deep against superficial'."""

    title: str
    rows: tuple[GroupRow, ...]


@dataclass(frozen=True)
class SafetyReport:
    """Everything the Safety report shows, as plain data."""

    first_day: date
    last_day: date
    scope: str
    treatments: int
    categories: tuple[CategoryRow, ...]
    totals: tuple[CategoryRow, ...]
    breakdowns: tuple[Breakdown, ...] = field(default=())
    late_events: int = 0

    @property
    def too_few(self) -> bool:
        """Fewer treatments than the report compares."""
        return self.treatments < 100

    @property
    def period(self) -> str:
        """'2025-12-05 to 2026-12-04'."""
        return f"{self.first_day.isoformat()} to {self.last_day.isoformat()}"


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last year: from a year ago tomorrow to today."""
    today = today or date.today()
    try:
        start = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        start = today.replace(year=today.year - 1, day=28)
    return start + timedelta(days=1), today


def _bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    zone = datetime.now().astimezone().tzinfo
    start = datetime.combine(first_day, time.min, zone)
    end = datetime.combine(last_day + timedelta(days=1), time.min, zone)
    return start, end


@dataclass
class _Treatment:
    practitioner: str
    events: set[str] = field(default_factory=set)
    serious: bool = False
    muscles: set[str] = field(default_factory=set)
    deep: bool = False
    late: int = 0


def _collect(
    session: Session, start: datetime, end: datetime, practitioner_id: int | None
) -> dict[int, _Treatment]:
    query = (
        select(TreatmentSession.id, Practitioner.full_name)
        .join(Practitioner, Practitioner.id == TreatmentSession.practitioner_id)
        .where(
            TreatmentSession.status == SessionStatus.SIGNED,
            TreatmentSession.started_at >= start,
            TreatmentSession.started_at < end,
        )
    )
    if practitioner_id is not None:
        query = query.where(TreatmentSession.practitioner_id == practitioner_id)
    # Core statements on the connection, plain strings: no ORM rows or enum conversion
    # for the hundreds of thousands of rows of a large clinic's year.
    connection = session.connection()
    found = {row.id: _Treatment(row.full_name) for row in connection.execute(query)}
    if not found:
        return found
    ids = select(query.subquery().c.id)
    for table, late in ((SideEffect, False), (LateEvent, True)):
        for session_id, code, severity in connection.execute(
            select(table.session_id, table.code, type_coerce(table.severity, String)).where(
                table.session_id.in_(ids)
            )
        ):
            item = found[session_id]
            item.events.add(code)
            item.serious |= is_serious(code, severity)
            item.late += late
    deep_value = DepthClass.DEEP.value
    for session_id, muscle_code, depth_class in connection.execute(
        select(
            NeedlingPoint.session_id,
            NeedlingPoint.muscle_code,
            type_coerce(NeedlingPoint.depth_class, String),
        )
        .where(NeedlingPoint.session_id.in_(ids))
        .distinct()
    ):
        item = found[session_id]
        item.muscles.add(muscle_code)
        item.deep |= depth_class == deep_value
    return found


def _row(code: str, label: str, events: int, treatments: int, serious: bool = False) -> CategoryRow:
    value = rate(events, treatments)
    rates = published.published_rates(code)
    comparisons = {study: compare(value, item.percent) for study, item in rates.items()}
    return CategoryRow(code, label, value, rates, comparisons, serious)


def _mild(item: _Treatment) -> bool:
    return bool(item.events) and not item.serious


def _groups(
    title: str,
    treatments: Iterable[_Treatment],
    keys: Callable[[_Treatment], Iterable[str]],
) -> Breakdown:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for item in treatments:
        for key in keys(item):
            counts[key][0] += 1
            counts[key][1] += bool(item.events)
    rows = sorted(
        (GroupRow(name, rate(events, n)) for name, (n, events) in counts.items()),
        key=lambda g: (-g.rate.treatments, g.name),
    )
    return Breakdown(title, tuple(rows))


@cache
def _muscle_name(code: str) -> str:
    try:
        return catalogue.muscle(code).name
    except KeyError:
        return code


@cache
def _region_of(code: str) -> str:
    try:
        return catalogue.label_of("region", catalogue.muscle(code).region)
    except KeyError:
        return "Unknown region"


def safety_report(
    db: Database,
    actor_id: int | None,
    first_day: date,
    last_day: date,
    *,
    practitioner_id: int | None = None,
) -> SafetyReport:
    """The report for the period; *actor_id* None is the command line (whole clinic).

    A practitioner who is not an administrator always gets their own sessions only.
    """
    if last_day < first_day:
        raise ValidationError(
            [Problem("period", "The period ends before it starts: check the dates.")]
        )
    start, end = _bounds(first_day, last_day)
    with db.reading() as session:
        scope = "Whole clinic"
        if actor_id is not None:
            actor = session.get(Practitioner, actor_id)
            if actor is None:
                raise NotFoundError(f"Account {actor_id} does not exist.")
            if actor.role != Role.ADMIN:
                practitioner_id = actor_id
        if practitioner_id is not None:
            chosen = session.get(Practitioner, practitioner_id)
            if chosen is None:
                raise NotFoundError(f"Account {practitioner_id} does not exist.")
            scope = f"Sessions of {chosen.full_name}"
        found = _collect(session, start, end, practitioner_id)
    treatments = list(found.values())
    n = len(treatments)
    counts: Counter[str] = Counter(code for t in treatments for code in t.events)
    categories = tuple(
        _row(item.code, item.label, counts[item.code], n, item.serious)
        for item in catalogue.side_effect_types()
    )
    totals = (
        _row(published.ANY_MILD, "Any mild or moderate event", sum(map(_mild, treatments)), n),
        _row(
            published.ANY_SERIOUS,
            "Any serious event",
            sum(t.serious for t in treatments),
            n,
            serious=True,
        ),
    )
    breakdowns = (
        _groups("By practitioner", treatments, lambda t: [t.practitioner]),
        _groups("By body region", treatments, lambda t: sorted({_region_of(m) for m in t.muscles})),
        _groups("By muscle", treatments, lambda t: sorted(_muscle_name(m) for m in t.muscles)),
        _groups(
            "Deep against superficial needling",
            treatments,
            lambda t: (["Deep needling"] if t.deep else ["Superficial only"]) if t.muscles else [],
        ),
    )
    return SafetyReport(
        first_day,
        last_day,
        scope,
        n,
        categories,
        totals,
        breakdowns,
        late_events=sum(t.late for t in treatments),
    )


def record_export(db: Database, actor_id: int | None, report: SafetyReport, kind: str) -> None:
    """Audit an export of the report ("export", "safety_report"): counts only, no patient."""
    with db.transaction() as session:
        audit.record(
            session,
            actor_id,
            "export",
            entity_type="safety_report",
            summary=(
                f"Safety report {report.period} ({report.scope}, {report.treatments} "
                f"treatments) exported as {kind}"
            ),
        )
