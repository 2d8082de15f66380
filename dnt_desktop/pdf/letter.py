"""A letter to the referrer on the clinic's letterhead, with the pain graph, as PDF bytes.

The body goes through :func:`.markup.template_blocks` as the aftercare sheet's texts do:
what a user typed (names, placeholder values, an edited letter) prints exactly as typed;
only ``**bold**``, bullets and paragraphs are read from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from dnt_desktop.models.enums import PageSize
from dnt_desktop.services.dates import long_date
from dnt_desktop.services.progress.letters import LetterDocument

from .canvas import numbered_canvas
from .fonts import register_fonts
from .letterhead import FOOTER_BASELINE, _logo
from .markup import clean, escape, inline, template_blocks
from .pain_graph import pain_drawing
from .styles import MUTED, PRIMARY, RULE, styles
from .text import Paragraph, draw_string

MARGIN = 20 * mm
TOP_MARGIN = 14 * mm
BOTTOM_MARGIN = 18 * mm
PAGE_SIZES = {PageSize.A4: A4, PageSize.LETTER: LETTER}
GRAPH_HEIGHT = 62 * mm


def _letterhead(document: LetterDocument, width: float) -> list[Flowable]:
    s = styles()
    clinic = document.clinic
    left: list[Flowable] = [Paragraph(inline(clinic.name), s.clinic_name)]
    if clinic.address.strip():
        left.append(Paragraph(escape(clinic.address.strip()), s.letterhead))
    contacts = [
        f"Tel. {inline(clinic.phone)}" if clinic.phone.strip() else "",
        inline(clinic.email),
        inline(clinic.website),
    ]
    right = Paragraph("<br/>".join(c for c in contacts if c), s.letterhead_right)
    logo = _logo(clinic.logo)
    cells: list[object] = [left, right]
    widths = [width - 60 * mm, 60 * mm]
    if logo is not None:
        cells = [logo, left, right]
        widths = [logo.drawWidth + 5 * mm, width - 65 * mm - logo.drawWidth, 60 * mm]
    table = Table([cells], colWidths=widths)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                *(
                    (side, (0, 0), (-1, -1), 0)
                    for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                ),
            ]
        )
    )
    rule = HRFlowable(width="100%", thickness=1.4, color=PRIMARY, spaceBefore=5, spaceAfter=10)
    return [table, rule]


@dataclass(frozen=True)
class _Styles:
    body: ParagraphStyle
    body_right: ParagraphStyle
    bullet: ParagraphStyle
    note: ParagraphStyle
    heading: ParagraphStyle


def _styles() -> _Styles:
    s = styles()
    right = ParagraphStyle("body_right", s.body, alignment=TA_RIGHT)
    return _Styles(s.body, right, s.bullet, s.note, s.heading)


def _story(document: LetterDocument, width: float) -> list[Flowable]:
    s = _styles()
    story = _letterhead(document, width)
    recipient = "<br/>".join(inline(line) for line in document.recipient) or "&nbsp;"
    story.append(
        Table(
            [
                [
                    Paragraph(recipient, s.body),
                    Paragraph(long_date(document.letter_date), s.body_right),
                ]
            ],
            colWidths=[width * 0.65, width * 0.35],
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                    *(
                        (side, (0, 0), (-1, -1), 0)
                        for side in ("LEFTPADDING", "RIGHTPADDING", "TOPPADDING", "BOTTOMPADDING")
                    ),
                ]
            ),
        )
    )
    story.append(Spacer(1, 7 * mm))
    story.append(Paragraph(f"<b>{inline(document.subject)}</b>", s.body))
    story.append(Spacer(1, 3 * mm))
    for block in template_blocks(document.body, document.values):
        if block.kind == "bullet":
            story.append(Paragraph(block.markup, s.bullet, bulletText="•"))
        else:
            story.append(Paragraph(block.markup, s.body))
    drawing = pain_drawing(document.trend, width, GRAPH_HEIGHT)
    if drawing is not None:
        caption = Paragraph(
            escape(
                f"Pain before and after each of {len(document.trend.points)} sessions "
                f"({document.patient_name}): {document.trend.describe()}."
            ),
            s.note,
        )
        story.append(Spacer(1, 4 * mm))
        story.append(
            KeepTogether([Paragraph("Pain over the course of care", s.heading), drawing, caption])
        )
    return story


def _frame(page: tuple[float, float]) -> Frame:
    width, height = page
    return Frame(
        MARGIN,
        BOTTOM_MARGIN,
        width - 2 * MARGIN,
        height - TOP_MARGIN - BOTTOM_MARGIN,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )


def render_letter(document: LetterDocument) -> bytes:
    """The letter as a PDF (letterhead, recipient, subject, text, pain graph)."""
    register_fonts()
    page = PAGE_SIZES.get(document.clinic.page_size, A4)
    buffer = BytesIO()
    footer = " · ".join(
        " ".join(part.split())
        for part in (document.clinic.name, document.clinic.phone, document.clinic.email)
        if part.strip()
    )

    def on_page(canvas, _doc) -> None:  # type: ignore[no-untyped-def]
        width, _height = canvas._pagesize
        canvas.saveState()
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, FOOTER_BASELINE + 9, width - MARGIN, FOOTER_BASELINE + 9)
        canvas.setFillColor(MUTED)
        draw_string(canvas, MARGIN, FOOTER_BASELINE, clean(footer)[:120], 7.8)
        canvas.restoreState()

    doc = BaseDocTemplate(
        buffer,
        pagesize=page,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=clean(document.subject),
        author=clean(document.practitioner_name or document.clinic.name) or "dnt-desktop",
        subject="Letter to the referrer",
        creator="dnt-desktop",
        pageTemplates=[PageTemplate("letter", [_frame(page)], onPage=on_page)],
    )
    doc.build(
        _story(document, page[0] - 2 * MARGIN),
        canvasmaker=numbered_canvas(page[0] - MARGIN, FOOTER_BASELINE),
    )
    return buffer.getvalue()
