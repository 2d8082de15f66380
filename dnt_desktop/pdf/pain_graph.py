"""The pain graph of a letter: pain before and after each session, drawn by
reportlab.graphics (its own axes, ticks and legend)."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.charts.legends import LineLegend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib.colors import HexColor

from dnt_desktop.services.dates import local
from dnt_desktop.services.progress.pain_trend import PainTrend

from .fonts import register_fonts
from .styles import INK, MUTED, PRIMARY, RULE

BEFORE = PRIMARY
AFTER = HexColor("#C0662B")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_label(ordinal: float) -> str:
    day = date.fromordinal(round(ordinal))
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _month_label(ordinal: float) -> str:
    day = date.fromordinal(round(ordinal))
    return f"{_MONTHS[day.month - 1]} {day.year}"


def pain_drawing(trend: PainTrend, width: float, height: float) -> Drawing | None:
    """Pain (0-10) against the sessions' dates; None when no session has a pain score."""
    scored = trend.with_pain
    if not scored:
        return None
    regular, _bold = register_fonts()
    days = [local(p.started_at).date().toordinal() for p in scored]
    before = [
        (d, p.pain_before) for d, p in zip(days, scored, strict=True) if p.pain_before is not None
    ]
    after = [
        (d, p.pain_after) for d, p in zip(days, scored, strict=True) if p.pain_after is not None
    ]
    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 30, 34
    plot.width, plot.height = width - 40, height - 50
    series = [s for s in (before, after) if s]
    plot.data = series
    low, high = min(days), max(days)
    if low == high:
        low, high = low - 1, high + 1
    plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = low, high
    span = high - low
    step = max(1, -(-span // 6))
    plot.xValueAxis.valueSteps = list(range(low, high + 1, step))
    plot.xValueAxis.labelTextFormat = _day_label if span <= 180 else _month_label
    plot.xValueAxis.labels.fontName = regular
    plot.xValueAxis.labels.fontSize = 7
    plot.xValueAxis.labels.fillColor = MUTED
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax, plot.yValueAxis.valueStep = 0, 10, 2
    plot.yValueAxis.labels.fontName = regular
    plot.yValueAxis.labels.fontSize = 7
    plot.yValueAxis.labels.fillColor = MUTED
    plot.yValueAxis.visibleGrid = True
    plot.yValueAxis.gridStrokeColor = RULE
    plot.yValueAxis.gridStrokeWidth = 0.4
    colours = [BEFORE, AFTER] if before and after else [BEFORE if before else AFTER]
    for index, colour in enumerate(colours):
        plot.lines[index].strokeColor = colour
        plot.lines[index].strokeWidth = 1.4
        plot.lines[index].symbol = makeMarker("FilledCircle" if index == 0 else "FilledSquare")
        plot.lines[index].symbol.fillColor = colour
        plot.lines[index].symbol.strokeColor = colour
        plot.lines[index].symbol.size = 4
    if len(colours) == 2:
        plot.lines[1].strokeDashArray = (3, 2)
    drawing.add(plot)
    legend = LineLegend()
    legend.x, legend.y = 30, 8
    legend.fontName, legend.fontSize = regular, 7.5
    legend.dx, legend.dy, legend.dxTextSpace = 14, 0, 4
    legend.columnMaximum = 1
    legend.deltax = 120
    legend.alignment = "right"
    names = []
    if before:
        names.append((BEFORE, "Pain before the session"))
    if after:
        names.append((AFTER, "Pain after the session"))
    legend.colorNamePairs = names
    drawing.add(legend)
    drawing.add(String(2, height - 10, "Pain 0-10", fontName=regular, fontSize=7, fillColor=INK))
    return drawing
