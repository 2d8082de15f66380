"""Demo progress: referrers, outcome measures and letters for some demo patients.

Patients with several sessions get a referring doctor, a PSFS and an NPRS at their first
and latest session (following their pain scores, so that the graphs and the changes mean
something), a GROC at the latest, and the first few a progress letter to the referrer.
Written through the services, as the app would (sealed and audited).
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from sqlalchemy import func, select

from dnt_desktop.models import OutcomeMeasure, TreatmentSession
from dnt_desktop.services.dates import local
from dnt_desktop.services.progress.letters import SAVED, prepare_letter, record_letter
from dnt_desktop.services.progress.measures import Answer, record_measure
from dnt_desktop.services.progress.pain_trend import pain_trend
from dnt_desktop.services.progress.referrers import (
    ReferrerForm,
    referrers,
    save_referrer,
    set_patient_referrer,
)
from dnt_desktop.storage.engine import Database

REFERRERS = (
    ReferrerForm(
        "Dr Amara Nwosu",
        "Mill Road Surgery",
        "3 Mill Road\nRiverton RT1 2CD",
        "a.nwosu@millroad-surgery.example",
        "+44 1632 960 410",
    ),
    ReferrerForm(
        "Dr Henrik Solberg",
        "Riverton Sports Medicine",
        "Unit 4, Quay Street\nRiverton RT2 7EF",
        "referrals@riverton-sportsmed.example",
        "+44 1632 960 522",
    ),
    ReferrerForm(
        "Dr Priya Raman",
        "Castle Hill Medical Practice",
        "88 Castle Hill\nRiverton RT3 1GH",
        "castlehill.referrals@nhs.example",
        "+44 1632 960 637",
    ),
)
ACTIVITIES = (
    "Turning head to reverse the car",
    "Sitting at the computer for an hour",
    "Lifting a child or shopping bags",
    "Sleeping through the night",
    "Running 5 km",
    "Gardening (kneeling and digging)",
    "Climbing stairs",
    "Reaching up to a high shelf",
)
PATIENTS = 12
LETTERS = 3


def add_progress(db: Database, seed: int, actor_id: int) -> None:
    """Give up to ``PATIENTS`` patients with several sessions referrers, measures and
    letters (only patients who have no measure yet)."""
    rng = random.Random(seed * 7919 + 15)
    known = referrers(db)
    ids = [r.referrer_id for r in known]
    for form in REFERRERS[len(known) :]:
        ids.append(save_referrer(db, actor_id, form)[0])
    with db.reading() as session:
        counts = Counter(
            dict(
                session.execute(
                    select(TreatmentSession.patient_id, func.count())
                    .where(TreatmentSession.pain_before.is_not(None))
                    .group_by(TreatmentSession.patient_id)
                    .having(func.count() >= 3)
                    .order_by(TreatmentSession.patient_id)
                    .limit(PATIENTS * 8)
                ).all()
            )
        )
        measured = set(session.scalars(select(OutcomeMeasure.patient_id).distinct()))
    candidates = [pid for pid in counts if pid not in measured]
    # Patients whose pain came down first: their graphs and letters tell a course of care.
    chosen = sorted(candidates, key=lambda pid: (-_improvement(db, pid), -counts[pid], pid))
    chosen = chosen[:PATIENTS]
    for index, patient_id in enumerate(chosen):
        set_patient_referrer(db, actor_id, patient_id, ids[index % len(ids)])
        _measures(db, rng, actor_id, patient_id)
        if index < LETTERS:
            document = prepare_letter(
                db,
                actor_id,
                patient_id,
                "progress",
                plan="Two more sessions over the next three weeks, then a home exercise "
                "programme; discharge expected by the end of the month.",
            )
            from dnt_desktop.pdf.letter import render_letter

            record_letter(db, actor_id, document, render_letter(document), SAVED)


def _improvement(db: Database, patient_id: int) -> int:
    change = pain_trend(db, patient_id).change
    return -change if change is not None else -99


def _measures(db: Database, rng: random.Random, actor_id: int, patient_id: int) -> None:
    trend = pain_trend(db, patient_id)
    scored = [p for p in trend.points if p.pain_before is not None]
    if len(scored) < 2:
        return
    first, last = scored[0], scored[-1]
    today = date.today()
    days = [min(local(p.started_at).date(), today) for p in (first, last)]
    activities = rng.sample(ACTIVITIES, rng.randint(3, 5))
    baseline = [
        max(0, min(10, 10 - (first.pain_before or 0) + rng.randint(-2, 1))) for _ in activities
    ]
    gain = (first.pain_before or 0) - (last.pain_before or 0)
    latest = [max(0, min(10, b + gain + rng.randint(-1, 1))) for b in baseline]
    for when, values, session in ((days[0], baseline, first), (days[1], latest, last)):
        answers = [Answer(a, v) for a, v in zip(activities, values, strict=True)]
        answers += [Answer("", None)] * (5 - len(answers))
        record_measure(
            db, actor_id, patient_id, "psfs", when, answers, session_id=session.session_id
        )
        record_measure(
            db,
            actor_id,
            patient_id,
            "nprs",
            when,
            [Answer("", session.pain_before)],
            session_id=session.session_id,
        )
    groc = max(-7, min(7, gain + rng.randint(-1, 2)))
    record_measure(
        db, actor_id, patient_id, "groc", days[1], [Answer("", groc)], session_id=last.session_id
    )
