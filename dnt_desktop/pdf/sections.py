"""The sections of the aftercare sheet, each a heading followed by its flowables."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from dnt_desktop.models.enums import DepthClass, ThermalAdvice
from dnt_desktop.services.aftercare import (
    AftercareSheet,
    SheetPoint,
    placeholder_values,
    side_effect_key,
)
from dnt_desktop.services.aftercare.wording import local_names, named

from .body_chart import ChartWords, chart_drawing
from .columns import section_height, whole_if_possible
from .markup import Block, escape, inline, template_blocks
from .styles import DANGER, DANGER_PANEL, MUTED_HEX, RULE, TABLE_HEAD, Styles, styles
from .text import Paragraph

CHART_HEIGHT = 47 * mm
SIDE_BY_SIDE_MAX_POINTS = 14
"""Up to this many points the table stands beside the chart; more flow below it."""
SIDE_BY_SIDE_MAX_HEIGHT = 110 * mm
"""A table (with conditions) taller than this flows below the chart too."""

_SIDES = {"left": "side_left", "right": "side_right", "midline": "side_midline"}
_DEPTHS = {DepthClass.DEEP: "depth_deep", DepthClass.SUPERFICIAL: "depth_superficial"}
_THERMAL = {
    ThermalAdvice.HEAT: "thermal_heat",
    ThermalAdvice.ICE: "thermal_ice",
    ThermalAdvice.GENERAL: "thermal_general",
}

Section = list[Flowable]


class Writer:
    """Turns one sheet's data and texts into flowables."""

    def __init__(self, sheet: AftercareSheet, width: float) -> None:
        self.sheet = sheet
        self.width = width
        self.style: Styles = styles()
        self.values = placeholder_values(sheet)
        self.names = {
            kind: local_names(sheet.text, kind)
            for kind in ("muscle", "condition", "side_effect", "adjunct")
        }

    def words(self, key: str) -> str:
        """A fixed word of the sheet's language, as markup ("What to expect")."""
        return escape(" ".join(self.sheet.text(key).split()))

    def name(self, kind: str, english: str) -> str:
        """A catalogue name in the sheet's language (as typed when the set has none)."""
        return named(self.names[kind], english)

    # --- building blocks -------------------------------------------------------------

    def paragraph(self, block: Block, style: str = "body") -> Paragraph:
        """A template block as a paragraph (bullets get the bullet style)."""
        if block.kind == "bullet":
            return Paragraph(block.markup, self.style.bullet, bulletText="•")
        return Paragraph(block.markup, getattr(self.style, style))

    def blocks(self, key: str, style: str = "body", space_before: float = 0) -> Section:
        """Every paragraph of the template *key*, filled in for this sheet."""
        flowables: Section = [Spacer(1, space_before)] if space_before else []
        flowables += [
            self.paragraph(b, style) for b in template_blocks(self.sheet.text(key), self.values)
        ]
        return flowables

    def blocks_with_list(self, key: str, items: Sequence[str]) -> Section:
        """The template *key* with *items* (user text) run on after its last paragraph."""
        listed = "; ".join(inline(item) for item in items if item.strip())
        blocks = template_blocks(self.sheet.text(key), self.values)
        if blocks and blocks[-1].kind == "paragraph":
            blocks[-1] = Block("paragraph", f"{blocks[-1].markup} {listed}")
        else:
            blocks.append(Block("paragraph", listed))
        return [self.paragraph(b) for b in blocks]

    def heading(self, key: str) -> Paragraph:
        """A section heading (a fixed word of the sheet's language)."""
        return Paragraph(self.words(key), self.style.heading)

    def user_bullets(self, lines: list[str]) -> Section:
        """Lines the practitioner typed, one bullet each, printed exactly as typed."""
        return [
            Paragraph(inline(line), self.style.bullet, bulletText="•")
            for line in lines
            if line.strip()
        ]

    # --- sections ----------------------------------------------------------------------

    def treated(self, urgent: Section = ()) -> Section:
        """Conditions, the body chart with numbered points and the table of points.

        Up to SIDE_BY_SIDE_MAX_POINTS points the table (with the conditions above it and
        the chart note below) stands beside the chart; longer lists flow below it in two
        halves. *urgent* flowables come right after the chart, so they stay on page one.
        """
        sheet, s = self.sheet, self.style
        section: Section = [self.heading("heading_treated")]
        conditions: Section = []
        if sheet.conditions:
            names = ", ".join(inline(self.name("condition", c)) for c in sheet.conditions)
            conditions.append(Paragraph(f"<b>{self.words('treated_for')}</b> {names}", s.body))
        if not sheet.points:
            no_points = Paragraph(self.words("no_points"), s.body)
            return [*section, *conditions, no_points, *urgent]
        charts = self._charts()
        if len(sheet.points) <= SIDE_BY_SIDE_MAX_POINTS:
            note = self.blocks("treated", style="note", space_before=4)
            beside = [*conditions, self._points_table(0.6, halves=1), *note]
            if section_height(beside, self.width * 0.6) <= SIDE_BY_SIDE_MAX_HEIGHT:
                return [*section, self._side_by_side(charts, beside), *urgent]
        return [
            *section,
            *conditions,
            *self.blocks("treated"),
            charts,
            *urgent,
            Spacer(1, 3 * mm),
            self._points_table(1.0, halves=2),
        ]

    def _charts(self) -> Table:
        points = self.sheet.points
        views = [v for v in ("front", "back") if any(p.charted.view == v for p in points)]
        text = self.sheet.text
        words = ChartWords(
            *(text(k) for k in ("chart_front", "chart_back", "chart_left", "chart_right"))
        )
        drawings = [
            chart_drawing(v, [p for p in points if p.charted.view == v], CHART_HEIGHT, words)
            for v in views
        ]
        gap = 7 * mm
        table = Table([drawings], colWidths=[d.width + gap for d in drawings], hAlign="LEFT")
        table.setStyle(_plain(padding=gap / 2))
        return table

    def _points_table(self, fraction: float, halves: int) -> Table:
        """Number, muscle, side and depth of each point; ``halves=2`` puts two points a row."""
        s = self.style
        columns = ("column_number", "column_muscle", "column_side", "column_needling")
        head = [Paragraph(self.words(h), s.cell_head) for h in columns]
        cells = [self._point_row(point) for point in self.sheet.points]
        gap = 6 * mm if halves == 2 else 0
        rows: list[list[Paragraph | str]] = [head * halves]
        for start in range(0, len(cells), halves):
            row: list[Paragraph | str] = [
                c for point in cells[start : start + halves] for c in point
            ]
            rows.append(row + [""] * (4 * halves - len(row)))
        width = (self.width * fraction - gap) / halves
        widths = [width * f for f in (0.1, 0.5, 0.18, 0.22)]
        if halves == 2:
            widths = [*widths[:3], widths[3] + gap / 2, widths[0] + gap / 2, *widths[1:]]
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ]
        )
        if halves == 2:
            style.add("LINEBEFORE", (4, 0), (4, -1), 0.8, RULE)
        table.setStyle(style)
        return table

    def _side_by_side(self, charts: Table, beside: Section) -> Table:
        chart_width = sum(w for w in charts._colWidths if w)
        layout = Table(
            [[charts, beside]],
            colWidths=[chart_width + 5 * mm, self.width - chart_width - 5 * mm],
            hAlign="LEFT",
        )
        layout.setStyle(_plain(padding=0))
        return layout

    def what_to_expect(self) -> Section:
        """Soreness (deep or superficial wording), bruising and tiredness."""
        section: Section = [self.heading("heading_expect")]
        if self.sheet.points:
            section += self.blocks("expect_deep" if self.sheet.any_deep else "expect_superficial")
        return section + self.blocks("expect_common")

    def self_care(self) -> Section:
        """Water, alcohol and caffeine, heat or ice, stretches and other treatment."""
        sheet = self.sheet
        section: Section = [self.heading("heading_self_care"), *self.blocks("self_care")]
        section += self.blocks(_THERMAL.get(sheet.thermal_advice, "thermal_general"))
        stretches = sheet.stretches.splitlines()
        if any(line.strip() for line in stretches):
            section += self.blocks("stretches", space_before=2)
            section += self.user_bullets(stretches)
        if sheet.adjuncts:
            adjuncts = [self.name("adjunct", a) for a in sheet.adjuncts]
            section += self.blocks_with_list("adjuncts", adjuncts)
        return section

    def side_effects(self) -> Section:
        """Each side effect recorded today with its advice; nothing when none were."""
        if not self.sheet.side_effects:
            return []
        section: Section = [self.heading("heading_side_effects")]
        seen: set[tuple[str, str]] = set()
        for effect in self.sheet.side_effects:
            if (effect.code, effect.label) in seen:
                continue
            seen.add((effect.code, effect.label))
            body = self.sheet.text(side_effect_key(effect.code))
            blocks = template_blocks(body, self.values)
            label = f"<b>{inline(self.name('side_effect', effect.label))}:</b>"
            first = blocks[0].markup if blocks else ""
            section.append(Paragraph(f"{label} {first}", self.style.bullet, bulletText="•"))
            section += [Paragraph(b.markup, self.style.indented) for b in blocks[1:]]
        return section

    def seek_help(self) -> Section:
        """When to call the clinic or a doctor (infection, lasting soreness, numbness)."""
        return [self.heading("heading_seek_help"), *self.blocks("seek_help")]

    def lung_box(self) -> Flowable:
        """The red box: breathing problems after needling near the lung need emergency care."""
        s = self.style
        blocks = template_blocks(self.sheet.text("lung_warning"), self.values)
        content: list[Flowable] = []
        for index, block in enumerate(blocks):
            if index == 0:
                content.append(Paragraph(f"⚠ {block.markup}", s.warning_title))
                if self.sheet.lung_limit_muscles:  # issue 16: beyond the patient's limit
                    names = ", ".join(self.name("muscle", m) for m in self.sheet.lung_limit_muscles)
                    note = self.sheet.text("lung_limit_note").replace("{muscles}", names)
                    content.append(Paragraph(f"<b>{escape(note)}</b>", s.warning))
            elif block.kind == "bullet":
                content.append(Paragraph(block.markup, s.warning, bulletText="•"))
            else:
                content.append(Paragraph(block.markup, s.warning))
        box = Table([[content]], colWidths=[self.width])
        box.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 1.8, DANGER),
                    ("BACKGROUND", (0, 0), (-1, -1), DANGER_PANEL),
                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 9),
                    ("TOPPADDING", (0, 0), (-1, -1), 5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return whole_if_possible(box)

    def next_appointment(self) -> Section:
        """The next appointment, when one is entered."""
        if self.sheet.next_appointment is None:
            return []
        return [
            self.heading("heading_next_appointment"),
            *self.blocks("next_appointment"),
        ]

    def _point_row(self, point: SheetPoint) -> list[Paragraph]:
        s = self.style
        muscle = inline(point.muscle)
        local = self.name("muscle", point.muscle)
        if local != point.muscle:  # the Latin name beside it, for the practitioner
            muscle = f'{inline(local)} <font size="7" color="{MUTED_HEX}">({muscle})</font>'
        point_side, point_depth = point.charted.side, point.charted.depth_class
        side, depth = _SIDES.get(point_side), _DEPTHS.get(point_depth)
        return [
            Paragraph(str(point.number), s.cell_number),
            Paragraph(muscle, s.cell),
            Paragraph(self.words(side) if side else inline(point_side), s.cell),
            Paragraph(self.words(depth) if depth else inline(str(point_depth)), s.cell),
        ]


def _plain(padding: float) -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]
    )
