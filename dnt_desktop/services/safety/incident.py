"""The incident report of a serious event: what the clinic's incident process needs.

Plain data for ``pdf.incident``: the clinic, the patient, the session's points (muscle,
side, depth, needle), the event and what was done, the alerts confirmed at the time and
the other events of the session. Producing it is audited ("export", "incident_report").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from dnt_desktop.models import Clinic, LateEvent, catalogue
from dnt_desktop.storage.engine import Database

from .. import audit
from ..errors import NotFoundError
from ..sessions import load_session_in
from .late_events import LateEventView, _view, label_of


@dataclass(frozen=True)
class IncidentPoint:
    """One needling point as the incident report lists it."""

    number: int
    muscle: str
    side: str
    depth_class: str
    depth_mm: float
    needle: str
    insertions: int
    technique: str
    lung_risk: bool


@dataclass(frozen=True)
class IncidentReport:
    """Everything the one-page incident report prints."""

    clinic_name: str
    clinic_contact: str
    patient_name: str
    chart_number: str
    date_of_birth: date
    session_id: int
    started_at: datetime
    practitioner: str
    signed_at: datetime | None
    points: tuple[IncidentPoint, ...]
    event: LateEventView
    other_events: tuple[str, ...]
    alerts_confirmed: tuple[str, ...]


def incident_report(db: Database, actor_id: int | None, event_id: int) -> IncidentReport:
    """The incident report of late event *event_id* (audited as an export)."""
    with db.transaction() as session:
        row = session.get(LateEvent, event_id)
        if row is None:
            raise NotFoundError(f"Late event {event_id} does not exist.")
        event = _view(row)
        visit = load_session_in(session, row.session_id)
        patient = visit.patient
        clinic = session.get(Clinic, 1)
        points = tuple(
            IncidentPoint(
                number=p.number,
                muscle=catalogue.label_of("muscle", p.muscle_code),
                side=p.side.value,
                depth_class=p.depth_class.value,
                depth_mm=p.depth_mm,
                needle=f"{p.needle_length_mm:g} x {p.needle_gauge_mm:g} mm",
                insertions=p.insertions,
                technique=p.technique.value,
                lung_risk=catalogue.muscle(p.muscle_code).lung_risk,
            )
            for p in visit.points
        )
        others = tuple(
            f"{label_of(e.code, e.other_text)} ({e.severity.value}, {e.onset.value} the "
            "session, charted)"
            for e in visit.side_effects
        ) + tuple(
            f"{label_of(e.code, e.other_text)} ({e.severity.value}, {e.onset_hours:g} h after, "
            "reported later)"
            for e in session.query(LateEvent)
            .filter(LateEvent.session_id == visit.id, LateEvent.id != event_id)
            .order_by(LateEvent.id)
        )
        report = IncidentReport(
            clinic_name=clinic.name if clinic else "",
            clinic_contact=" · ".join(x for x in (clinic.phone, clinic.email) if x)
            if clinic
            else "",
            patient_name=patient.display_name,
            chart_number=patient.chart_number,
            date_of_birth=patient.date_of_birth,
            session_id=visit.id,
            started_at=visit.started_at,
            practitioner=visit.practitioner.full_name,
            signed_at=visit.signed_at,
            points=points,
            event=event,
            other_events=others,
            alerts_confirmed=tuple(a.message for a in visit.acknowledgements),
        )
        audit.record(
            session,
            actor_id,
            "export",
            entity_type="incident_report",
            entity_id=event_id,
            patient_id=patient.id,
            summary=f"Incident report of late event {event_id} (session {visit.id})",
        )
        return report
