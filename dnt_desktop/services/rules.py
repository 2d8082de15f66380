"""The clinical rules: depth classes, point and session validation, and alerts.

This module is the single source the editor, the chart banner and the aftercare sheet
use. It is plain Python: no database, no Qt.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, ScreeningStatus, Sex, Side, Technique

from .dates import format_date
from .drafts import PointDraft, SessionDraft, SideEffectDraft

SUPERFICIAL_MAX_MM = 10.0
"""Superficial dry needling stays within 10 mm (subcutaneous tissue); deeper is deep."""

DEFAULT_LUNG_RISK_NEEDLE_LIMIT_MM = 25.0
"""Needle length over a pneumothorax-risk muscle above which a warning is raised.

Needles of about 31 mm have been shown to reach lung tissue over the upper trapezius in
lean patients, and 19 mm has been recommended as the maximum over the rhomboids
(see shared clinical reference); clinics set their own limit.
"""

PNEUMOTHORAX = "pneumothorax"

DEFAULT_SCREENING_REVIEW_MONTHS = 12
"""A screening older than this is due for review: medicines, pregnancy and devices change
(the clinic sets its own interval)."""


class Level(StrEnum):
    """How loudly an alert speaks: danger is red and must be confirmed."""

    DANGER = "danger"
    WARNING = "warning"
    CAUTION = "caution"


@dataclass(frozen=True)
class Problem:
    """A validation failure: which field, and a message that says what to fix."""

    field: str
    message: str


@dataclass(frozen=True)
class Alert:
    """Something the practitioner must see before needling or saving."""

    code: str
    level: Level
    title: str
    detail: str = ""

    @property
    def text(self) -> str:
        """Title and detail as one line."""
        return f"{self.title}: {self.detail}" if self.detail else self.title


class ConsentState(StrEnum):
    """Whether the patient's informed consent to dry needling stands."""

    NONE = "none"
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ScreeningFact:
    """One answer of the latest screening."""

    code: str
    status: ScreeningStatus
    detail: str = ""


@dataclass(frozen=True)
class ClinicalState:
    """What the rules need to know about a patient (built by the services)."""

    screening: tuple[ScreeningFact, ...] | None
    screened_on: date | None
    consent: ConsentState
    consent_withdrawn_on: date | None = None


@dataclass(frozen=True)
class RuleSettings:
    """Clinic-set thresholds the rules apply."""

    lung_risk_needle_limit_mm: float = DEFAULT_LUNG_RISK_NEEDLE_LIMIT_MM
    screening_review_months: int = DEFAULT_SCREENING_REVIEW_MONTHS


# --- depth and point validation ------------------------------------------------------


def depth_class_for(depth_mm: float) -> DepthClass:
    """The class a depth belongs to: superficial up to 10 mm, deep beyond."""
    return DepthClass.SUPERFICIAL if depth_mm <= SUPERFICIAL_MAX_MM else DepthClass.DEEP


def _number(value: float) -> str:
    return f"{value:g}"


def point_problems(point: PointDraft, prefix: str = "") -> list[Problem]:
    """Everything wrong with one needling point, each with a message that says what to fix."""
    problems: list[Problem] = []

    def add(name: str, message: str) -> None:
        problems.append(Problem(prefix + name, message))

    try:
        catalogue.muscle(point.muscle_code)
    except KeyError:
        add("muscle_code", "Choose the muscle that was needled.")
    if point.side not in tuple(Side):
        add("side", "Choose the side: left, right or midline.")
    if point.view not in tuple(ChartView):
        add("view", "The point must be on the front or back view of the body chart.")
    if not (0.0 <= point.x <= 1.0 and 0.0 <= point.y <= 1.0):
        add("position", "Place the point on the body chart.")
    depth = point.depth_mm
    if not isinstance(depth, int | float) or math.isnan(depth) or depth <= 0:
        add("depth_mm", "Enter the depth in mm (more than 0).")
    else:
        if point.depth_class == DepthClass.SUPERFICIAL and depth > SUPERFICIAL_MAX_MM:
            add(
                "depth_mm",
                f"Superficial needling is 10 mm or less, but {_number(depth)} mm was entered: "
                "lower the depth or change the class to deep.",
            )
        elif point.depth_class == DepthClass.DEEP and depth <= SUPERFICIAL_MAX_MM:
            add(
                "depth_mm",
                f"Deep needling enters the muscle (more than 10 mm), but {_number(depth)} mm "
                "was entered: increase the depth or change the class to superficial.",
            )
        elif point.depth_class not in tuple(DepthClass):
            add("depth_class", "Choose the depth class: superficial or deep.")
        if point.needle_length_mm > 0 and depth > point.needle_length_mm:
            add(
                "depth_mm",
                f"The depth ({_number(depth)} mm) is more than the needle's length "
                f"({_number(point.needle_length_mm)} mm): correct the depth or the needle.",
            )
    if not point.needle_length_mm or point.needle_length_mm <= 0:
        add("needle_length_mm", "Enter the needle length in mm.")
    if not point.needle_gauge_mm or point.needle_gauge_mm <= 0:
        add("needle_gauge_mm", "Enter the needle gauge (diameter in mm).")
    if not isinstance(point.insertions, int) or point.insertions < 1:
        add("insertions", "Insertions must be at least 1.")
    if point.technique not in tuple(Technique):
        add("technique", "Choose the technique: static or pistoning.")
    return problems


