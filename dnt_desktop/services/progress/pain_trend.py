"""Pain before and after each session over the course of care: the graph's data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dnt_desktop.models import SessionCondition, TreatmentSession, catalogue
from dnt_desktop.storage.engine import Database

from ..dates import format_date, local


@dataclass(frozen=True)
class PainPoint:
    """One session: when, the pain before and after (None: not recorded), its conditions."""

    session_id: int
    started_at: datetime
    pain_before: int | None
    pain_after: int | None
    conditions: tuple[str, ...]
    signed: bool


@dataclass(frozen=True)
class PainTrend:
    """The sessions in date order, and the change of the pain before treatment."""

    points: tuple[PainPoint, ...]

    @property
    def with_pain(self) -> tuple[PainPoint, ...]:
        """The sessions that recorded a pain score."""
        return tuple(
            p for p in self.points if p.pain_before is not None or p.pain_after is not None
        )

    @property
    def change(self) -> int | None:
        """Pain before treatment at the latest session minus at the first (None: < 2)."""
        scored = [p for p in self.points if p.pain_before is not None]
        if len(scored) < 2:
            return None
        return scored[-1].pain_before - scored[0].pain_before  # type: ignore[operator]

    def describe(self) -> str:
        """'from 7/10 (2 October 2026) to 3/10 (20 November 2026): 4 points less'."""
        scored = [p for p in self.points if p.pain_before is not None]
        if not scored:
            return "no pain score recorded"
        first, last = scored[0], scored[-1]
        if len(scored) == 1:
            return f"{first.pain_before}/10 at the first session ({_day(first)})"
        change = self.change or 0
        how = (
            f"{-change} point{'s' if change != -1 else ''} less"
            if change < 0
            else f"{change} point{'s' if change != 1 else ''} more"
            if change > 0
            else "no change"
        )
        return (
            f"from {first.pain_before}/10 ({_day(first)}) to {last.pain_before}/10 "
            f"({_day(last)}): {how}"
        )

    def conditions(self) -> list[str]:
        """Every condition treated, in the order first treated."""
        seen: list[str] = []
        for point in self.points:
            for name in point.conditions:
                if name not in seen:
                    seen.append(name)
        return seen


def _day(point: PainPoint) -> str:
    return format_date(local(point.started_at).date())


def pain_trend(db: Database, patient_id: int) -> PainTrend:
    """The patient's sessions, oldest first, with their pain scores and conditions."""
    names = {c.code: c.label for c in catalogue.conditions()}
    with db.reading() as session:
        rows = session.execute(
            select(
                TreatmentSession.id,
                TreatmentSession.started_at,
                TreatmentSession.pain_before,
                TreatmentSession.pain_after,
                TreatmentSession.status,
            )
            .where(TreatmentSession.patient_id == patient_id)
            .order_by(TreatmentSession.started_at, TreatmentSession.id)
        ).all()
        conditions: dict[int, list[str]] = {}
        for session_id, code, other in session.execute(
            select(SessionCondition.session_id, SessionCondition.code, SessionCondition.other_text)
            .join(TreatmentSession, TreatmentSession.id == SessionCondition.session_id)
            .where(TreatmentSession.patient_id == patient_id)
            .order_by(SessionCondition.id)
        ):
            name = other.strip() if code == "other" and other.strip() else names.get(code, code)
            conditions.setdefault(session_id, []).append(name)
    return PainTrend(
        tuple(
            PainPoint(
                row.id,
                row.started_at,
                row.pain_before,
                row.pain_after,
                tuple(conditions.get(row.id, [])),
                row.status.value == "signed",
            )
            for row in rows
        )
    )
