"""The clinical rules: depth classes, point and session validation, dates, and alerts.

This module is the single source the editor, the chart banner and the aftercare sheet
use. It is plain Python: no database, no Qt. Physical limits (the needle sizes that exist,
the insertions ceiling) come from the catalogue (``resources/catalogues/needles.json``),
text lengths from ``field_limits``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, ScreeningStatus, Sex, Side, Technique

from . import field_limits
from .dates import format_date
from .drafts import PointDraft, SessionDraft, SideEffectDraft
from .safety import lung_limits

SUPERFICIAL_MAX_MM = 10.0
"""Superficial dry needling stays within 10 mm (subcutaneous tissue); deeper is deep."""

DEFAULT_LUNG_RISK_NEEDLE_LIMIT_MM = 25.0
"""Needle length over a pneumothorax-risk muscle above which a warning is raised.

Needles of about 31 mm have been shown to reach lung tissue over the upper trapezius in
lean patients, and 19 mm has been recommended as the maximum over the rhomboids
(see shared clinical reference); clinics set their own limit.
"""

PNEUMOTHORAX = "pneumothorax"

EARLIEST_DATE = date(1900, 1, 1)
"""No date of birth or consent is earlier."""
EARLIEST_MOMENT = datetime(1970, 1, 2, tzinfo=UTC)
"""No session, next appointment or screening is earlier: local time cannot be computed for
an earlier moment on Windows (its time functions refuse negative timestamps)."""
OLDEST_AGE_YEARS = 125
"""A date of birth further back than this is a typing error."""
SESSION_AHEAD_LIMIT = timedelta(hours=24)
"""A draft may be dated up to a day ahead (charted before the patient arrives); it is only
signed once its time has come."""
SCREENING_AHEAD_LIMIT = timedelta(minutes=5)
"""A screening is dated now: a few minutes' leeway for a workstation's clock."""
NEXT_APPOINTMENT_HORIZON = timedelta(days=366)
"""A next appointment more than a year after the session is a typing error."""
LATEST_YEAR = 2200
"""Years after this are refused before any date arithmetic (9999-12-31 overflows it)."""
MAX_POINTS_PER_SESSION = 50
"""More needling points than this in one session is a charting error (the sheet lists all)."""
MAX_SIDE_EFFECTS_PER_SESSION = 10
"""More side effects than this in one session is a charting error (each prints its advice)."""
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
    height_cm: float | None = None
    """Height and weight at the latest screening (None when not taken): the BMI band of
    the lung-risk depth limits."""
    weight_kg: float | None = None

    @property
    def bmi(self) -> float | None:
        """Body mass index from the latest screening, or None."""
        return lung_limits.bmi(self.height_cm, self.weight_kg)

    def has_present(self, code: str) -> bool:
        """True when the latest screening answered *code* present."""
        return any(
            f.code == code and f.status == ScreeningStatus.PRESENT for f in self.screening or ()
        )

    signed_consent: bool | None = None
    """Whether a signed copy of an active consent is on file (None: not asked)."""


@dataclass(frozen=True)
class RuleSettings:
    """Clinic-set thresholds the rules apply."""

    lung_risk_needle_limit_mm: float = DEFAULT_LUNG_RISK_NEEDLE_LIMIT_MM
    screening_review_months: int = DEFAULT_SCREENING_REVIEW_MONTHS
    lung_limits: lung_limits.LimitTable | None = None
    """The clinic's depth limits per lung-risk muscle and BMI band (None: shipped defaults)."""


# --- depth and point validation ------------------------------------------------------


def depth_class_for(depth_mm: float) -> DepthClass:
    """The class a depth belongs to: superficial up to 10 mm, deep beyond."""
    return DepthClass.SUPERFICIAL if depth_mm <= SUPERFICIAL_MAX_MM else DepthClass.DEEP


def _number(value: float) -> str:
    return f"{value:g}"


