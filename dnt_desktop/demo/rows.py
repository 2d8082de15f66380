"""The demo's rows, chunk by chunk: plain tuples ready for the database, no ORM objects.

A chunk is ``CHUNK`` consecutive patients. What it holds depends only on the seed, the
chunk's number and where its ids start (``ChunkJob``), so chunks can be made in any
order, in any process, and the same seed still gives the same database. How many
sessions each patient has is drawn first, from a random stream of its own
(``skeleton``): the generator knows every chunk's first session id before any chunk is
made.

Values come out as the SQLite columns store them (text timestamps, 0/1 for booleans,
enum values); ``bulk`` converts them for PostgreSQL. Each signed session's content hash
is taken of canonical JSON written here directly from the values
(``demo.canonical_rows``), which ``tests/demo/test_rows.py`` proves equal to
``services.signing.content_hash_of_row``.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache

from dnt_desktop.models import catalogue
from dnt_desktop.services import body_map
from dnt_desktop.services.names import search_key

from . import canonical_rows as canon
from .content import (
    ADJUNCTS,
    ALLERGIES,
    FAMILY_NAMES,
    GIVEN_NAMES_F,
    GIVEN_NAMES_M,
    MEDICAL_HISTORY,
    MEDICATIONS,
    SCREENING_DETAILS,
    SESSION_NOTES,
    SIDE_EFFECT_RATES,
    STREETS,
    STRETCHES,
    TOWNS,
)

CHUNK = 500
"""Patients per chunk (fixed: the chunks, not the database size, decide the draws)."""

PATIENT_COLUMNS = (
    "id",
    "chart_number",
    "family_name",
    "given_name",
    "family_name_key",
    "given_name_key",
    "date_of_birth",
    "sex",
    "phone",
    "email",
    "address",
    "emergency_contact",
    "medical_history",
    "medications",
    "allergies",
    "notes",
    "archived",
    "created_at",
    "updated_at",
    "version",
)
SCREENING_COLUMNS = ("id", "patient_id", "practitioner_id", "screened_at", "notes")
ANSWER_COLUMNS = ("screening_id", "code", "status", "detail")
CONSENT_COLUMNS = (
    "patient_id",
    "practitioner_id",
    "consented_on",
    "text_version",
    "method",
    "notes",
    "withdrawn_on",
    "withdrawn_by_id",
    "withdrawal_note",
    "recorded_at",
)
SESSION_CHARTED = (
    "patient_id",
    "practitioner_id",
    "started_at",
    "pain_before",
    "pain_after",
    "notes",
    "thermal_advice",
    "stretches",
    "next_appointment",
    "subjective",
    "objective",
    "assessment",
    "plan",
)
"""The session's charted fields in the order of ``SessionDraft`` (a test compares them)."""
SESSION_COLUMNS = (
    "id",
    *SESSION_CHARTED,
    "status",
    "signed_at",
    "signed_by_id",
    "content_hash",
    "created_at",
    "updated_at",
    "version",
)
CONDITION_COLUMNS = ("session_id", "code", "other_text")
ADJUNCT_COLUMNS = ("session_id", "code", "detail")
POINT_COLUMNS = (
    "session_id",
    "number",
    "muscle_code",
    "side",
    "view",
    "x",
    "y",
    "depth_class",
    "depth_mm",
    "needle_gauge_mm",
    "needle_length_mm",
    "insertions",
    "twitch_response",
    "technique",
    "notes",
)
EFFECT_COLUMNS = (
    "session_id",
    "code",
    "severity",
    "onset",
    "resolved",
    "action_taken",
    "notes",
    "other_text",
)
TABLES = {
    "patient": PATIENT_COLUMNS,
    "screening": SCREENING_COLUMNS,
    "screening_answer": ANSWER_COLUMNS,
    "consent": CONSENT_COLUMNS,
    "treatment_session": SESSION_COLUMNS,
    "session_condition": CONDITION_COLUMNS,
    "session_adjunct": ADJUNCT_COLUMNS,
    "needling_point": POINT_COLUMNS,
    "side_effect": EFFECT_COLUMNS,
}
"""Each table the chunks fill, with the columns of its tuples."""


@dataclass(frozen=True)
class Setting:
    """What every chunk of one run shares."""

    seed: int
    now: datetime
    """Aware UTC, whole seconds."""
    practitioners: tuple[int, ...]


@dataclass(frozen=True)
class ChunkJob:
    """One chunk to make: its number and where its ids start."""

    setting: Setting
    number: int
    first_patient: int
    count: int
    first_session: int
    first_screening: int