def pain_problems(value: int | None, name: str, label: str) -> list[Problem]:
    """A pain score is optional, but when given it is a whole number from 0 to 10."""
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return [Problem(name, f"{label} must be a whole number from 0 to 10.")]
    return []


def side_effect_problems(effect: SideEffectDraft, prefix: str = "") -> list[Problem]:
    """A side effect needs a known type, and a description when the type is 'other'."""
    codes = {item.code: item for item in catalogue.side_effect_types()}
    item = codes.get(effect.code)
    if item is None:
        return [Problem(prefix + "code", "Choose the type of side effect.")]
    if item.needs_text and not effect.other_text.strip():
        return [Problem(prefix + "other_text", "Describe the side effect of type 'other'.")]
    return []


def session_problems(draft: SessionDraft) -> list[Problem]:
    """Every reason the session cannot be saved yet; empty when it can."""
    problems: list[Problem] = []
    known = {item.code: item for item in catalogue.conditions()}
    for i, condition in enumerate(draft.conditions):
        item = known.get(condition.code)
        if item is None:
            problems.append(Problem(f"conditions[{i}]", f"Unknown condition '{condition.code}'."))
        elif item.needs_text and not condition.other_text.strip():
            problems.append(Problem(f"conditions[{i}]", "Name the condition ticked as 'other'."))
    adjunct_codes = {item.code: item for item in catalogue.adjuncts()}
    for i, adjunct in enumerate(draft.adjuncts):
        item = adjunct_codes.get(adjunct.code)
        if item is None:
            problems.append(Problem(f"adjuncts[{i}]", f"Unknown adjunct '{adjunct.code}'."))
        elif item.needs_text and not adjunct.detail.strip():
            problems.append(Problem(f"adjuncts[{i}]", "Name the adjunct treatment 'other'."))
    problems += pain_problems(draft.pain_before, "pain_before", "Pain before")
    problems += pain_problems(draft.pain_after, "pain_after", "Pain after")
    for i, point in enumerate(draft.points):
        problems += point_problems(point, prefix=f"points[{i}].")
    for i, effect in enumerate(draft.side_effects):
        problems += side_effect_problems(effect, prefix=f"side_effects[{i}].")
    return problems


def describe_problems(problems: Sequence[Problem]) -> str:
    """One message listing problems, points numbered as the user sees them (1-based)."""
    lines = []
    for problem in problems:
        where = ""
        if problem.field.startswith("points["):
            index = int(problem.field[len("points[") : problem.field.index("]")])
            where = f"Point {index + 1}: "
        elif problem.field.startswith("side_effects["):
            index = int(problem.field[len("side_effects[") : problem.field.index("]")])
            where = f"Side effect {index + 1}: "
        lines.append(where + problem.message)
    return "\n".join(lines)


# --- screening -------------------------------------------------------------------------


def screening_questions(sex: Sex | str) -> tuple[catalogue.Contraindication, ...]:
    """The contraindications to ask a patient of *sex* about (no pregnancy for a man)."""
    value = str(sex)
    return tuple(item for item in catalogue.contraindications() if value not in item.not_asked_for)


