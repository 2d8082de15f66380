"""Where a new point starts and what happens to it when it moves (plain Python, no Qt).

A new point clicked on the chart gets the muscle under the pointer and the side of the
click; its depth class, depth and needle come from ``services.point_dimensions``: this
practitioner's last point on the muscle (*previous*, looked up by the caller), else the
catalogue's typical values for it, always within the clinic's limit over a
pneumothorax-risk muscle and, given the patient's clinical state, within this patient's
lung-risk limit for their BMI band. It starts with 1 insertion, static.

Moving a point (drag or arrow keys):
- a muscle that was the one under the point follows it onto another muscle's area (a
  point dragged from soleus onto gastrocnemius becomes gastrocnemius);
- any other muscle is kept when it is one of the muscles of the region it lands in (or
  when it lands outside every region); otherwise it becomes the muscle under the new
  position;
- the side is kept unless the point crosses to the other side of the body, when it
  becomes the side under the new position;
- needle and depth follow the new muscle only while they are still the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from dnt_desktop.models.enums import ChartView, Side, Technique
from dnt_desktop.services import body_map
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.point_dimensions import (
    NEEDLE_GAUGES_MM,
    NEEDLE_LENGTHS_MM,
    Dimensions,
    default_dimensions,
)
from dnt_desktop.services.rules import ClinicalState, RuleSettings

__all__ = [
    "NEEDLE_GAUGES_MM",
    "NEEDLE_LENGTHS_MM",
    "Dimensions",
    "Moved",
    "Previous",
    "default_dimensions",
    "moved_point",
    "new_point_at",
    "suggested_muscle_codes",
    "with_dimensions",
]

Previous = Callable[[str], Dimensions | None]
"""The practitioner's last point on a muscle code (None when there is none)."""


def suggested_muscle_codes(view: str, x: float, y: float) -> tuple[str, ...]:
    """Codes of the muscles of the region under the point, the one under it first (empty
    outside every region)."""
    return tuple(m.code for m in body_map.suggest_muscles(view, x, y))


def new_point_at(
    view: str,
    x: float,
    y: float,
    settings: RuleSettings | None = None,
    previous: Previous | None = None,
    state: ClinicalState | None = None,
) -> PointDraft:
    """A point clicked at (*x*, *y*) of *view*: the muscle under the pointer, the side
    there, and the depth and needle this practitioner used last on that muscle (within
    the patient's lung-risk limit when *state* is given)."""
    suggestions = suggested_muscle_codes(view, x, y)
    muscle = suggestions[0] if suggestions else ""
    last = previous(muscle) if previous is not None and muscle else None
    dims = default_dimensions(muscle, settings, last, state)
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
    was_under = body_map.muscle_area_at(view, point.x, point.y)
    if suggestions and (
        muscle not in suggestions or (was_under is not None and was_under.muscle == muscle)
    ):
        muscle = suggestions[0]
    side = point.side
    new_side = Side(body_map.side_at(view, x, y))
    if new_side != Side(body_map.side_at(view, point.x, point.y)):
        side = new_side
    moved = replace(point, x=x, y=y, muscle_code=muscle, side=side)
    return Moved(moved, muscle != point.muscle_code, side != point.side)