@dataclass
class Chunk:
    """A chunk's rows (tuples in ``TABLES`` order) and its signatures' audit events."""

    rows: dict[str, list[tuple[object, ...]]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )
    signatures: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    """(session id, patient id, signer, summary, seal) of each signed session."""


def skeleton(seed: int, number: int, count: int) -> list[tuple[int, bool, int]]:
    """Chunk *number*'s patients: (days since registration, consented, sessions)."""
    rng = random.Random(f"dnt-demo/{seed}/{number}/skeleton")
    rand, gauss = rng.random, rng.gauss
    patients = []
    for _ in range(count):
        days = 30 + int(rand() * (3 * 365 - 30))
        consented = rand() < 0.97
        wanted = max(1, min(20, int(gauss(10, 3))))
        sessions = min(wanted, max(1, days - 1)) if consented else 0
        patients.append((days, consented, sessions))
    return patients


def session_count(seed: int, number: int, count: int) -> int:
    """How many sessions chunk *number* holds."""
    return sum(sessions for _, _, sessions in skeleton(seed, number, count))


@dataclass(frozen=True)
class _Option:
    """One place a muscle is needled: its side and view, a position, and its JSON parts."""

    muscle: str
    side: str
    view: str
    x: float
    y: float
    lung_risk: bool
    muscle_json: str
    side_json: str
    view_json: str
    x_json: str
    y_json: str


@cache
def _options() -> dict[str, tuple[_Option, ...]]:
    """For each muscle, the body-chart positions it is needled at (sampled inside each of
    its regions, the same samples every run)."""
    rng = random.Random(1)
    options: dict[str, list[_Option]] = {}
    for view in ("front", "back"):
        figure = body_map.figure(view)
        for region in figure.regions:
            xs = [p[0] for p in region.polygon]
            ys = [p[1] for p in region.polygon]
            samples: list[tuple[float, float]] = []
            for _ in range(400):
                x = rng.uniform(min(xs), max(xs))
                y = rng.uniform(min(ys), max(ys))
                hit = body_map.region_at(view, x, y)
                if hit is not None and hit.code == region.code:
                    samples.append((round(x, 4), round(y, 4)))
                if len(samples) >= 12:
                    break
            for code in region.muscles:
                muscle = catalogue.muscle(code)
                for x, y in samples:
                    options.setdefault(code, []).append(
                        _Option(
                            code,
                            region.side,
                            view,
                            x,
                            y,
                            muscle.lung_risk,
                            canon.text(code),
                            canon.text(region.side),
                            canon.text(view),
                            canon.number(x),
                            canon.number(y),
                        )
                    )
    return {code: tuple(found) for code, found in options.items()}


@cache
def _conditions() -> tuple[str, ...]:
    return tuple(c.code for c in catalogue.conditions() if c.code != "other")


@cache
def _muscles_of(treated: tuple[str, ...]) -> tuple[tuple[_Option, ...], ...]:
    """The needling options of each muscle the treated conditions' regions hold."""
    options = _options()
    by_code = {c.code: c for c in catalogue.conditions()}
    muscles = [
        options[m.code]
        for code in treated
        for r in by_code[code].regions
        for m in catalogue.muscles_in_region(r)
        if m.code in options
    ]
    return tuple(muscles) or tuple(options.values())


@cache
def _contraindications() -> tuple[str, ...]:
    return tuple(c.code for c in catalogue.contraindications())


@cache
def _day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@cache
def _local_day(ordinal: int, minutes: int) -> str:
    """The local calendar day of a UTC start (what a signature's audit summary names)."""
    started = datetime.fromordinal(ordinal).replace(tzinfo=UTC) + timedelta(minutes=minutes)
    return started.astimezone().date().isoformat()


