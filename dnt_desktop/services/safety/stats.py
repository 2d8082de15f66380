"""Rates per 100 treatments with their Wilson 95% interval, and how they compare.

The statistics the Safety report prints, in plain Python so that they are tested
exactly: ``rate(100, 1000)`` is 10.0% (8.3-12.0). With no event the interval is the rule
of three: from 0 to 3/n (the 95% upper bound when nothing happened in n treatments). A
rate is "above the published rate" only when its interval's *lower* end is above it, and
with fewer than ``MIN_TREATMENTS`` treatments there is nothing to compare.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

Z_95 = 1.959963984540054
"""The standard normal quantile of a two-sided 95% interval."""
MIN_TREATMENTS = 100
"""Below this many treatments the report says the numbers are too few to compare."""


class Comparison(StrEnum):
    """How a clinic's rate stands beside one published rate."""

    ABOVE = "above"
    NOT_ABOVE = "not_above"
    TOO_FEW = "too_few"
    NO_REFERENCE = "no_reference"


@dataclass(frozen=True)
class Rate:
    """*events* in *treatments*, as a percentage with its 95% interval (percent)."""

    events: int
    treatments: int
    percent: float | None
    low: float | None
    high: float | None
    rule_of_three: bool = False
    """True when there was no event: ``high`` is then 3/n (the rule of three)."""

    @property
    def too_few(self) -> bool:
        """Fewer treatments than the report compares (``MIN_TREATMENTS``)."""
        return self.treatments < MIN_TREATMENTS


def wilson_interval(events: int, treatments: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of *events* / *treatments*, as proportions (0..1)."""
    if treatments <= 0:
        raise ValueError("The Wilson interval needs at least one treatment.")
    if not 0 <= events <= treatments:
        raise ValueError("Events must be from 0 to the number of treatments.")
    n = treatments
    p = events / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def rate(events: int, treatments: int) -> Rate:
    """The rate per 100 treatments with its interval (rule of three when no event)."""
    if treatments <= 0:
        return Rate(events, treatments, None, None, None)
    percent = 100.0 * events / treatments
    if events == 0:
        return Rate(0, treatments, 0.0, 0.0, min(100.0, 300.0 / treatments), rule_of_three=True)
    low, high = wilson_interval(events, treatments)
    return Rate(events, treatments, percent, 100.0 * low, 100.0 * high)


def compare(value: Rate, published_percent: float | None) -> Comparison:
    """ABOVE only when the interval's lower end is above the published rate."""
    if published_percent is None:
        return Comparison.NO_REFERENCE
    if value.too_few or value.low is None:
        return Comparison.TOO_FEW
    return Comparison.ABOVE if value.low > published_percent else Comparison.NOT_ABOVE


def format_percent(value: float | None, digits: int = 1) -> str:
    """'10.0%' (or '–' for none); under 1% two significant digits ('0.23%', '0.3%'), so
    that a small rate or bound never reads 0.0%."""
    if value is None:
        return "–"
    if 0 < value < 1:
        return f"{value:.2g}%"
    return f"{value:.{digits}f}%"


def describe(value: Rate) -> str:
    """'10.0% (95% CI 8.3–12.0%)', '0% (upper bound 0.3%, rule of three)', or '–'."""
    if value.percent is None:
        return "–"
    if value.rule_of_three:
        return f"0% (upper bound {format_percent(value.high)}, rule of three)"
    return (
        f"{format_percent(value.percent)} (95% CI {format_percent(value.low)[:-1]}–"
        f"{format_percent(value.high)})"
    )