def is_finite_number(value: object) -> bool:
    """True for an int or float that is a real number (not NaN, not infinite, not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _listed(value: float, sizes: Sequence[float], tolerance: float) -> bool:
    return any(abs(value - size) <= tolerance for size in sizes)


def _sizes_text(sizes: Sequence[float]) -> str:
    return ", ".join(_number(size) for size in sizes)


def point_problems(point: PointDraft, prefix: str = "") -> list[Problem]:
    """Everything wrong with one needling point, each with a message that says what to fix."""
    problems: list[Problem] = []
    needles = catalogue.needle_sizes()

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
    if not (
        is_finite_number(point.x)
        and is_finite_number(point.y)
        and 0.0 <= point.x <= 1.0
        and 0.0 <= point.y <= 1.0
    ):
        add("position", "Place the point on the body chart.")
    length = point.needle_length_mm
    length_ok = is_finite_number(length) and length > 0
    if not length_ok:
        add("needle_length_mm", "Enter the needle length in mm.")
    elif not _listed(length, needles.lengths_mm, 0.05):
        add(
            "needle_length_mm",
            f"There is no {_number(length)} mm needle: choose a length that exists "
            f"({_sizes_text(needles.lengths_mm)} mm).",
        )
    depth = point.depth_mm
    longest = max(needles.lengths_mm)
    if not is_finite_number(depth) or depth <= 0:
        add("depth_mm", "Enter the depth in mm (a number more than 0).")
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
        if length_ok and depth > length:
            add(
                "depth_mm",
                f"The depth ({_number(depth)} mm) is more than the needle's length "
                f"({_number(length)} mm): correct the depth or the needle.",
            )
        elif depth > longest:
            add(
                "depth_mm",
                f"The depth ({_number(depth)} mm) is more than the longest needle "
                f"({_number(longest)} mm): correct the depth.",
            )
    gauge = point.needle_gauge_mm
    if not is_finite_number(gauge) or gauge <= 0:
        add("needle_gauge_mm", "Enter the needle gauge (diameter in mm).")
    elif not _listed(gauge, needles.gauges_mm, 0.001):
        add(
            "needle_gauge_mm",
            f"There is no needle of {_number(gauge)} mm diameter: choose a gauge that exists "
            f"({_sizes_text(needles.gauges_mm)} mm).",
        )
    most = needles.max_insertions_per_point
    if isinstance(point.insertions, bool) or not isinstance(point.insertions, int):
        add("insertions", "Insertions must be a whole number of at least 1.")
    elif point.insertions < 1:
        add("insertions", "Insertions must be at least 1.")
    elif point.insertions > most:
        add(
            "insertions",
            f"{point.insertions:,} insertions in one point is more than the {most} the app "
            "accepts: correct the number.",
        )
    if point.technique not in tuple(Technique):
        add("technique", "Choose the technique: static or pistoning.")
    problems += text_problems("point", {"notes": point.notes}, prefix)
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
    problems = text_problems(
        "side_effect",
        {
            "other_text": effect.other_text,
            "action_taken": effect.action_taken,
            "notes": effect.notes,
        },
        prefix,
    )
    if item is None:
        problems.insert(0, Problem(prefix + "code", "Choose the type of side effect."))
    elif (
        item.needs_text
        and isinstance(effect.other_text, str)
        and not effect.other_text.strip()
        and not any(p.field == prefix + "other_text" for p in problems)
    ):
        problems.insert(
            0, Problem(prefix + "other_text", "Describe the side effect of type 'other'.")
        )
    return problems


def session_problems(draft: SessionDraft, now: datetime | None = None) -> list[Problem]:
    """Every reason the session cannot be saved yet; empty when it can.

    *now* (aware; default the current time) bounds how far ahead the session may be dated.
    """
    problems: list[Problem] = session_time_problems(
        draft.started_at, draft.next_appointment, now or datetime.now().astimezone()
    )
    known = {item.code: item for item in catalogue.conditions()}
    seen: set[str] = set()
    for i, condition in enumerate(draft.conditions):
        item = known.get(condition.code)
        text = text_message("condition", "other_text", condition.other_text)
        if item is None:
            problems.append(Problem(f"conditions[{i}]", f"Unknown condition '{condition.code}'."))
        elif condition.code in seen:
            problems.append(Problem(f"conditions[{i}]", f"{item.label} is listed twice."))
        elif text:
            problems.append(Problem(f"conditions[{i}]", text))
        elif item.needs_text and not condition.other_text.strip():
            problems.append(Problem(f"conditions[{i}]", "Name the condition ticked as 'other'."))
        seen.add(condition.code)
    adjunct_codes = {item.code: item for item in catalogue.adjuncts()}
    seen = set()
    for i, adjunct in enumerate(draft.adjuncts):
        item = adjunct_codes.get(adjunct.code)
        text = text_message("adjunct", "detail", adjunct.detail)
        if item is None:
            problems.append(Problem(f"adjuncts[{i}]", f"Unknown adjunct '{adjunct.code}'."))
        elif adjunct.code in seen:
            problems.append(Problem(f"adjuncts[{i}]", f"{item.label} is listed twice."))
        elif text:
            problems.append(Problem(f"adjuncts[{i}]", text))
        elif item.needs_text and not adjunct.detail.strip():
            problems.append(Problem(f"adjuncts[{i}]", "Name the adjunct treatment 'other'."))
        seen.add(adjunct.code)
    problems += pain_problems(draft.pain_before, "pain_before", "Pain before")
    problems += pain_problems(draft.pain_after, "pain_after", "Pain after")
    problems += text_problems(
        "session",
        {name: getattr(draft, name) for name in field_limits.FIELD_LIMITS["session"]},
    )
    if len(draft.points) > MAX_POINTS_PER_SESSION:
        problems.append(
            Problem(
                "points",
                f"A session can have at most {MAX_POINTS_PER_SESSION} needling points "
                f"({len(draft.points)} were charted): remove the extra points.",
            )
        )
    for i, point in enumerate(draft.points):
        problems += point_problems(point, prefix=f"points[{i}].")
    if len(draft.side_effects) > MAX_SIDE_EFFECTS_PER_SESSION:
        problems.append(
            Problem(
                "side_effects",
                f"A session can have at most {MAX_SIDE_EFFECTS_PER_SESSION} side effects "
                f"({len(draft.side_effects)} were recorded): remove the extra ones.",
            )
        )
    for i, effect in enumerate(draft.side_effects):
        problems += side_effect_problems(effect, prefix=f"side_effects[{i}].")
    return problems


# --- text --------------------------------------------------------------------------


def text_message(record: str, field: str, value: object) -> str | None:
    """Why *value* cannot be stored in *field* of *record* (too long, a character no
    database stores), or None when it can. The limit comes from ``field_limits``."""
    limit = field_limits.limit(record, field)
    if not isinstance(value, str):
        return f"{limit.label} must be text."
    bad = field_limits.unstorable_character(value)
    if bad is not None:
        position, what = bad
        return (
            f"There is a character in {limit.label[0].lower()}{limit.label[1:]} that cannot "
            f"be stored ({what} at position {position + 1}): delete it and type the text again."
        )
    length = field_limits.text_length(value.strip())
    if length > limit.max_length:
        return (
            f"{limit.label} can have at most {limit.max_length:,} characters "
            f"({length:,} were entered): shorten it."
        )
    lines = field_limits.line_count(value.strip())
    if limit.max_lines is not None and lines > limit.max_lines:
        return (
            f"{limit.label} can have at most {limit.max_lines} lines ({lines} were entered): "
            "shorten it."
        )
    return None


def text_problems(record: str, values: Mapping[str, object], prefix: str = "") -> list[Problem]:
    """A problem for each value that *record*'s field of the same name cannot store."""
    problems = []
    for name, value in values.items():
        message = text_message(record, name, value)
        if message is not None:
            problems.append(Problem(prefix + name, message))
    return problems


