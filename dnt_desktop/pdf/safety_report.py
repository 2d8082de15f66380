"""The Safety report as a PDF: the rates table, a chart of the clinic's rates with their
intervals against the published rates (reportlab.graphics), and the breakdowns."""

from __future__ import annotations

import io
from datetime import datetime

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from dnt_desktop.services.safety import published
from dnt_desktop.services.safety.export import compared_text
from dnt_desktop.services.safety.report import SafetyReport
from dnt_desktop.services.safety.stats import describe

from .fonts import register_fonts
from .markup import escape
from .styles import DANGER, INK, MUTED, PRIMARY, RULE, TABLE_HEAD, styles

STUDY_COLOURS = (HexColor("#C77700"), HexColor("#2E7D32"))
"""Brady 2014, Boyce 2020 in the chart."""


def chart_rows(report: SafetyReport) -> list:
    """The categories the chart shows: those with events or a published rate."""
    return [
        r
        for r in (*report.categories, *report.totals)
        if r.rate.percent is not None and (r.rate.events or r.published)
    ]


def rates_chart(report: SafetyReport, width: float) -> Drawing:
    """Each category on its own line: the clinic's rate with its 95% interval, and the
    published rates as markers (a reportlab LinePlot: its own axes and scale)."""
    font, _bold = register_fonts()
    rows = list(reversed(chart_rows(report)))
    height = 52 + 14 * max(len(rows), 1) + 10
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 150, 52
    plot.width, plot.height = width - 170, 14 * max(len(rows), 1)
    data = []
    colours = []
    widths = []
    for index, row in enumerate(rows):
        y = index + 0.5
        data.append([(row.rate.low or 0.0, y), (row.rate.high or 0.0, y)])
        colours.append(PRIMARY)
        widths.append(1.4)
    clinic = [(r.rate.percent or 0.0, i + 0.5) for i, r in enumerate(rows)]
    series_markers = [("Clinic", clinic, PRIMARY, "FilledCircle")]
    for study, colour, marker in zip(
        published.studies(), STUDY_COLOURS, ("FilledDiamond", "FilledSquare"), strict=False
    ):
        points = [
            (r.published[study.code].percent, i + 0.5)
            for i, r in enumerate(rows)
            if study.code in r.published
        ]
        series_markers.append((study.short, points, colour, marker))
    first_marker = len(data)
    for _name, points, colour, _marker in series_markers:
        data.append(points or [(0.0, -1.0)])
        colours.append(colour)
        widths.append(0)
    plot.data = data
    for i, colour in enumerate(colours):
        plot.lines[i].strokeColor = colour
        plot.lines[i].strokeWidth = widths[i]
    for offset, (_name, _points, colour, marker) in enumerate(series_markers):
        line = plot.lines[first_marker + offset]
        line.strokeColor = None
        symbol = makeMarker(marker)
        symbol.fillColor = colour
        symbol.strokeColor = colour
        symbol.size = 5
        line.symbol = symbol
    top = max(
        [r.rate.high or 0.0 for r in rows]
        + [p.percent for r in rows for p in r.published.values()]
        + [1.0]
    )
    plot.xValueAxis.valueMin = 0
    plot.xValueAxis.valueMax = top * 1.05
    plot.xValueAxis.labels.fontName = font
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labelTextFormat = "%g%%"
    plot.yValueAxis.valueMin = 0
    plot.yValueAxis.valueMax = max(len(rows), 1)
    plot.yValueAxis.valueSteps = [i + 0.5 for i in range(len(rows))]
    plot.yValueAxis.labels.fontName = font
    plot.yValueAxis.labels.fontSize = 7
    names = [r.label for r in rows]
    plot.yValueAxis.labelTextFormat = lambda v: names[int(v)] if 0 <= int(v) < len(names) else ""
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.xValueAxis.visibleGrid = True
    plot.xValueAxis.gridStrokeColor = RULE
    drawing.add(plot)
    legend = Legend()
    legend.x, legend.y = 150, 14
    legend.fontName = font
    legend.fontSize = 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.dx = legend.dy = 6
    legend.deltax = 90
    legend.colorNamePairs = [
        (PRIMARY, "Clinic (line: 95% interval)"),
        *((c, s.short) for c, s in zip(STUDY_COLOURS, published.studies(), strict=False)),
    ]
    drawing.add(legend)
    drawing.add(
        String(
            150 + plot.width / 2,
            30,
            "Rate per 100 treatments (%)",
            fontName=font,
            fontSize=7,
            fillColor=MUTED,
            textAnchor="middle",
        )
    )
    return drawing


