"""Recording outcome measures, setting one aside as entered in error, and reading them.

A measure is sealed when it is recorded: its rows are never changed (database triggers
refuse it) and its audit event records its hash. A measure entered in error is set
aside by a retraction with the reason; the original stays, struck through, and no longer
counts in changes, graphs or letters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction

from sqlalchemy import select

from dnt_desktop.models import (
    MeasureAnswer,
    MeasureRetraction,
    OutcomeMeasure,
    Patient,
    Practitioner,
    TreatmentSession,
    utcnow,
)
from dnt_desktop.storage.engine import Database

from .. import audit
from ..changes import Changes
from ..errors import NotFoundError, ServiceError
from ..field_limits import UNSTORABLE
from .definitions import MeasureDefinition, measure, measures
from .scoring import Change, ChangeClass, classify, improvement, points, score
from .seals import MEASURE_ACTION, RETRACTION_ACTION, measure_hash, retraction_hash

LABEL_LIMIT = 200
NOTES_LIMIT = 2000
REASON_LIMIT = 1000


@dataclass(frozen=True)
class Answer:
    """One answered (or unanswered: None) item, with its label as asked."""

    label: str
    value: int | None
    item_code: str = ""


@dataclass(frozen=True)
class RecordedMeasure:
    """A measure as stored, scored."""

    measure_id: int
    patient_id: int
    code: str
    name: str
    taken_on: date
    answers: tuple[Answer, ...]
    score: Fraction
    direction: str
    mcid: Fraction
    practitioner: str
    recorded_at: datetime
    notes: str = ""
    retracted_reason: str | None = None
    """The reason given when it was set aside as entered in error (None: it counts)."""

    @property
    def counts(self) -> bool:
        """False once it was set aside as entered in error."""
        return self.retracted_reason is None

    @property
    def score_text(self) -> str:
        """The score as printed ('6.3')."""
        return points(self.score)


def _clean(text: str, limit: int, what: str) -> str:
    text = text.strip()
    if UNSTORABLE.search(text):
        raise ServiceError(f"The {what} holds a character that cannot be stored; retype it.")
    if len(text) > limit:
        raise ServiceError(f"The {what} is longer than {limit} characters; shorten it.")
    return text


def check_answers(definition: MeasureDefinition, answers: Sequence[Answer]) -> Fraction:
    """The score of *answers* for *definition*; ServiceError naming what is wrong."""
    slots = definition.slots
    if len(answers) != len(slots):
        raise ServiceError(f"{definition.short_name} takes {len(slots)} answer(s).")
    scale = definition.scale
    for index, answer in enumerate(answers, start=1):
        if answer.value is not None and not scale.low <= answer.value <= scale.high:
            raise ServiceError(
                f"Answer {index} of the {definition.short_name} must be from {scale.low} "
                f"to {scale.high}."
            )
        if definition.named_items:
            named = bool(answer.label.strip())
            if named != (answer.value is not None):
                raise ServiceError(
                    f"Activity {index} of the {definition.short_name}: give both the activity "
                    "and its score, or neither."
                )
    return score(definition.scoring, [a.value for a in answers], definition.min_answered)


def record_measure(
    db: Database,
    actor_id: int,
    patient_id: int,
    code: str,
    taken_on: date,
    answers: Sequence[Answer],
    *,
    session_id: int | None = None,
    notes: str = "",
    definition: MeasureDefinition | None = None,
) -> tuple[int, Changes]:
    """Record and seal a measure of *patient_id* taken on *taken_on*; (id, changes)."""
    definition = definition or measure(code)
    check_answers(definition, answers)
    if taken_on > date.today() or taken_on.year < 1970:
        raise ServiceError("The date of the measure must be from 1970 to today.")
    notes = _clean(notes, NOTES_LIMIT, "note")
    labels = [
        _clean(a.label, LABEL_LIMIT, "activity") if definition.named_items else slot.label
        for a, slot in zip(answers, definition.slots, strict=True)
    ]
    with db.transaction() as session:
        if session.get(Patient, patient_id) is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        if session_id is not None:
            visit = session.get(TreatmentSession, session_id)
            if visit is None or visit.patient_id != patient_id:
                raise NotFoundError(f"Session {session_id} is not one of this patient's.")
        row = OutcomeMeasure(
            patient_id=patient_id,
            practitioner_id=actor_id,
            session_id=session_id,
            code=definition.code,
            name=definition.short_name,
            scoring=definition.scoring,
            direction=definition.direction,
            scale_min=definition.scale.low,
            scale_max=definition.scale.high,
            mcid=definition.mcid_text,
            taken_on=taken_on,
            notes=notes,
            recorded_at=utcnow(),
        )
        session.add(row)
        session.flush()
        rows = [
            MeasureAnswer(
                measure_id=row.id,
                position=position,
                item_code=slot.code,
                label=label,
                value=answer.value,
            )
            for position, (answer, slot, label) in enumerate(
                zip(answers, definition.slots, labels, strict=True), start=1
            )
            if not (definition.named_items and answer.value is None)
        ]
        session.add_all(rows)
        session.flush()
        value = score(definition.scoring, [a.value for a in rows], definition.min_answered)
        audit.record(
            session,
            actor_id,
            MEASURE_ACTION,
            entity_type="measure",
            entity_id=row.id,
            patient_id=patient_id,
            summary=f"{definition.short_name} of {taken_on.isoformat()} recorded: "
            f"score {points(value)}",
            record_hash=measure_hash(row, rows),
        )
        return row.id, Changes.measure(row.id, patient_id)


def retract_measure(db: Database, actor_id: int, measure_id: int, reason: str) -> Changes:
    """Set a measure aside as entered in error, with the reason; the original stays."""
    reason = _clean(reason, REASON_LIMIT, "reason")
    if not reason:
        raise ServiceError("Say why the measure was entered in error.")
    with db.transaction() as session:
        row = session.get(OutcomeMeasure, measure_id)
        if row is None:
            raise NotFoundError(f"Measure {measure_id} does not exist.")
        if session.scalar(
            select(MeasureRetraction.id).where(MeasureRetraction.measure_id == measure_id)
        ):
            raise ServiceError("This measure was already marked as entered in error.")
        retraction = MeasureRetraction(
            measure_id=measure_id, author_id=actor_id, created_at=utcnow(), reason=reason
        )
        session.add(retraction)
        session.flush()
        audit.record(
            session,
            actor_id,
            RETRACTION_ACTION,
            entity_type="measure",
            entity_id=measure_id,
            patient_id=row.patient_id,
            # the reason is kept with the measure, not in the append-only trail (issue 17:
            # a record's free text must be removable when the record is erased)
            summary=f"{row.name} of {row.taken_on.isoformat()} marked as entered in error "
            f"(reason of {len(reason)} characters)",
            record_hash=retraction_hash(retraction),
        )
        return Changes.measure(measure_id, row.patient_id)


def patient_measures(db: Database, patient_id: int) -> list[RecordedMeasure]:
    """The patient's measures, oldest first (set-aside ones included, marked)."""
    with db.reading() as session:
        rows = session.execute(
            select(OutcomeMeasure, Practitioner.full_name, MeasureRetraction.reason)
            .join(Practitioner, Practitioner.id == OutcomeMeasure.practitioner_id)
            .outerjoin(MeasureRetraction, MeasureRetraction.measure_id == OutcomeMeasure.id)
            .where(OutcomeMeasure.patient_id == patient_id)
            .order_by(OutcomeMeasure.taken_on, OutcomeMeasure.id)
        ).all()
        answers: dict[int, list[MeasureAnswer]] = {}
        ids = [m.id for m, _n, _r in rows]
        if ids:
            for answer in session.scalars(
                select(MeasureAnswer)
                .where(MeasureAnswer.measure_id.in_(ids))
                .order_by(MeasureAnswer.measure_id, MeasureAnswer.position)
            ):
                answers.setdefault(answer.measure_id, []).append(answer)
        found = []
        for row, name, reason in rows:
            own = answers.get(row.id, [])
            values = [a.value for a in own]
            found.append(
                RecordedMeasure(
                    measure_id=row.id,
                    patient_id=row.patient_id,
                    code=row.code,
                    name=row.name,
                    taken_on=row.taken_on,
                    answers=tuple(Answer(a.label, a.value, a.item_code) for a in own),
                    score=score(row.scoring, values) if values else Fraction(0),
                    direction=row.direction,
                    mcid=Fraction(row.mcid),
                    practitioner=name,
                    recorded_at=row.recorded_at,
                    notes=row.notes,
                    retracted_reason=reason,
                )
            )
        return found


