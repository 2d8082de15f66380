"""The consent form printed for the patient's signature, or with the signature drawn on
screen placed in its box (the signed copy kept with the consent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dnt_desktop.services.dates import format_date

from .canvas import numbered_canvas
from .markup import BULLET_PREFIXES, clean, escape
from .styles import INK, RULE, styles
from .text import Paragraph

MARGIN = 18 * mm
SIGNATURE_HEIGHT = 24 * mm


@dataclass(frozen=True)
class ConsentFormData:
    """What the form prints: the clinic, the patient, the text and (once signed) the
    signature image (PNG bytes) and the day it was signed."""

    clinic_name: str
    patient_name: str
    date_of_birth: date
    chart_number: str
    version: str
    body: str
    signature_png: bytes | None = None
    signed_on: date | None = None
    practitioner_name: str = ""


def _body(text: str) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = []
    paragraphs = [p for p in clean(text).split("\n\n") if p.strip()]
    for number, paragraph in enumerate(paragraphs):
        lines = paragraph.split("\n")
        if number == 0 and len(lines) == 1 and len(lines[0]) < 80:
            story.append(Paragraph(escape(lines[0]), s.title))
            continue
        for line in lines:
            if line.startswith(BULLET_PREFIXES):
                story.append(Paragraph(escape(line[2:].strip()), s.bullet, bulletText="•"))
            elif len(lines) > 1 and line is lines[0] and len(line) < 60:
                story.append(Paragraph(f"<b>{escape(line)}</b>", s.body))
            else:
                story.append(Paragraph(escape(line), s.body))
        story.append(Spacer(1, 2 * mm))
    return story


def _signature_cell(data: ConsentFormData, width: float) -> Flowable | str:
    if data.signature_png is None:
        return ""
    reader = ImageReader(BytesIO(data.signature_png))
    w, h = reader.getSize()
    scale = min(width / max(w, 1), SIGNATURE_HEIGHT / max(h, 1))
    return Image(BytesIO(data.signature_png), width=w * scale, height=h * scale)


def build_consent_form(data: ConsentFormData) -> bytes:
    """The form as a PDF: blank lines to sign on paper, or the drawn signature in place."""
    s = styles()
    buffer = BytesIO()
    width = A4[0] - 2 * MARGIN
    patient = Table(
        [
            [
                Paragraph(f"<b>Patient:</b> {escape(data.patient_name)}", s.body),
                Paragraph(f"<b>Born:</b> {format_date(data.date_of_birth)}", s.body),
                Paragraph(f"<b>Chart no.:</b> {escape(data.chart_number)}", s.body),
            ]
        ],
        colWidths=[width * 0.5, width * 0.25, width * 0.25],
    )
    patient.setStyle(
        TableStyle([("BOX", (0, 0), (-1, -1), 0.5, RULE), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    )
    box_width = width * 0.55
    signed_on = format_date(data.signed_on) if data.signed_on else ""
    signature = Table(
        [
            [Paragraph("Patient's signature", s.label), Paragraph("Date", s.label)],
            [_signature_cell(data, box_width - 6), Paragraph(escape(signed_on), s.value)],
            [Paragraph("Practitioner", s.label), Paragraph("", s.label)],
            [Paragraph(escape(data.practitioner_name), s.value), ""],
        ],
        colWidths=[box_width, width - box_width],
        rowHeights=[None, SIGNATURE_HEIGHT + 4, None, 12 * mm],
    )
    signature.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 1), (-1, 1), 0.8, INK),
                ("LINEBELOW", (0, 3), (-1, 3), 0.8, INK),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ]
        )
    )
    story: list[Flowable] = [
        Paragraph(escape(clean(data.clinic_name)), s.clinic_name),
        Spacer(1, 2 * mm),
        patient,
        Spacer(1, 4 * mm),
        *_body(data.body),
        Spacer(1, 4 * mm),
        KeepTogether([signature]),
        Spacer(1, 2 * mm),
        Paragraph(escape(f"Consent text {data.version}"), s.note),
    ]
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Consent to dry needling – {clean(data.patient_name)}",
        author=clean(data.clinic_name) or "dnt-desktop",
        creator="dnt-desktop",
        pageTemplates=[PageTemplate("page", [Frame(MARGIN, MARGIN, width, A4[1] - 2 * MARGIN)])],
    )
    template.build(story, canvasmaker=numbered_canvas(A4[0] - MARGIN, MARGIN / 2))
    return buffer.getvalue()