def _rates_table(report: SafetyReport, width: float) -> Table:
    s = styles()
    studies = published.studies()
    head = ["Category", "Events", "Rate (95% interval)", *(x.short for x in studies), "Compared"]
    rows = [[Paragraph(escape(h), s.cell_head) for h in head]]
    marks = []
    for index, row in enumerate((*report.categories, *report.totals), start=1):
        compared = compared_text(row, report.too_few)
        rows.append(
            [
                Paragraph(escape(row.label), s.cell),
                Paragraph(str(row.rate.events), s.cell_number),
                Paragraph(escape(describe(row.rate)), s.cell),
                *(
                    Paragraph(
                        escape(row.published[x.code].text if x.code in row.published else "–"),
                        s.cell,
                    )
                    for x in studies
                ),
                Paragraph(escape(compared), s.cell),
            ]
        )
        if row.above:
            marks.append(("TEXTCOLOR", (0, index), (-1, index), DANGER))
            marks.append(("BACKGROUND", (-1, index), (-1, index), HexColor("#FDEDEB")))
    columns = [0.26, 0.09, 0.27, 0.1, 0.1, 0.18]
    table = Table(rows, colWidths=[width * c for c in columns], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                (
                    "LINEABOVE",
                    (0, len(report.categories) + 1),
                    (-1, len(report.categories) + 1),
                    1,
                    INK,
                ),
                *marks,
            ]
        )
    )
    return table


def _breakdown_table(report: SafetyReport, width: float) -> list:
    s = styles()
    story: list = []
    for breakdown in report.breakdowns:
        if not breakdown.rows:
            continue
        rows = [
            [
                Paragraph(escape(h), s.cell_head)
                for h in (breakdown.title, "Treatments", "With any event", "Rate (95% interval)")
            ]
        ]
        for group in breakdown.rows[:25]:
            rows.append(
                [
                    Paragraph(escape(group.name), s.cell),
                    Paragraph(str(group.rate.treatments), s.cell_number),
                    Paragraph(str(group.rate.events), s.cell_number),
                    Paragraph(escape(describe(group.rate)), s.cell),
                ]
            )
        table = Table(rows, colWidths=[width * c for c in (0.4, 0.15, 0.15, 0.3)], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), TABLE_HEAD),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story += [table, Spacer(1, 6)]
        if len(breakdown.rows) > 25:
            story.append(Paragraph(f"… and {len(breakdown.rows) - 25} more (see the app).", s.note))
    return story


def render_safety_report(report: SafetyReport, clinic_name: str = "") -> bytes:
    """The report as PDF bytes (A4)."""
    s = styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=16 * mm,
        rightMargin=16 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title="Safety report",
        author=clinic_name or "dnt-desktop",
    )
    width = doc.width
    story: list = [
        Paragraph(escape(f"Safety report{f' — {clinic_name}' if clinic_name else ''}"), s.title),
        Paragraph(
            escape(
                f"{report.scope}; treatments started {report.period}: {report.treatments:,} "
                f"signed sessions ({report.late_events} event(s) reported after signing are "
                f"counted). Printed {datetime.now().strftime('%Y-%m-%d %H:%M')}."
            ),
            s.body,
        ),
    ]
    if report.too_few:
        story.append(
            Paragraph(
                escape(
                    f"Only {report.treatments} treatment(s) in this period: too few to compare "
                    "with the published rates (at least 100 are needed)."
                ),
                s.warning,
            )
        )
    story += [
        Spacer(1, 4),
        _rates_table(report, width),
        Spacer(1, 4),
        Paragraph(
            escape(
                "Rate: treatments with at least one event of the category per 100 treatments, "
                "with its Wilson 95% interval; with no event, the upper bound by the rule of "
                "three (3/n). A category is marked above a published rate only when the lower "
                "end of its interval is above it."
            ),
            s.note,
        ),
        Spacer(1, 8),
        KeepTogether(
            [Paragraph("Rates against the published rates", s.heading), rates_chart(report, width)]
        ),
        Spacer(1, 8),
        CondPageBreak(60 * mm),
        Paragraph("Any adverse event, by group", s.heading),
        *_breakdown_table(report, width),
        Spacer(1, 6),
        *(Paragraph(escape(x.citation), s.note) for x in published.studies()),
    ]
    doc.build(story)
    return out.getvalue()