@dataclass(frozen=True)
class MeasureProgress:
    """One questionnaire over the course of care: each time it was taken, and the change."""

    code: str
    name: str
    taken: tuple[RecordedMeasure, ...]
    change: Change | None = None
    signed_change: Fraction | None = None
    self_rated: bool = False
    """GROC-like: the latest answer is itself the change."""

    def describe(self) -> str:
        """'PSFS: 3 on 2 Oct 2026 → 6.3 on 20 Nov 2026 (+3.3, clinically important
        improvement)'; one score when taken once."""
        from ..dates import format_date

        if not self.taken:
            return f"{self.name}: not recorded"
        last = self.taken[-1]
        if self.self_rated:
            klass = classify(
                last.score if last.direction == "higher_is_better" else -last.score, last.mcid
            )
            return (
                f"{self.name}: {points(last.score, signed=True)} on {format_date(last.taken_on)} "
                f"({klass.value})"
            )
        if self.change is None or self.signed_change is None:
            return f"{self.name}: {last.score_text} on {format_date(last.taken_on)}"
        first = self.taken[0]
        return (
            f"{self.name}: {first.score_text} on {format_date(first.taken_on)} → "
            f"{last.score_text} on {format_date(last.taken_on)} "
            f"({points(self.signed_change, signed=True)}, {self.change.klass.value})"
        )


