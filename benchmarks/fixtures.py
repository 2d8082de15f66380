"""What the benchmarks chart: valid points on both views, a 10-point session, and a
patient with 100 sessions (added to each benchmark database when it is built)."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from dnt_desktop import demo
from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import (
    ChartView,
    ConsentMethod,
    DepthClass,
    Onset,
    ScreeningStatus,
    Severity,
    Side,
    Technique,
)
from dnt_desktop.services import body_map
from dnt_desktop.services.clinical import record_consent, record_screening
from dnt_desktop.services.drafts import (
    ConditionDraft,
    ConsentForm,
    PatientForm,
    PointDraft,
    ScreeningAnswerForm,
    ScreeningForm,
    SessionDraft,
    SideEffectDraft,
)
from dnt_desktop.services.names import search_key
from dnt_desktop.services.patients import register_patient
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database

CHART_PATIENT = PatientForm("Benchmark", "Hundred", date(1971, 3, 9), phone="0100 000100")
CHART_SESSIONS = 100
POINTS_PER_SESSION = 10


def spots(view: ChartView) -> list[tuple[str, Side, float, float]]:
    """For each region of *view*: a muscle under it, its side and a point inside it.

    Lung-risk muscles are left out so that no session needs a confirmed alert.
    """
    found = []
    for region in body_map.figure(view.value).regions:
        muscles = [m for m in region.muscles if not catalogue.muscle(m).lung_risk]
        if not muscles:
            continue
        xs = [p[0] for p in region.polygon]
        ys = [p[1] for p in region.polygon]
        steps = 12
        for i in range(1, steps):
            x = min(xs) + (max(xs) - min(xs)) * i / steps
            hit = None
            for j in range(1, steps):
                y = min(ys) + (max(ys) - min(ys)) * j / steps
                if body_map.region_at(view.value, x, y) == region:
                    hit = (round(x, 4), round(y, 4))
                    break
            if hit is not None:
                found.append((muscles[0], Side(region.side), *hit))
                break
    return found


def points(count: int, rng: random.Random) -> list[PointDraft]:
    """*count* valid points, alternating front and back views."""
    views = {view: spots(view) for view in ChartView}
    result = []
    for number in range(count):
        view = (ChartView.FRONT, ChartView.BACK)[number % 2]
        muscle, side, x, y = rng.choice(views[view])
        deep = rng.random() < 0.7
        result.append(
            PointDraft(
                muscle_code=muscle,
                side=side,
                view=view,
                x=x,
                y=y,
                depth_class=DepthClass.DEEP if deep else DepthClass.SUPERFICIAL,
                depth_mm=float(rng.randrange(12, 25) if deep else rng.randrange(3, 10)),
                needle_length_mm=30.0,
                insertions=rng.randrange(1, 5),
                twitch_response=deep and rng.random() < 0.5,
                technique=Technique.PISTONING if deep else Technique.STATIC,
            )
        )
    return result


def ten_point_draft(
    patient_id: int, practitioner_id: int, started_at: datetime, seed: int = 10
) -> SessionDraft:
    """A session of 10 points on the front and back views, with 2 side effects."""
    rng = random.Random(seed)
    return SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=started_at,
        conditions=[ConditionDraft("neck_pain"), ConditionDraft("back_pain")],
        pain_before=7,
        pain_after=4,
        notes="Tender trigger points reproduced the familiar pain. Tolerated well.",
        points=points(POINTS_PER_SESSION, rng),
        side_effects=[
            SideEffectDraft("bruising", Severity.MILD, Onset.AFTER, resolved=True),
            SideEffectDraft(
                "bleeding", Severity.MILD, Onset.DURING, True, action_taken="Pressure applied"
            ),
        ],
        stretches="Upper trapezius stretch, 3 x 30 s each side",
    )


def add_chart_patient(db: Database, practitioner_id: int) -> tuple[int, int]:
    """Register the 100-session patient through the services; returns (patient, last session).

    The patient takes anticoagulants (so the chart raises an alert) and has consent; the
    sessions are weekly drafts (signing needs a password check per session), the newest
    one a 10-point session with 2 side effects, the one the aftercare figure prints.
    """
    form = replace(CHART_PATIENT, medications="Apixaban 5 mg bd")
    patient_id = register_patient(db, practitioner_id, form)
    answers = [
        ScreeningAnswerForm(
            c.code,
            ScreeningStatus.PRESENT
            if c.code == "bleeding_anticoagulants"
            else ScreeningStatus.ABSENT,
            "Apixaban (atrial fibrillation)" if c.code == "bleeding_anticoagulants" else "",
        )
        for c in catalogue.contraindications()
    ]
    first = datetime.now(UTC).replace(microsecond=0) - timedelta(weeks=CHART_SESSIONS + 1)
    record_screening(db, practitioner_id, patient_id, ScreeningForm(answers, screened_at=first))
    record_consent(
        db, practitioner_id, patient_id, ConsentForm(first.date(), ConsentMethod.WRITTEN)
    )
    rng = random.Random(100)
    last = 0
    for week in range(1, CHART_SESSIONS + 1):
        started = first + timedelta(weeks=week)
        if week == CHART_SESSIONS:
            draft = ten_point_draft(patient_id, practitioner_id, started)
        else:
            draft = SessionDraft(
                patient_id=patient_id,
                practitioner_id=practitioner_id,
                started_at=started,
                conditions=[ConditionDraft("neck_pain")],
                pain_before=rng.randrange(4, 9),
                pain_after=rng.randrange(0, 4),
                points=points(rng.randrange(2, 7), rng),
                side_effects=[SideEffectDraft("soreness", onset=Onset.AFTER)]
                if week % 9 == 0
                else [],
            )
        last = save_session(db, practitioner_id, draft).session_id
    return patient_id, last


def common_surname_prefix(length: int = 3) -> str:
    """The *length*-letter start shared by most of the demo's family names."""
    counts = Counter(search_key(name)[:length] for name in demo.FAMILY_NAMES)
    return min(counts, key=lambda prefix: (-counts[prefix], prefix))
