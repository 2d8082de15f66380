"""Where a new point's depth class, depth and needle start (the rules, plain Python).

A new point on a muscle starts from, in this order:

1. this practitioner's last point on the same muscle (in the session being charted, or
   else in their recent sessions: ``services.point_history``);
2. else the muscle catalogue's typical values for that muscle (``muscles.json``);
3. else, with no muscle chosen yet, a cautious superficial point.

Over a pneumothorax-risk muscle the result is then held within the clinic's limit
(``lung_risk_needle_limit_mm``): the needle is never longer than the limit (the longest
common length within it), the depth never deeper than the limit, than a published maximum
for the muscle (about 19 mm for the rhomboids, shared clinical reference) or, when the
needle had to be shortened, than that needle less ``HUB_MARGIN_MM`` (a needle is never
pushed in to its hub). So a default never raises the long-needle alert. The depth class
always follows the depth (superficial up to 10 mm).

Given the patient (``ClinicalState``), the default is also held within this patient's
lung-risk limit for the muscle (``rules.patient_lung_limit``: the clinic's depth and needle
limits for the BMI band of the latest screening, the leanest band when the BMI is not
known), the same way: a longer needle becomes the longest common length within the limit
and the depth is never deeper than the limit. So a default never raises the
``lung_depth_limit`` alert either (issue 18).
"""

from __future__ import annotations

from dataclasses import dataclass

from dnt_desktop.models import catalogue
from dnt_desktop.models.catalogue import Muscle
from dnt_desktop.models.enums import DepthClass

from .rules import ClinicalState, RuleSettings, depth_class_for, patient_lung_limit

NEEDLE_GAUGES_MM: tuple[float, ...] = catalogue.needle_sizes().gauges_mm
"""The needle diameters that exist (``resources/catalogues/needles.json``), offered in the
table; a typed size that does not exist is shown as a problem."""
NEEDLE_LENGTHS_MM: tuple[float, ...] = catalogue.needle_sizes().lengths_mm
"""The needle lengths that exist (``needles.json``), offered in the table."""
HUB_MARGIN_MM = 5.0
"""A needle shortened to the clinic's limit is not inserted deeper than this short of its hub."""


@dataclass(frozen=True)
class Dimensions:
    """Depth and needle of a point."""

    depth_mm: float
    depth_class: DepthClass
    needle_length_mm: float
    needle_gauge_mm: float = 0.25


NO_MUSCLE = Dimensions(10.0, DepthClass.SUPERFICIAL, 25.0, 0.25)
"""A point whose muscle is not chosen yet: superficial until the muscle says otherwise."""


def _muscle(muscle_code: str) -> Muscle | None:
    try:
        return catalogue.muscle(muscle_code)
    except KeyError:
        return None


def is_lung_risk(muscle_code: str) -> bool:
    """Whether deep needling of the muscle risks a pneumothorax (False if unknown)."""
    muscle = _muscle(muscle_code)
    return muscle is not None and muscle.lung_risk


def typical_dimensions(muscle_code: str) -> Dimensions | None:
    """The catalogue's typical depth and needle for the muscle (None if unknown)."""
    muscle = _muscle(muscle_code)
    if muscle is None or muscle.typical is None:
        return None
    typical = muscle.typical
    return Dimensions(
        typical.depth_mm,
        DepthClass(typical.depth_class),
        typical.needle_length_mm,
        typical.needle_gauge_mm,
    )


def within_lung_limit(
    muscle_code: str, dims: Dimensions, settings: RuleSettings | None = None
) -> Dimensions:
    """*dims* held within the clinic's limit over a lung-risk muscle (see module doc)."""
    muscle = _muscle(muscle_code)
    if muscle is None or not muscle.lung_risk:
        return dims
    limit = (settings or RuleSettings()).lung_risk_needle_limit_mm
    needle = dims.needle_length_mm
    depth = dims.depth_mm
    if needle > limit:
        fitting = [n for n in NEEDLE_LENGTHS_MM if n <= limit]
        needle = float(max(fitting) if fitting else min(NEEDLE_LENGTHS_MM))
        depth = min(depth, needle - HUB_MARGIN_MM)
    caps = [limit, needle]
    if muscle.max_depth_mm is not None:
        caps.append(muscle.max_depth_mm)
    depth = min(depth, *caps)
    if (needle, depth) == (dims.needle_length_mm, dims.depth_mm):
        return dims
    return Dimensions(depth, depth_class_for(depth), needle, dims.needle_gauge_mm)


def _capped(dims: Dimensions, max_needle_mm: float, max_depth_mm: float) -> Dimensions:
    """*dims* with the needle no longer than *max_needle_mm* (the longest common length
    within it, the depth then kept ``HUB_MARGIN_MM`` short of the hub) and the depth no
    deeper than *max_depth_mm*."""
    needle = dims.needle_length_mm
    depth = dims.depth_mm
    if needle > max_needle_mm:
        fitting = [n for n in NEEDLE_LENGTHS_MM if n <= max_needle_mm]
        needle = float(max(fitting) if fitting else min(NEEDLE_LENGTHS_MM))
        depth = min(depth, needle - HUB_MARGIN_MM)
    depth = min(depth, max_depth_mm, needle)
    if (needle, depth) == (dims.needle_length_mm, dims.depth_mm):
        return dims
    return Dimensions(depth, depth_class_for(depth), needle, dims.needle_gauge_mm)


def within_patient_limit(
    muscle_code: str,
    dims: Dimensions,
    state: ClinicalState,
    settings: RuleSettings | None = None,
) -> Dimensions:
    """*dims* held within this patient's lung-risk limit over the muscle (its BMI band's
    depth and needle limits, the leanest band when the BMI is unknown); unchanged over a
    muscle that is not over the lung."""
    found = patient_lung_limit(state, muscle_code, settings)
    if found is None:
        return dims
    limit, _band = found
    return _capped(dims, limit.max_needle_length_mm, limit.max_depth_mm)


def default_dimensions(
    muscle_code: str,
    settings: RuleSettings | None = None,
    last: Dimensions | None = None,
    state: ClinicalState | None = None,
) -> Dimensions:
    """Where a new point on *muscle_code* starts: *last* (the practitioner's last point on
    it), else the catalogue's typical values, else :data:`NO_MUSCLE`; always within the
    clinic's limit over a lung-risk muscle and, given the patient's *state*, within this
    patient's lung-risk limit too."""
    chosen = last or typical_dimensions(muscle_code) or NO_MUSCLE
    if chosen.depth_class != depth_class_for(chosen.depth_mm):
        chosen = Dimensions(
            chosen.depth_mm,
            depth_class_for(chosen.depth_mm),
            chosen.needle_length_mm,
            chosen.needle_gauge_mm,
        )
    chosen = within_lung_limit(muscle_code, chosen, settings)
    if state is not None:
        chosen = within_patient_limit(muscle_code, chosen, state, settings)
    return chosen