def progress_by_measure(recorded: Sequence[RecordedMeasure]) -> list[MeasureProgress]:
    """Each questionnaire's course (only the measures that count), in catalogue order."""
    order = {code: index for index, code in enumerate(measures())}
    grouped: dict[str, list[RecordedMeasure]] = {}
    for item in recorded:
        if item.counts:
            grouped.setdefault(item.code, []).append(item)
    found = []
    for code in sorted(grouped, key=lambda c: (order.get(c, len(order)), c)):
        taken = sorted(grouped[code], key=lambda m: (m.taken_on, m.measure_id))
        definition = measures().get(code)
        self_rated = definition is not None and definition.change == "self"
        change = signed = None
        if len(taken) > 1 and not self_rated:
            first, last = taken[0], taken[-1]
            better = improvement(first.score, last.score, last.direction)
            change = Change(first.score, last.score, better, classify(better, last.mcid))
            signed = last.score - first.score
        found.append(
            MeasureProgress(code, taken[-1].name, tuple(taken), change, signed, self_rated)
        )
    return found


@dataclass
class MeasureSummary:
    """Lines for letters: every questionnaire's course, and each one's by code."""

    lines: list[str] = field(default_factory=list)
    by_code: dict[str, str] = field(default_factory=dict)


def summary(recorded: Sequence[RecordedMeasure]) -> MeasureSummary:
    """What a letter says about the measures."""
    result = MeasureSummary()
    for item in progress_by_measure(recorded):
        line = item.describe()
        result.lines.append(line)
        result.by_code[item.code] = line.split(": ", 1)[1]
    return result


__all__ = [
    "Answer",
    "ChangeClass",
    "MeasureProgress",
    "RecordedMeasure",
    "check_answers",
    "patient_measures",
    "progress_by_measure",
    "record_measure",
    "retract_measure",
    "summary",
]
