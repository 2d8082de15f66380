"""The named paragraph styles and colours of the clinic's documents."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from .fonts import register_fonts

INK = HexColor("#1F2328")
MUTED_HEX = "#5B6670"
MUTED = HexColor(MUTED_HEX)
PRIMARY = HexColor("#17506E")
RULE = HexColor("#C5D0DA")
PANEL = HexColor("#F1F5F8")
TABLE_HEAD = HexColor("#E3EBF1")
DANGER = HexColor("#B3261E")
DANGER_INK = HexColor("#6E1410")
DANGER_PANEL = HexColor("#FDEDEB")
FIGURE_FILL = HexColor("#EEF2F5")
FIGURE_LINE = HexColor("#7D8A96")
FIGURE_DETAIL = HexColor("#A9B4BE")
MARKER = HexColor("#17506E")
WHITE: Color = HexColor("#FFFFFF")

BODY_SIZE = 8.5
LEADING = 11.2


@dataclass(frozen=True)
class Styles:
    """Every paragraph style a sheet uses."""

    body: ParagraphStyle
    bullet: ParagraphStyle
    indented: ParagraphStyle
    note: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    clinic_name: ParagraphStyle
    letterhead: ParagraphStyle
    letterhead_right: ParagraphStyle
    label: ParagraphStyle
    value: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    cell_number: ParagraphStyle
    warning_title: ParagraphStyle
    warning: ParagraphStyle
    closing: ParagraphStyle


@cache
def styles() -> Styles:
    """The styles, built once (after the fonts are registered)."""
    regular, bold = register_fonts()
    body = ParagraphStyle(
        "body",
        fontName=regular,
        fontSize=BODY_SIZE,
        leading=LEADING,
        textColor=INK,
        spaceAfter=3,
    )
    small = ParagraphStyle("small", body, fontSize=7.8, leading=10, spaceAfter=0, textColor=MUTED)
    cell = ParagraphStyle("cell", body, fontSize=8.2, leading=10, spaceAfter=0)
    warning = ParagraphStyle("warning", body, textColor=DANGER_INK, spaceAfter=3)
    return Styles(
        body=body,
        bullet=ParagraphStyle(
            "bullet", body, leftIndent=11, bulletIndent=2, bulletFontName=regular, spaceAfter=1.5
        ),
        indented=ParagraphStyle("indented", body, leftIndent=12, spaceAfter=2),
        note=ParagraphStyle("note", small, fontSize=7.6, leading=9.6),
        heading=ParagraphStyle(
            "heading",
            body,
            fontName=bold,
            fontSize=11,
            leading=13.5,
            textColor=PRIMARY,
            spaceBefore=6,
            spaceAfter=2,
        ),
        title=ParagraphStyle(
            "title", body, fontName=bold, fontSize=14, leading=16, textColor=INK, spaceAfter=5
        ),
        clinic_name=ParagraphStyle(
            "clinic_name", body, fontName=bold, fontSize=14, leading=17, textColor=PRIMARY
        ),
        letterhead=small,
        letterhead_right=ParagraphStyle("letterhead_right", small, alignment=TA_RIGHT),
        label=ParagraphStyle("label", small, fontSize=7, leading=9),
        value=ParagraphStyle("value", body, fontName=bold, spaceAfter=0, leading=11.5),
        cell=cell,
        cell_head=ParagraphStyle("cell_head", cell, fontName=bold, textColor=PRIMARY),
        cell_number=ParagraphStyle(
            "cell_number", cell, fontName=bold, textColor=PRIMARY, alignment=TA_CENTER
        ),
        warning_title=ParagraphStyle(
            "warning_title",
            warning,
            fontName=bold,
            fontSize=10.5,
            leading=13,
            textColor=DANGER,
            spaceAfter=2.5,
        ),
        warning=warning,
        closing=ParagraphStyle("closing", body, textColor=MUTED, spaceBefore=4),
    )
