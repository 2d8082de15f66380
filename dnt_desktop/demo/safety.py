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
from typing import Any

from sqlalchemy import Row, func, select

from dnt_desktop.models import AuditEvent, LateEvent, Screening, TreatmentSession
from dnt_desktop.models.enums import SessionStatus, Severity
from dnt_desktop.services import audit
from dnt_desktop.services.safety.late_events import LATE_EVENT_ACTION, late_event_hash
from dnt_desktop.storage.engine import Database

from .bulk import advance_id_sequences, insert_rows

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
    the number of late events added. Written in bulk: one statement per kind of row."""
    rng = random.Random(f"safety-{seed}")
    now = (now or datetime.now(UTC)).astimezone(UTC)
    with db.transaction() as session:
        connection = session.connection()
        screenings = list(session.scalars(select(Screening.id).order_by(Screening.id)))
        values = []
        for screening_id in screenings:
            if rng.random() < 0.15:
                continue  # not measured: the depth limits use the most conservative band
            height = round(rng.gauss(170, 9), 0)
            bmi = max(16.5, rng.gauss(25.5, 4.2))
            values.append((height, round(bmi * (height / 100) ** 2, 1), screening_id))
        if values:
            mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
            connection.exec_driver_sql(
                f"UPDATE screening SET height_cm = {mark}, weight_kg = {mark} WHERE id = {mark}",
                values,
            )
        signed = connection.execute(
            select(
                TreatmentSession.id,
                TreatmentSession.patient_id,
                TreatmentSession.practitioner_id,
                TreatmentSession.signed_at,
            )
            .where(TreatmentSession.status == SessionStatus.SIGNED)
            .order_by(TreatmentSession.id)
        ).all()
        events: list[dict[str, Any]] = []
        next_id = (session.scalar(select(func.max(LateEvent.id))) or 0) + 1
        infection_done = False
        rates = tuple(LATE_EVENT_RATES.items())
        rand = rng.random
        for row in signed:
            for code, (chance, onset, action) in rates:
                if rand() >= chance:
                    continue
                hours = onset * rng.uniform(0.5, 1.5)
                _add(events, next_id + len(events), row, code, Severity.MILD, hours, action, now)
            if (
                not infection_done
                and row.signed_at is not None
                and timedelta(days=30) < now - row.signed_at < timedelta(days=200)
                and rand() < 0.05
            ):
                infection_done = True
                _add(
                    events,
                    next_id + len(events),
                    row,
                    "infection",
                    Severity.SEVERE,
                    60,
                    INFECTION_ACTION,
                    now,
                )
        insert_rows(connection, LateEvent.__table__, [event for event, _ in events])
        audit_rows = audit.chained_rows(connection, [entry for _, entry in events])
        insert_rows(connection, AuditEvent.__table__, audit_rows)
        advance_id_sequences(connection, ("late_event",))
    return len(events)


def _add(
    events: list[tuple[dict[str, Any], dict[str, Any]]],
    event_id: int,
    row: Row,
    code: str,
    severity: Severity,
    onset_hours: float,
    action: str,
    now: datetime,
) -> None:
    """One late event and its audit event, unless it would be recorded in the future."""
    recorded_at = row.signed_at + timedelta(hours=onset_hours + 4)
    if recorded_at >= now:
        return
    event = {
        "id": event_id,
        "session_id": row.id,
        "code": code,
        "other_text": "",
        "severity": severity,
        "onset_hours": float(round(onset_hours, 1)),
        "action_taken": action,
        "notes": "Reported by phone.",
        "recorded_by_id": row.practitioner_id,
        "recorded_at": recorded_at,
    }
    entry = {
        "actor_id": row.practitioner_id,
        "action": LATE_EVENT_ACTION,
        "entity_type": "session",
        "entity_id": row.id,
        "patient_id": row.patient_id,
        "summary": f"Late event {event_id} recorded (demo)",
        "record_hash": late_event_hash(event),
    }
    events.append((event, entry))
