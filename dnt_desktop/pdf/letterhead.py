"""The first page's letterhead, the patient box, and the running header and footer."""

from __future__ import annotations

import contextlib
from io import BytesIO

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Image, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from dnt_desktop.services.aftercare import AftercareSheet
from dnt_desktop.services.aftercare.wording import sheet_date
from dnt_desktop.services.dates import local

from .columns import section_height, whole_if_possible
from .fonts import register_fonts
from .markup import escape, inline
from .styles import MUTED, MUTED_HEX, PANEL, PRIMARY, RULE, styles
from .text import Paragraph, draw_string

LOGO_MAX_HEIGHT = 17 * mm
LOGO_MAX_WIDTH = 42 * mm
LETTERHEAD_MAX_HEIGHT = 60 * mm
FOOTER_BASELINE = 9 * mm


def _logo(data: bytes | None) -> Image | None:
    """The clinic's logo from the database, scaled down; None if absent or unreadable."""
    if not data:
        return None
    with contextlib.suppress(Exception):  # a broken logo must never stop the sheet
        reader = ImageReader(BytesIO(data))
        width, height = reader.getSize()
        if width <= 0 or height <= 0:
            return None
        scale = min(LOGO_MAX_HEIGHT / height, LOGO_MAX_WIDTH / width)
        return Image(BytesIO(data), width=width * scale, height=height * scale)
    return None


def _words(sheet: AftercareSheet, key: str) -> str:
    """A fixed word of the sheet's language, as markup."""
    return escape(" ".join(sheet.text(key).split()))


def letterhead(sheet: AftercareSheet, width: float) -> list[Flowable]:
    """Clinic name, address and contacts (with the logo), then a rule."""
    s = styles()
    clinic = sheet.clinic
    left: list[Flowable] = [Paragraph(inline(clinic.name), s.clinic_name)]
    if clinic.address.strip():
        left.append(Paragraph(escape(clinic.address.strip()), s.letterhead))
    contacts = [
        f"{_words(sheet, 'letterhead_phone')} {inline(clinic.phone)}"
        if clinic.phone.strip()
        else "",
        inline(clinic.email),
        inline(clinic.website),
    ]
    right = Paragraph("<br/>".join(c for c in contacts if c), s.letterhead_right)
    logo = _logo(clinic.logo)
    right_width = 55 * mm
    cells: list[object] = [left, right]
    widths = [width - right_width, right_width]
    if logo is not None:
        gap = 5 * mm
        cells = [logo, left, right]
        widths = [logo.drawWidth + gap, width - right_width - logo.drawWidth - gap, right_width]
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    rule = HRFlowable(width="100%", thickness=1.4, color=PRIMARY, spaceBefore=5, spaceAfter=7)
    too_tall = (
        max(section_height(left, widths[-2]), section_height([right], right_width))
        > LETTERHEAD_MAX_HEIGHT
    )
    if too_tall:  # an address or name running over many lines: let it flow instead
        stacked = Paragraph("<br/>".join(c for c in contacts if c), s.letterhead)
        return [*([logo] if logo is not None else []), *left, stacked, rule]
    return [table, rule]


def patient_box(sheet: AftercareSheet, width: float) -> Flowable:
    """Patient, date of birth, date of treatment and practitioner in a light panel."""
    s = styles()
    practitioner = escape(sheet.practitioner_name)
    if sheet.practitioner_registration.strip():
        registration = inline(sheet.practitioner_registration)
        reg = _words(sheet, "box_registration")
        practitioner += f'<br/><font size="7.5" color="{MUTED_HEX}">{reg} {registration}</font>'
    born = (
        sheet_date(sheet.text, sheet.patient_date_of_birth) if sheet.patient_date_of_birth else "–"
    )
    items = [
        ("box_patient", escape(sheet.patient_name)),
        ("box_date_of_birth", born),
        ("box_date_of_treatment", sheet_date(sheet.text, local(sheet.started_at).date())),
        ("box_practitioner", practitioner),
    ]
    cells = [
        [Paragraph(_words(sheet, key).upper(), s.label), Paragraph(value, s.value)]
        for key, value in items
    ]
    fractions = (0.27, 0.215, 0.215, 0.3)
    table = Table([cells], colWidths=[width * f for f in fractions])
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), PANEL),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.5, RULE),
            ]
        )
    )
    return whole_if_possible(table)


def page_decorator(sheet: AftercareSheet, margin: float) -> tuple:
    """(first page, later pages) callbacks drawing the footer and the running header."""
    register_fonts()
    clinic = sheet.clinic
    footer = " · ".join(
        part.strip() for part in (clinic.name, clinic.phone, clinic.email) if part.strip()
    )
    footer = " ".join(footer.split())
    name = " ".join(sheet.patient_name.split())
    date = sheet_date(sheet.text, local(sheet.started_at).date())
    header = f"{' '.join(sheet.text('running_header').split())} · {name} · {date}"

    def draw_footer(canvas: Canvas, doc: object) -> None:
        width, _ = canvas._pagesize
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(margin, FOOTER_BASELINE + 9, width - margin, FOOTER_BASELINE + 9)
        canvas.setFillColor(MUTED)
        draw_string(canvas, margin, FOOTER_BASELINE, footer[:120], 7.8)
        canvas.restoreState()

    def later(canvas: Canvas, doc: object) -> None:
        width, height = canvas._pagesize
        draw_footer(canvas, doc)
        canvas.saveState()
        canvas.setFillColor(PRIMARY)
        draw_string(canvas, margin, height - 8.5 * mm, header[:140], 8, bold=True)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(margin, height - 10.2 * mm, width - margin, height - 10.2 * mm)
        canvas.restoreState()

    return draw_footer, later