# --- dates -------------------------------------------------------------------------


def format_day(value: date) -> str:
    """'30 Apr 1975' for messages (no locale, no ambiguity)."""
    return f"{value.day} {value:%b} {value.year}"


def _year_problem(field: str, what: str, value: date) -> Problem | None:
    """A date outside 1900..LATEST_YEAR, refused before any arithmetic touches it."""
    if value.year < EARLIEST_DATE.year:
        return Problem(field, f"{what} cannot be before 1900: check the year.")
    if value.year > LATEST_YEAR:
        return Problem(field, f"{what} is in the year {value.year}: check the year.")
    return None


def birth_date_problems(born: object, today: date) -> list[Problem]:
    """A date of birth is required, not in the future and not more than 125 years ago."""
    if born is None:
        return [Problem("date_of_birth", "Enter the date of birth.")]
    if not isinstance(born, date) or isinstance(born, datetime):
        return [Problem("date_of_birth", "Enter the date of birth as a date.")]
    if born > today:  # comparing dates is safe at any year; subtracting is not
        return [Problem("date_of_birth", "The date of birth is in the future.")]
    early = _year_problem("date_of_birth", "The date of birth", born)
    if early is not None:
        return [early]
    if today.year - born.year > OLDEST_AGE_YEARS:
        return [
            Problem(
                "date_of_birth", f"The date of birth is more than {OLDEST_AGE_YEARS} years ago."
            )
        ]
    return []


