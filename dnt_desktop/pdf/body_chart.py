"""The body chart as vector graphics: the GUI's outline data with numbered point markers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, String
from reportlab.platypus import Flowable

from dnt_desktop.services import body_map
from dnt_desktop.services.aftercare import SheetPoint

from .fonts import register_fonts
from .styles import FIGURE_DETAIL, FIGURE_FILL, FIGURE_LINE, MARKER, MUTED, WHITE
from .text import draw_string

MARKER_RADIUS = 4.6
CAPTION_HEIGHT = 13.0
SIDE_GAP = 4.0
"""Room left and right of the figure."""


def _flat(points: Sequence[tuple[float, float]], width: float, height: float) -> list[float]:
    coords: list[float] = []
    for x, y in points:
        coords += [x * width, height - y * height]
    return coords


@cache
def _figure(view: str, height: float) -> tuple[float, Group]:
    """The silhouette and landmark lines of *view* at *height* points: (width, group).

    Cached: the same shapes are shared by every drawing (they are never mutated).
    """
    figure = body_map.figure(view)
    width = height * figure.aspect
    group = Group()
    for outline in figure.outline:
        group.add(
            Polygon(
                _flat(outline, width, height),
                fillColor=FIGURE_FILL,
                strokeColor=FIGURE_LINE,
                strokeWidth=0.7,
                strokeLineJoin=1,
            )
        )
    for detail in figure.details:
        group.add(
            PolyLine(
                _flat(detail, width, height),
                strokeColor=FIGURE_DETAIL,
                strokeWidth=0.45,
                strokeLineCap=1,
                strokeLineJoin=1,
            )
        )
    return width, group


def _spread(
    centres: list[tuple[float, float]], distance: float, rounds: int = 40
) -> list[tuple[float, float]]:
    """Move overlapping markers apart a little so every number stays readable."""
    moved = [list(c) for c in centres]
    for _ in range(rounds):
        settled = True
        for i in range(len(moved)):
            for j in range(i + 1, len(moved)):
                dx = moved[j][0] - moved[i][0]
                dy = moved[j][1] - moved[i][1]
                gap = math.hypot(dx, dy)
                if gap >= distance:
                    continue
                settled = False
                if gap < 1e-6:
                    angle = (i * 2.399 + j) % (2 * math.pi)
                    dx, dy, gap = math.cos(angle), math.sin(angle), 1.0
                push = (distance - gap) / 2 / gap
                moved[i][0] -= dx * push
                moved[i][1] -= dy * push
                moved[j][0] += dx * push
                moved[j][1] += dy * push
        if settled:
            break
    return [(x, y) for x, y in moved]


@dataclass(frozen=True)
class ChartWords:
    """The chart's captions in the sheet's language: the views and the sides' initials."""

    front: str = "Front"
    back: str = "Back"
    left: str = "L"
    right: str = "R"

    def caption(self, view: str) -> str:
        return {"front": self.front, "back": self.back}.get(view, view)

    def viewer_left(self, view: str) -> str:
        """The side of the patient on the viewer's left (see body_map's side convention)."""
        return self.right if view == "front" else self.left

    def viewer_right(self, view: str) -> str:
        return self.left if view == "front" else self.right


class CaptionedChart(Flowable):
    """A chart drawing with its captions drawn as shaped text (any script) below it."""

    def __init__(self, drawing: Drawing, captions: list[tuple[float, float, str, str]]) -> None:
        super().__init__()
        self.drawing = drawing
        self.captions = captions
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        self.drawing.drawOn(self.canv, 0, 0)
        self.canv.saveState()
        self.canv.setFillColor(MUTED)
        for x, y, text, anchor in self.captions:
            draw_string(self.canv, x, y, text, 8, bold=True, anchor=anchor)
        self.canv.restoreState()


def chart_drawing(
    view: str, points: Sequence[SheetPoint], height: float, words: ChartWords = ChartWords()
) -> CaptionedChart:
    """One view of the body, *height* points tall, with *points* as numbered markers."""
    _, bold = register_fonts()
    width, figure = _figure(view, round(height, 2))
    drawing = Drawing(width + 2 * SIDE_GAP, height + CAPTION_HEIGHT)
    body = Group(figure, transform=(1, 0, 0, 1, SIDE_GAP, CAPTION_HEIGHT))
    drawing.add(body)
    caption_y = 2.0
    captions = [
        (SIDE_GAP + width / 2, caption_y, words.caption(view), "middle"),
        (SIDE_GAP, caption_y, words.viewer_left(view), "start"),
        (SIDE_GAP + width, caption_y, words.viewer_right(view), "end"),
    ]
    true_centres = [
        (SIDE_GAP + p.charted.x * width, CAPTION_HEIGHT + height - p.charted.y * height)
        for p in points
    ]
    centres = _spread(true_centres, 2 * MARKER_RADIUS * 0.92)
    for (tx, ty), (cx, cy) in zip(true_centres, centres, strict=True):
        if math.hypot(cx - tx, cy - ty) > MARKER_RADIUS * 0.6:
            drawing.add(Line(tx, ty, cx, cy, strokeColor=MARKER, strokeWidth=0.5))
            drawing.add(Circle(tx, ty, 0.9, fillColor=MARKER, strokeColor=None))
    for point, (cx, cy) in zip(points, centres, strict=True):
        label = str(point.number)
        size = 5.6 if len(label) < 2 else 4.8
        drawing.add(
            Circle(cx, cy, MARKER_RADIUS, fillColor=MARKER, strokeColor=WHITE, strokeWidth=0.6)
        )
        drawing.add(
            String(
                cx,
                cy - size * 0.36,
                label,
                fontName=bold,
                fontSize=size,
                fillColor=WHITE,
                textAnchor="middle",
            )
        )
    return CaptionedChart(drawing, captions)
