"""Qt geometry of the body chart: painter paths of each view and where the views sit.

The shapes come from ``services.body_map`` in normalised coordinates; paths are built
once in that unit box and scaled to the widget with a transform when painted.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPolygonF, QTransform

from dnt_desktop.services import body_map

Polygon = tuple[tuple[float, float], ...]


def _polygon(points: Polygon) -> QPolygonF:
    return QPolygonF([QPointF(x, y) for x, y in points])


@dataclass(frozen=True)
class FigurePaths:
    """The painter paths of one view, in the normalised unit box."""

    aspect: float
    outline: QPainterPath
    details: QPainterPath
    lung_zones: QPainterPath
    regions: dict[str, QPainterPath]
    areas: dict[tuple[str, str], QPainterPath]
    """The muscle areas, by region code and muscle code."""


@cache
def figure_paths(view: str) -> FigurePaths:
    """Paths of *view* ("front" or "back"), built once."""
    figure = body_map.figure(view)
    outline = QPainterPath()
    outline.setFillRule(Qt.FillRule.WindingFill)
    for polygon in figure.outline:
        outline.addPolygon(_polygon(polygon))
        outline.closeSubpath()
    details = QPainterPath()
    for line in figure.details:
        details.moveTo(*line[0])
        for x, y in line[1:]:
            details.lineTo(x, y)
    lungs = QPainterPath()
    for polygon in figure.lung_zones:
        lungs.addPolygon(_polygon(polygon))
        lungs.closeSubpath()
    regions = {region.code: _closed_path(region.polygon) for region in figure.regions}
    areas = {
        (region.code, area.muscle): _closed_path(area.polygon)
        for region in figure.regions
        for area in region.areas
    }
    return FigurePaths(figure.aspect, outline, details, lungs, regions, areas)


def _closed_path(polygon: Polygon) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(_polygon(polygon))
    path.closeSubpath()
    return path


def unit_transform(box: QRectF) -> QTransform:
    """Maps the normalised unit box onto *box*."""
    return QTransform(box.width(), 0, 0, box.height(), box.left(), box.top())


def anchor_point(view: str, region_code: str) -> tuple[float, float]:
    """A point well inside a region, for adding a point to it from the keyboard: the centre
    of its first muscle's area; without one, its vertex centroid when inside, else the
    inner grid point nearest to it."""
    region = body_map.figure(view).region(region_code)
    for area in region.areas:
        if region.muscles and area.muscle == region.muscles[0]:
            return area.centre
    xs = [p[0] for p in region.polygon]
    ys = [p[1] for p in region.polygon]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    if region.contains(cx, cy):
        return cx, cy
    left, top, right, bottom = region.bbox
    best: tuple[float, float] | None = None
    best_distance = float("inf")
    steps = 24
    for i in range(1, steps):
        for j in range(1, steps):
            x = left + (right - left) * i / steps
            y = top + (bottom - top) * j / steps
            distance = (x - cx) ** 2 + (y - cy) ** 2
            if distance < best_distance and region.contains(x, y):
                best, best_distance = (x, y), distance
    return best if best is not None else region.polygon[0]