def add_months(day: date, months: int) -> date:
    """*day* moved by whole *months* (the 31st becomes the month's last day)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return date(year, month, min(day.day, last))


def screening_review_due(screened_on: date | None, today: date, months: int) -> bool:
    """True when the latest screening is *months* old or older (and so due for review)."""
    if screened_on is None or months < 1:
        return False
    return add_months(screened_on, months) <= today


def _age_text(screened_on: date, today: date) -> str:
    months = (today.year - screened_on.year) * 12 + today.month - screened_on.month
    if today.day < screened_on.day:
        months -= 1
    if months >= 24:
        return f"{months // 12} years ago"
    return f"{months} months ago" if months != 1 else "1 month ago"


# --- alerts ----------------------------------------------------------------------------


def patient_alerts(
    state: ClinicalState, settings: RuleSettings | None = None, today: date | None = None
) -> list[Alert]:
    """Alerts for the chart banner: contraindications present, a screening due for review
    (older than the clinic's ``screening_review_months``) and the consent situation."""
    settings = settings or RuleSettings()
    today = today or date.today()
    alerts: list[Alert] = []
    labels = {item.code: item for item in catalogue.contraindications()}
    if state.screening is None:
        alerts.append(
            Alert(
                "no_screening",
                Level.WARNING,
                "No contraindication screening on record",
                "Screen the patient before needling.",
            )
        )
    else:
        for fact in state.screening:
            if fact.status == ScreeningStatus.PRESENT:
                item = labels.get(fact.code)
                title = item.label if item else fact.code
                recorded = fact.detail.strip().rstrip(".")
                advice = item.alert if item else ""
                detail = ". ".join(x for x in (recorded, advice) if x)
                alerts.append(Alert(f"contraindication:{fact.code}", Level.DANGER, title, detail))
        months = settings.screening_review_months
        if state.screened_on and screening_review_due(state.screened_on, today, months):
            alerts.append(
                Alert(
                    "screening_review_due",
                    Level.WARNING,
                    "Screening due for review",
                    f"Last screened {format_date(state.screened_on)} "
                    f"({_age_text(state.screened_on, today)}; the clinic reviews every "
                    f"{months} months). Screen the patient again before needling.",
                )
            )
    if state.consent == ConsentState.NONE:
        alerts.append(
            Alert(
                "no_consent",
                Level.DANGER,
                "No informed consent on record",
                "Record the patient's consent before the first needling.",
            )
        )
    elif state.consent == ConsentState.WITHDRAWN:
        when = f" on {state.consent_withdrawn_on.isoformat()}" if state.consent_withdrawn_on else ""
        alerts.append(
            Alert(
                "consent_withdrawn",
                Level.DANGER,
                "Consent withdrawn",
                f"The patient withdrew consent to dry needling{when}. Do not needle.",
            )
        )
    return alerts


def lung_risk_points(points: Iterable[PointDraft]) -> list[PointDraft]:
    """Deep points over a muscle where needling carries a pneumothorax risk."""
    risky = []
    for point in points:
        try:
            muscle = catalogue.muscle(point.muscle_code)
        except KeyError:
            continue
        if muscle.lung_risk and point.depth_class == DepthClass.DEEP:
            risky.append(point)
    return risky


def touches_lung_risk_muscle(points: Iterable[PointDraft]) -> bool:
    """True when any point, deep or superficial, was over a pneumothorax-risk muscle.

    The aftercare sheet then carries the breathing-difficulty warning box.
    """
    for point in points:
        try:
            if catalogue.muscle(point.muscle_code).lung_risk:
                return True
        except KeyError:
            continue
    return False


def session_alerts(
    state: ClinicalState, draft: SessionDraft, settings: RuleSettings | None = None
) -> list[Alert]:
    """Alerts to confirm before saving a session: the patient's and the session's own."""
    settings = settings or RuleSettings()
    alerts = patient_alerts(state, settings)
    if state.screening is not None:
        unknown = [f for f in state.screening if f.status == ScreeningStatus.UNKNOWN]
        if unknown:
            labels = {item.code: item.label for item in catalogue.contraindications()}
            names = ", ".join(labels.get(f.code, f.code) for f in unknown)
            alerts.append(
                Alert("screening_unknown", Level.CAUTION, "Screening not complete", names)
            )
    risky = lung_risk_points(draft.points)
    if risky:
        names = sorted({catalogue.muscle(p.muscle_code).name for p in risky})
        alerts.append(
            Alert(
                "deep_lung_risk",
                Level.WARNING,
                "Deep needling over a pneumothorax-risk muscle",
                f"{', '.join(names)}: direct the needle away from the lung and choose the needle "
                "length for the patient's build.",
            )
        )
        sides = {p.side for p in risky}
        if {Side.LEFT, Side.RIGHT} <= sides:
            alerts.append(
                Alert(
                    "bilateral_lung_risk",
                    Level.DANGER,
                    "Deep needling over the thorax on both sides",
                    "A bilateral pneumothorax is far more dangerous: avoid needling both sides "
                    "of the thorax in one session.",
                )
            )
    long_needles = [
        p
        for p in draft.points
        if _is_lung_risk(p.muscle_code) and p.needle_length_mm > settings.lung_risk_needle_limit_mm
    ]
    if long_needles:
        alerts.append(
            Alert(
                "long_needle_lung_risk",
                Level.WARNING,
                "Long needle over a pneumothorax-risk muscle",
                f"Needle longer than the clinic's limit of "
                f"{_number(settings.lung_risk_needle_limit_mm)} mm on point(s) "
                + ", ".join(str(draft.points.index(p) + 1) for p in long_needles)
                + ".",
            )
        )
    if any(effect.code == PNEUMOTHORAX for effect in draft.side_effects):
        alerts.append(
            Alert(
                "serious_pneumothorax",
                Level.DANGER,
                "Serious adverse event: pneumothorax",
                "Arrange emergency care now, and report it as a serious adverse event.",
            )
        )
    return alerts


def _is_lung_risk(code: str) -> bool:
    try:
        return catalogue.muscle(code).lung_risk
    except KeyError:
        return False


def alerts_needing_confirmation(alerts: Iterable[Alert]) -> list[Alert]:
    """Alerts a practitioner must confirm before saving (all but cautions)."""
    return [a for a in alerts if a.level != Level.CAUTION]