def consent_date_problems(
    consented_on: object, today: date, born: date | None = None
) -> list[Problem]:
    """Consent is given on a real day: not in the future, not before the patient's birth."""
    field = "consented_on"
    if not isinstance(consented_on, date) or isinstance(consented_on, datetime):
        return [Problem(field, "Enter the date consent was given.")]
    if consented_on > today:
        return [Problem(field, "The consent date is in the future.")]
    early = _year_problem(field, "The consent date", consented_on)
    if early is not None:
        return [early]
    if born is not None and consented_on < born:
        return [
            Problem(
                field,
                f"The consent date is before the patient's birth ({format_day(born)}): "
                "check the year.",
            )
        ]
    return []


def withdrawal_date_problems(
    withdrawn_on: object, consented_on: date, today: date
) -> list[Problem]:
    """A withdrawal is dated between the consent it withdraws and today."""
    field = "withdrawn_on"
    if not isinstance(withdrawn_on, date) or isinstance(withdrawn_on, datetime):
        return [Problem(field, "Enter the date consent was withdrawn.")]
    if withdrawn_on > today:
        return [Problem(field, "The withdrawal date is in the future.")]
    early = _year_problem(field, "The withdrawal date", withdrawn_on)
    if early is not None:
        return [early]
    if withdrawn_on < consented_on:
        return [Problem(field, "Consent cannot be withdrawn before it was given.")]
    return []


def _moment_problem(field: str, what: str, value: object) -> Problem | None:
    """A moment outside EARLIEST_MOMENT..LATEST_YEAR (checked without local-time arithmetic)."""
    if not isinstance(value, datetime):
        return Problem(field, f"Enter {what.lower()} as a date and time.")
    problem = _year_problem(field, what, value.date())
    if problem is not None:
        return problem
    utc = value.astimezone(UTC) if value.tzinfo is not None else value.replace(tzinfo=UTC)
    if utc < EARLIEST_MOMENT:
        return Problem(field, f"{what} cannot be before 1970: check the year.")
    return None


def _aware(value: datetime, now: datetime) -> datetime:
    """*value* with a time zone (a naive time is taken in *now*'s zone), for comparisons."""
    return value if value.tzinfo is not None else value.replace(tzinfo=now.tzinfo)


def screening_time_problems(screened_at: object, now: datetime) -> list[Problem]:
    """A screening is dated in the past (a few minutes' clock leeway)."""
    if screened_at is None:
        return []
    problem = _moment_problem("screened_at", "The screening date", screened_at)
    if problem is not None:
        return [problem]
    assert isinstance(screened_at, datetime)
    if _aware(screened_at, now) > now + SCREENING_AHEAD_LIMIT:
        return [Problem("screened_at", "The screening date is in the future.")]
    return []


def session_time_problems(
    started_at: object, next_appointment: object, now: datetime
) -> list[Problem]:
    """The session is dated from 1900 to a day ahead of *now*; a next appointment comes
    after the session and within a year of it."""
    problem = _moment_problem("started_at", "The session date", started_at)
    if problem is not None:
        return [problem]
    assert isinstance(started_at, datetime)
    start = _aware(started_at, now)
    problems = []
    if start > now + SESSION_AHEAD_LIMIT:
        problems.append(
            Problem(
                "started_at",
                "The session date is more than a day in the future: enter when the "
                "treatment takes place.",
            )
        )
    if next_appointment is None:
        return problems
    problem = _moment_problem("next_appointment", "The next appointment", next_appointment)
    if problem is not None:
        return [*problems, problem]
    assert isinstance(next_appointment, datetime)
    following = _aware(next_appointment, now)
    if following <= start:
        problems.append(
            Problem(
                "next_appointment",
                "The next appointment is not after this session: check its date and time.",
            )
        )
    elif following - start > NEXT_APPOINTMENT_HORIZON:
        problems.append(
            Problem(
                "next_appointment",
                "The next appointment is more than a year after this session: check the year.",
            )
        )
    return problems


