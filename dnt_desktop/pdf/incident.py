"""The one-page incident report of a serious adverse event, for the clinic's incident process."""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dnt_desktop.services.dates import format_date, format_datetime
from dnt_desktop.services.safety.incident import IncidentReport

from .markup import escape
from .styles import DANGER, DANGER_PANEL, PANEL, RULE, TABLE_HEAD, styles


def _pairs(rows: list[tuple[str, str]], width: float) -> Table:
    s = styles()
    table = Table(
        [[Paragraph(escape(k), s.label), Paragraph(escape(v), s.value)] for k, v in rows],
        colWidths=[width * 0.28, width * 0.72],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def render_incident(report: IncidentReport) -> bytes:
    """The incident report as PDF bytes (A4, one page for up to about 20 points)."""
    s = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=13 * mm,
        bottomMargin=12 * mm,
        title=f"Incident report – late event {report.event.id}",
        author=report.clinic_name or "dnt-desktop",
    )
    width = doc.width
    event = report.event
    banner = Table(
        [
            [
                Paragraph(
                    escape(f"Serious adverse event: {event.label} ({event.severity.value})"),
                    s.warning_title,
                )
            ]
        ],
        colWidths=[width],
    )
    banner.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.5, DANGER),
                ("BACKGROUND", (0, 0), (-1, -1), DANGER_PANEL),
                ("TOPPADDING", (0, 0), (-1, -1), 5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    head = ["#", "Muscle", "Side", "Depth", "Needle (length x gauge)", "Insertions", "Technique"]
    rows = [[Paragraph(escape(h), s.cell_head) for h in head]]
    for p in report.points:
        muscle = p.muscle + (" (over the lung)" if p.lung_risk else "")
        rows.append(
            [
                Paragraph(str(p.number), s.cell),
                Paragraph(escape(muscle), s.cell),
                Paragraph(escape(p.side), s.cell),
                Paragraph(escape(f"{p.depth_class}, {p.depth_mm:g} mm"), s.cell),
                Paragraph(escape(p.needle), s.cell),
                Paragraph(str(p.insertions), s.cell),
                Paragraph(escape(p.technique), s.cell),
            ]
        )
    points = Table(
        rows,
        colWidths=[width * c for c in (0.05, 0.28, 0.08, 0.15, 0.19, 0.12, 0.13)],
        repeatRows=1,
    )
    points.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    follow_up = Table(
        [[Paragraph("<b>For the clinic's incident process</b>", s.body)]]
        + [
            [Paragraph(escape(line), s.body)]
            for line in (
                "Reported to (name, role, date): ______________________________________",
                "Investigation and contributing factors: ________________________________",
                "_____________________________________________________________________",
                "Changes to practice agreed: ___________________________________________",
                "Patient informed / follow-up arranged: _________________________________",
                "Signed: ______________________________   Date: ________________",
            )
        ],
        colWidths=[width],
    )
    follow_up.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    story = [
        Paragraph(escape(f"Incident report — {report.clinic_name}"), s.title),
        Paragraph(escape(report.clinic_contact), s.note),
        Spacer(1, 5),
        banner,
        Spacer(1, 6),
        _pairs(
            [
                ("Patient", f"{report.patient_name} (chart {report.chart_number})"),
                ("Date of birth", format_date(report.date_of_birth)),
                (
                    "Treatment",
                    f"Session {report.session_id} on {format_datetime(report.started_at)}, by "
                    f"{report.practitioner}"
                    + (f"; signed {format_datetime(report.signed_at)}" if report.signed_at else ""),
                ),
                ("Event", event.label),
                ("Severity", event.severity.value),
                ("Onset", f"{event.onset_hours:g} hours after the treatment"),
                (
                    "Reported",
                    f"Recorded by {event.recorded_by} on {format_datetime(event.recorded_at)}",
                ),
                ("Action taken", event.action_taken or "–"),
                ("Notes", event.notes or "–"),
                ("Other events of the session", "; ".join(report.other_events) or "none"),
                (
                    "Alerts confirmed at the session",
                    "; ".join(report.alerts_confirmed) or "none",
                ),
            ],
            width,
        ),
        Spacer(1, 8),
        Paragraph("Points needled in the session", s.heading),
        points,
        Spacer(1, 10),
        follow_up,
        Spacer(1, 4),
        Paragraph(
            escape(
                "Printed from dnt-desktop. The signed session and this event are kept "
                "unchanged in the clinic's records and audit trail."
            ),
            s.note,
        ),
    ]
    doc.build(story)
    return out.getvalue()
