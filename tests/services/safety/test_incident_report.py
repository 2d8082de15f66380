"""The incident report of a serious late event: one page, points, depths, needles, actions."""

from __future__ import annotations

import subprocess
from pathlib import Path

from dnt_desktop.models import AuditEvent
from dnt_desktop.models.enums import Severity
from dnt_desktop.pdf.incident import render_incident
from dnt_desktop.services.safety.incident import incident_report
from dnt_desktop.services.safety.late_events import LateEventForm, record_late_event
from dnt_desktop.storage.engine import Database


def test_the_incident_report_holds_the_session_and_the_event(
    db: Database, signed_session: int, practitioner_id: int, tmp_path: Path
) -> None:
    form = LateEventForm(
        "pneumothorax", Severity.SEVERE, 30, "Sent to the emergency department; chest drain."
    )
    done = record_late_event(db, practitioner_id, signed_session, form)
    assert done.serious
    report = incident_report(db, practitioner_id, done.event_id)
    assert report.event.label == "Pneumothorax" and report.event.onset_hours == 30
    (point,) = report.points
    assert (point.muscle, point.depth_mm, point.needle) == ("Rhomboid major", 15.0, "25 x 0.25 mm")
    assert point.lung_risk
    with db.reading() as s:
        event = s.query(AuditEvent).order_by(AuditEvent.id.desc()).first()
        assert (event.action, event.entity_type) == ("export", "incident_report")
    pdf = tmp_path / "incident.pdf"
    pdf.write_bytes(render_incident(report))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert [line.split() for line in info.splitlines() if line.startswith("Pages:")] == [
        ["Pages:", "1"]
    ]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for expected in (
        "Serious adverse event: Pneumothorax",
        "Rhomboid major",
        "chest drain",
        "30 hours",
    ):
        assert expected in text