def _stamp(moment: datetime) -> str:
    """An aware datetime as the SQLite column stores it (naive UTC text)."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _email(given: str, family: str, number: int) -> str:
    local = re.sub(r"[^a-z]", "", search_key(family))
    return f"{search_key(given)[:1]}.{local}{number}@mail.example"


_NOTES_JSON = tuple(canon.text(n) for n in SESSION_NOTES)
_STRETCHES_JSON = tuple(canon.text(s) for s in STRETCHES)
_THERMAL = ("general", "heat", "ice")
_THERMAL_JSON = tuple(canon.text(t) for t in _THERMAL)
_LONG = (25.0, 30.0, 40.0, 50.0)
_SHORT = (13.0, 15.0, 25.0)
_GAUGES = (0.25, 0.25, 0.30, 0.18)
_CONDITION_ROWS: dict[str, str] = {}  # code -> its canonical JSON


def _condition_json(code: str) -> str:
    found = _CONDITION_ROWS.get(code)
    if found is None:
        found = _CONDITION_ROWS[code] = canon.condition(code, "")
    return found


def make_chunk(job: ChunkJob) -> Chunk:
    """The rows of one chunk (a pure function of *job*)."""
    setting = job.setting
    now = setting.now
    practitioners = setting.practitioners
    n_practitioners = len(practitioners)
    rng = random.Random(f"dnt-demo/{setting.seed}/{job.number}/content")
    rand, sample = rng.random, rng.sample
    conditions = _conditions()
    contraindications = _contraindications()
    both_pools = GIVEN_NAMES_F + GIVEN_NAMES_M
    cutoff = now - timedelta(days=3)
    cutoff_ordinal = cutoff.toordinal()
    cutoff_seconds = cutoff.hour * 3600 + cutoff.minute * 60 + cutoff.second
    chunk = Chunk()
    rows = chunk.rows
    patients = rows["patient"]
    screenings = rows["screening"]
    answers = rows["screening_answer"]
    consents = rows["consent"]
    sessions = rows["treatment_session"]
    condition_rows = rows["session_condition"]
    adjunct_rows = rows["session_adjunct"]
    point_rows = rows["needling_point"]
    effect_rows = rows["side_effect"]
    signatures = chunk.signatures
    session_id = job.first_session
    plan = skeleton(setting.seed, job.number, job.count)
    for offset, (days_since, consented, n_sessions) in enumerate(plan):
        number = job.first_patient + offset
        screening_id = job.first_screening + offset
        sex = ("female", "female", "male", "male", "other")[int(rand() * 5)]
        pool = GIVEN_NAMES_F if sex == "female" else GIVEN_NAMES_M if sex == "male" else both_pools
        family = FAMILY_NAMES[int(rand() * len(FAMILY_NAMES))]
        given = pool[int(rand() * len(pool))]
        born = _day(date(1940, 1, 1).toordinal() + int(rand() * 68 * 365))
        registered = now - timedelta(days=days_since)
        registered_at = _stamp(registered)
        on_anticoagulants = rand() < 0.07
        medications = (
            "Apixaban 5 mg bd" if on_anticoagulants else MEDICATIONS[int(rand() * len(MEDICATIONS))]
        )
        patients.append(
            (
                number,
                f"P{number:06d}",
                family,
                given,
                search_key(family),
                search_key(given),
                born,
                sex,
                f"07{100 + int(rand() * 899)} {100000 + int(rand() * 899999)}",
                _email(given, family, number),
                f"{1 + int(rand() * 199)} {STREETS[int(rand() * len(STREETS))]}\n"
                f"{TOWNS[int(rand() * len(TOWNS))]}",
                "",
                MEDICAL_HISTORY[int(rand() * len(MEDICAL_HISTORY))],
                medications,
                ALLERGIES[int(rand() * len(ALLERGIES))],
                "",
                1 if rand() < 0.01 else 0,
                registered_at,
                registered_at,
                1,
            )
        )
        screenings.append(
            (
                screening_id,
                number,
                practitioners[int(rand() * n_practitioners)],
                registered_at,
                "",
            )
        )
        for code in contraindications:
            status, detail = "absent", ""
            if code == "bleeding_anticoagulants" and on_anticoagulants:
                status, detail = "present", "Apixaban (atrial fibrillation)"
            elif code == "pregnancy" and sex == "female" and rand() < 0.02:
                status, detail = "present", "Second trimester"
            elif code != "pregnancy" and rand() < 0.02:
                status, detail = "present", SCREENING_DETAILS.get(code, "")
            elif rand() < 0.01:
                status = "unknown"
            answers.append((screening_id, code, status, detail))
        if not consented:
            continue
        consents.append(
            (
                number,
                practitioners[int(rand() * n_practitioners)],
                registered_at[:10],
                "DN-consent-v1",
                ("written", "written", "verbal")[int(rand() * 3)],
                "",
                None,
                None,
                "",
                registered_at,
            )
        )
        treated = tuple(sample(conditions, k=(1, 1, 2)[int(rand() * 3)]))
        treated_json = ",".join(_condition_json(code) for code in treated)
        muscles = _muscles_of(treated)
        n_muscles = len(muscles)
        first_ordinal = registered.toordinal()
        for day in sorted(sample(range(1, max(2, days_since)), k=n_sessions)):
            ordinal = first_ordinal + day
            day_text = _day(ordinal)
            hour = 8 + int(rand() * 10)
            minute = (0, 15, 30, 45)[int(rand() * 4)]
            practitioner = practitioners[int(rand() * n_practitioners)]
            signed = (  # older than three days, else half of them
                ordinal < cutoff_ordinal
                or (ordinal == cutoff_ordinal and hour * 3600 + minute * 60 < cutoff_seconds)
                or rand() < 0.5
            )
            pain_before = 3 + int(rand() * 6)
            pain_after = max(0, pain_before - int(rand() * 4))
            note = int(rand() * len(SESSION_NOTES))
            thermal = int(rand() * 3)
            stretch = int(rand() * len(STRETCHES))
            clock = f"{hour:02d}:{minute:02d}:00.000000"
            started = f"{day_text} {clock}"
            for code in treated:
                condition_rows.append((session_id, code, ""))
            adjuncts = sample(ADJUNCTS, k=(0, 1, 1, 2)[int(rand() * 4)])
            for code in adjuncts:
                adjunct_rows.append((session_id, code, ""))
            points_json = []
            for point_number in range(1, 2 + int(rand() * 7)):
                options = muscles[int(rand() * n_muscles)]
                where = options[int(rand() * len(options))]
                deep = rand() < 0.7
                if deep:
                    length = _LONG[int(rand() * 4)]
                    depth = float(round(11 + (min(length, 35.0) - 11) * rand(), 0))
                    if where.lung_risk:
                        length, depth = 25.0, float(11 + int(rand() * 8))
                else:
                    length = _SHORT[int(rand() * 3)]
                    depth = float(3 + int(rand() * 8))
                gauge = _GAUGES[int(rand() * 4)]
                insertions = 1 + int(rand() * 5)
                twitch = deep and rand() < 0.6
                technique = "pistoning" if deep and rand() < 0.6 else "static"
                depth_class = "deep" if deep else "superficial"
                point_rows.append(
                    (
                        session_id,
                        point_number,
                        where.muscle,
                        where.side,
                        where.view,
                        where.x,
                        where.y,
                        depth_class,
                        depth,
                        gauge,
                        length,
                        insertions,
                        1 if twitch else 0,
                        technique,
                        "",
                    )
                )
                if signed:
                    points_json.append(
                        canon.point(
                            depth_class,
                            depth,
                            insertions,
                            where.muscle_json,
                            gauge,
                            length,
                            point_number,
                            where.side_json,
                            technique,
                            twitch,
                            where.view_json,
                            where.x_json,
                            where.y_json,
                        )
                    )
            effects_json = []
            for code, rate in SIDE_EFFECT_RATES:
                if rand() < rate:
                    severity = "mild" if rand() < 0.9 else "moderate"
                    onset = "during" if code in ("bleeding", "pain_during") else "after"
                    action = "Pressure applied" if code == "bleeding" else ""
                    effect_rows.append((session_id, code, severity, onset, 1, action, "", ""))
                    if signed:
                        effects_json.append(canon.side_effect(code, severity, onset, action))
            if signed:
                signed_minutes = hour * 60 + minute + 40
                signed_clock = f"{signed_minutes // 60:02d}:{signed_minutes % 60:02d}:00.000000"
                signed_at = f"{day_text} {signed_clock}"
                digest = hashlib.sha256(
                    canon.session_document(
                        adjuncts=",".join(canon.adjunct(code, "") for code in adjuncts),
                        conditions=treated_json,
                        points=",".join(points_json),
                        session=canon.session(
                            session_id=session_id,
                            notes=_NOTES_JSON[note],
                            pain_after=pain_after,
                            pain_before=pain_before,
                            patient_id=number,
                            practitioner_id=practitioner,
                            signed_at=f"{day_text}T{signed_clock}",
                            signed_by_id=practitioner,
                            started_at=f"{day_text}T{clock}",
                            stretches=_STRETCHES_JSON[stretch],
                            thermal_advice=_THERMAL_JSON[thermal],
                        ),
                        side_effects=",".join(effects_json),
                    ).encode("utf-8")
                ).hexdigest()
                signatures.append(
                    (
                        session_id,
                        number,
                        practitioner,
                        f"Signed session of {_local_day(ordinal, hour * 60 + minute)} "
                        f"(demo data); content hash {digest[:12]}",
                        canon.seal(digest),
                    )
                )
                status, signer = "signed", practitioner
            else:
                digest = signed_at = signer = None  # type: ignore[assignment]
                status = "draft"
            sessions.append(
                (
                    session_id,
                    number,
                    practitioner,
                    started,
                    pain_before,
                    pain_after,
                    SESSION_NOTES[note],
                    _THERMAL[thermal],
                    STRETCHES[stretch],
                    None,
                    "",
                    "",
                    "",
                    "",
                    status,
                    signed_at,
                    signer,
                    digest,
                    started,
                    started,
                    1,
                )
            )
            session_id += 1
    return chunk