def signing_time_problems(started_at: datetime, now: datetime) -> list[Problem]:
    """A session is signed only once it has started: never a session dated ahead."""
    if _aware(started_at, now) > now:
        return [
            Problem(
                "started_at",
                "This session is dated in the future: sign it once the treatment has "
                "taken place (or correct its date).",
            )
        ]
    return []


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
                level = Level(item.level) if item else Level.DANGER
                alerts.append(Alert(f"contraindication:{fact.code}", level, title, detail))
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
    elif state.consent == ConsentState.ACTIVE and state.signed_consent is False:
        alerts.append(
            Alert(
                "no_signed_consent",
                Level.CAUTION,
                "No signed consent on file",
                "Have the patient sign it (Consent tab).",
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
    breaches = lung_limit_breaches(state, draft.points, settings)
    breached = {id(b.point) for b in breaches}
    if breaches:
        alerts.append(lung_limit_alert(state, breaches))
    # A point beyond the patient's limit is named once, in that alert, not again below.
    risky = [p for p in lung_risk_points(draft.points) if id(p) not in breached]
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
    sides = {p.side for p in lung_risk_points(draft.points)}
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
        if _is_lung_risk(p.muscle_code)
        and p.needle_length_mm > settings.lung_risk_needle_limit_mm
        and id(p) not in breached
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


# --- lung-risk depth limits ----------------------------------------------------------

LUNG_DISEASE = "lung_disease"
"""The screening's chronic lung disease (COPD, emphysema...): no deep point over the thorax."""
LUNG_LIMIT_ALERT = "lung_depth_limit"


@dataclass(frozen=True)
class LungLimitBreach:
    """A deep point over a lung-risk muscle beyond what this patient's limits allow."""

    number: int
    """The point's number as the user sees it (1-based)."""
    point: PointDraft
    muscle_name: str
    reasons: tuple[str, ...]


def patient_lung_limit(
    state: ClinicalState, muscle_code: str, settings: RuleSettings | None = None
) -> tuple[lung_limits.DepthLimit, lung_limits.BmiBand] | None:
    """The limit over *muscle_code* for this patient's BMI band (the leanest band when the
    BMI is unknown), or None for a muscle that is not over the lung."""
    if not _is_lung_risk(muscle_code):
        return None
    band = lung_limits.band_for(state.bmi)
    table = (settings or RuleSettings()).lung_limits or lung_limits.default_limits()
    limit = table.get((muscle_code, band.code)) or lung_limits.default_limits().get(
        (muscle_code, band.code)
    )
    return (limit, band) if limit is not None else None


def lung_limit_breaches(
    state: ClinicalState, points: Sequence[PointDraft], settings: RuleSettings | None = None
) -> list[LungLimitBreach]:
    """Deep points over a lung-risk muscle deeper (or on a longer needle) than this patient's
    limit, and every deep point over the thorax when the patient has chronic lung disease."""
    lung_disease = state.has_present(LUNG_DISEASE)
    breaches = []
    for index, point in enumerate(points):
        if point.depth_class != DepthClass.DEEP:
            continue
        found = patient_lung_limit(state, point.muscle_code, settings)
        if found is None:
            continue
        limit, _band = found
        reasons = []
        if lung_disease:
            reasons.append("the patient has chronic lung disease")
        if is_finite_number(point.depth_mm) and point.depth_mm > limit.max_depth_mm:
            reasons.append(
                f"{_number(point.depth_mm)} mm deep, limit {_number(limit.max_depth_mm)} mm"
            )
        if (
            is_finite_number(point.needle_length_mm)
            and point.needle_length_mm > limit.max_needle_length_mm
        ):
            reasons.append(
                f"{_number(point.needle_length_mm)} mm needle, limit "
                f"{_number(limit.max_needle_length_mm)} mm"
            )
        if reasons:
            name = catalogue.muscle(point.muscle_code).name
            breaches.append(LungLimitBreach(index + 1, point, name, tuple(reasons)))
    return breaches


def lung_limit_alert(state: ClinicalState, breaches: Sequence[LungLimitBreach]) -> Alert:
    """The one danger alert naming every point beyond the patient's lung-risk limit."""
    band = lung_limits.band_for(state.bmi)
    if state.bmi is None:
        basis = (
            "Height and weight are not recorded, so the most conservative limits "
            f"({band.label}) apply: record them in the screening."
        )
    else:
        basis = f"Limits for BMI {state.bmi:.1f} ({band.label}), set by the clinic."
    points = "; ".join(
        f"point {b.number} ({b.muscle_name}, {b.point.side}): {', '.join(b.reasons)}"
        for b in breaches
    )
    title = (
        "Deep needling over the thorax with chronic lung disease"
        if state.has_present(LUNG_DISEASE)
        else "Deeper than this patient's limit over the lung"
    )
    return Alert(
        LUNG_LIMIT_ALERT,
        Level.DANGER,
        title,
        f"{points}. {basis} Use a shorter needle or a shallower angle, directed away from "
        "the lung.",
    )
