"""Demo data for the Safety report: body measurements at screening and late-reported events.

Called once by the generator after the sessions are in. Patients phone in after some
signed sessions (soreness the next day more often than in the published series, so the
report shows a category above the published rate; a bruise noticed at home; a headache),
and one infection needing antibiotics is reported, so that the report and the incident
report mean something at first look. Every late event is audited with its hash as the app
records it, so ``dnt-desktop check`` passes on the demo.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from dnt_desktop.models import LateEvent, Screening, TreatmentSession
from dnt_desktop.models.enums import SessionStatus, Severity
from dnt_desktop.services import audit
from dnt_desktop.services.safety.late_events import LATE_EVENT_ACTION, late_event_hash
from dnt_desktop.storage.engine import Database

LATE_EVENT_RATES: dict[str, tuple[float, float, str]] = {
    # code: (chance per signed session, typical onset in hours, action taken)
    "soreness": (0.022, 20, "Advised heat and gentle movement; settled within 3 days."),
    "bruising": (0.012, 18, "Advised a cold pack on the first day."),
    "headache": (0.0004, 8, "Advised fluids and rest; resolved the same evening."),
    "fatigue": (0.0003, 6, "Reassured; normal the next day."),
    "aggravation": (0.002, 24, "Next session adjusted: fewer needles, lower dose."),
    "drowsiness": (0.0005, 3, "Reassured; advised not to drive when drowsy."),
    "nausea": (0.0002, 2, "Advised fluids and rest."),
    "altered_emotions": (0.0003, 12, "Listened and reassured; follow-up call the next day."),
}
"""Chances per signed session of an event reported after signing (the demo's spread)."""
INFECTION_ACTION = (
    "Redness and warmth at a needle site on day 3: referred to the GP, oral antibiotics; "
    "resolved. Clean technique reviewed with the team."
)


def add_safety_data(db: Database, seed: int, now: datetime | None = None) -> int:
    """Measurements for most screenings and late events on some signed sessions; returns
    the number of late events added."""
    rng = random.Random(f"safety-{seed}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with db.transaction() as session:
        screenings = list(session.scalars(select(Screening.id).order_by(Screening.id)))
        values = []
        for screening_id in screenings:
            if rng.random() < 0.15:
                continue  # not measured: the depth limits use the most conservative band
            height = round(rng.gauss(170, 9), 0)
            bmi = max(16.5, rng.gauss(25.5, 4.2))
            values.append(
                {
                    "sid": screening_id,
                    "height_cm": height,
                    "weight_kg": round(bmi * (height / 100) ** 2, 1),
                }
            )
        if values:
            table = Screening.__table__
            session.connection().execute(
                update(table)
                .where(table.c.id == bindparam("sid"))
                .values(
                    height_cm=bindparam("height_cm"),
                    weight_kg=bindparam("weight_kg"),
                ),
                values,
            )
        signed = session.execute(
            select(
                TreatmentSession.id,
                TreatmentSession.patient_id,
                TreatmentSession.practitioner_id,
                TreatmentSession.signed_at,
            )
            .where(TreatmentSession.status == SessionStatus.SIGNED)
            .order_by(TreatmentSession.id)
        ).all()
        added = 0
        infection_done = False
        for row in signed:
            for code, (chance, onset, action) in LATE_EVENT_RATES.items():
                if rng.random() >= chance:
                    continue
                added += _add(
                    session, row, code, Severity.MILD, onset * rng.uniform(0.5, 1.5), action, now
                )
            if (
                not infection_done
                and row.signed_at is not None
                and timedelta(days=30) < now - row.signed_at < timedelta(days=200)
                and rng.random() < 0.05
            ):
                infection_done = True
                added += _add(session, row, "infection", Severity.SEVERE, 60, INFECTION_ACTION, now)
    return added


def _add(
    session: Session,
    row: Row,
    code: str,
    severity: Severity,
    onset_hours: float,
    action: str,
    now: datetime,
) -> int:
    """One late event and its audit event; 0 when it would be recorded in the future."""
    signed_at = row.signed_at
    recorded_at = signed_at + timedelta(hours=onset_hours + 4)
    if recorded_at >= now:
        return 0
    event = LateEvent(
        session_id=row.id,
        code=code,
        other_text="",
        severity=severity,
        onset_hours=float(round(onset_hours, 1)),
        action_taken=action,
        notes="Reported by phone.",
        recorded_by_id=row.practitioner_id,
        recorded_at=recorded_at,
    )
    session.add(event)
    session.flush()
    audit.record(
        session,
        row.practitioner_id,
        LATE_EVENT_ACTION,
        entity_type="session",
        entity_id=row.id,
        patient_id=row.patient_id,
        summary=f"Late event {event.id} recorded (demo)",
        record_hash=late_event_hash(event),
    )
    return 1
