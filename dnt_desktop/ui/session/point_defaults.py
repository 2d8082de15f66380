"""Where a new point starts and what happens to it when it moves (plain Python, no Qt).

Defaults for a new point (the practitioner changes them in the table):
- an ordinary muscle: deep, 20 mm, with a 30 mm x 0.25 mm needle, 1 insertion, static;
- a pneumothorax-risk muscle: deep but shallower, 15 mm, with the longest standard needle
  within the clinic's limit for those muscles (25 mm by default), so that a default
  never raises the long-needle alert.

Moving a point (drag or arrow keys):
- the muscle is kept when it is one of the muscles of the region it lands in (or when
  it lands outside every region); otherwise it becomes the new region's first muscle;
- the side is kept unless the point crosses to the other side of the body, when it
  becomes the side under the new position;
- needle and depth follow the new muscle only while they are still the defaults.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, Side, Technique
from dnt_desktop.services import body_map
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.rules import RuleSettings, depth_class_for

NEEDLE_GAUGES_MM: tuple[float, ...] = catalogue.needle_sizes().gauges_mm
"""The needle diameters that exist (``resources/catalogues/needles.json``), offered in the
table; a typed size that does not exist is shown as a problem."""
NEEDLE_LENGTHS_MM: tuple[float, ...] = catalogue.needle_sizes().lengths_mm
"""The needle lengths that exist (``needles.json``), offered in the table."""

DEFAULT_DEPTH_MM = 20.0
DEFAULT_NEEDLE_LENGTH_MM = 30.0
DEFAULT_GAUGE_MM = 0.25
LUNG_RISK_DEPTH_MM = 15.0


@dataclass(frozen=True)
class Dimensions:
    """Depth and needle of a point."""

    depth_mm: float
    depth_class: DepthClass
    needle_length_mm: float
    needle_gauge_mm: float = DEFAULT_GAUGE_MM


def is_lung_risk(muscle_code: str) -> bool:
    """Whether deep needling of the muscle risks a pneumothorax (False if unknown)."""
    try:
        return catalogue.muscle(muscle_code).lung_risk
    except KeyError:
        return False


def default_dimensions(muscle_code: str, settings: RuleSettings | None = None) -> Dimensions:
    """The starting depth and needle for a point on *muscle_code* (see module doc)."""
    settings = settings or RuleSettings()
    if not is_lung_risk(muscle_code):
        return Dimensions(DEFAULT_DEPTH_MM, DepthClass.DEEP, DEFAULT_NEEDLE_LENGTH_MM)
    fitting = [n for n in NEEDLE_LENGTHS_MM if n <= settings.lung_risk_needle_limit_mm]
    length = float(max(fitting) if fitting else min(NEEDLE_LENGTHS_MM))
    depth = min(LUNG_RISK_DEPTH_MM, length)
    return Dimensions(depth, depth_class_for(depth), length)


def suggested_muscle_codes(view: str, x: float, y: float) -> tuple[str, ...]:
    """Codes of the muscles of the region under the point (empty outside every region)."""
    return tuple(m.code for m in body_map.suggest_muscles(view, x, y))


def new_point_at(view: str, x: float, y: float, settings: RuleSettings | None = None) -> PointDraft:
    """A point clicked at (*x*, *y*) of *view*: first suggested muscle, side under it."""
    suggestions = suggested_muscle_codes(view, x, y)
    muscle = suggestions[0] if suggestions else ""
    dims = default_dimensions(muscle, settings)
    return PointDraft(
        muscle_code=muscle,
        side=Side(body_map.side_at(view, x, y)),
        view=ChartView(view),
        x=x,
        y=y,
        depth_class=dims.depth_class,
        depth_mm=dims.depth_mm,
        needle_gauge_mm=dims.needle_gauge_mm,
        needle_length_mm=dims.needle_length_mm,
        insertions=1,
        twitch_response=False,
        technique=Technique.STATIC,
    )


def with_dimensions(point: PointDraft, dims: Dimensions) -> PointDraft:
    """*point* with depth and needle replaced."""
    return replace(
        point,
        depth_mm=dims.depth_mm,
        depth_class=dims.depth_class,
        needle_length_mm=dims.needle_length_mm,
        needle_gauge_mm=dims.needle_gauge_mm,
    )


@dataclass(frozen=True)
class Moved:
    """A point after a move, and what changed besides its position."""

    point: PointDraft
    muscle_changed: bool
    side_changed: bool


def moved_point(point: PointDraft, x: float, y: float) -> Moved:
    """*point* moved to (*x*, *y*) on its view, muscle and side adjusted (see module doc)."""
    view = point.view.value
    suggestions = suggested_muscle_codes(view, x, y)
    muscle = point.muscle_code
    if suggestions and muscle not in suggestions:
        muscle = suggestions[0]
    side = point.side
    new_side = Side(body_map.side_at(view, x, y))
    if new_side != Side(body_map.side_at(view, point.x, point.y)):
        side = new_side
    moved = replace(point, x=x, y=y, muscle_code=muscle, side=side)
    return Moved(moved, muscle != point.muscle_code, side != point.side)
