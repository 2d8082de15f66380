"""Depth limits over the lung-risk muscles, per BMI band: the shipped defaults and the BMI.

Plain data and arithmetic for the rules (no database): the shipped defaults are read from
``resources/safety/lung_depth_limits.json`` (which cites where they come from); a clinic's
own values (``services.safety.limit_settings``) replace them per muscle and band. When
the BMI is unknown the most conservative band (the leanest) applies.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from dnt_desktop.models import catalogue
from dnt_desktop.paths import resources_dir

MIN_HEIGHT_CM, MAX_HEIGHT_CM = 50.0, 250.0
MIN_WEIGHT_KG, MAX_WEIGHT_KG = 20.0, 350.0
"""Heights and weights outside these are typing errors."""


@dataclass(frozen=True)
class BmiBand:
    """A BMI band: code, label, and the BMI it ends below (None for the last)."""

    code: str
    label: str
    below: float | None


@dataclass(frozen=True)
class DepthLimit:
    """The maximum advised depth and needle length over one muscle in one band."""

    max_depth_mm: float
    max_needle_length_mm: float


LimitTable = Mapping[tuple[str, str], DepthLimit]
"""(muscle code, band code) -> limit."""


@cache
def _data() -> dict[str, Any]:
    path = resources_dir() / "safety" / "lung_depth_limits.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Data file safety/lung_depth_limits.json cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("bands"), list):
        raise ValueError("Data file safety/lung_depth_limits.json: expected 'bands' and 'default'")
    return data


@cache
def bands() -> tuple[BmiBand, ...]:
    """The BMI bands, leanest first."""
    return tuple(
        BmiBand(b["code"], b["label"], None if b["below"] is None else float(b["below"]))
        for b in _data()["bands"]
    )


def most_conservative_band() -> BmiBand:
    """The band used when the BMI is not known: the leanest."""
    return bands()[0]


def band_label(code: str) -> str:
    """'BMI 18.5 to under 25' for a band code (the code itself if unknown)."""
    return next((b.label for b in bands() if b.code == code), code)


def lung_risk_muscles() -> tuple[catalogue.Muscle, ...]:
    """The muscles over the lung or pleura (``lung_risk`` in the muscle catalogue)."""
    return tuple(m for m in catalogue.muscles() if m.lung_risk)


@cache
def default_limits() -> dict[tuple[str, str], DepthLimit]:
    """The shipped limit for every lung-risk muscle and band."""
    data = _data()
    table: dict[tuple[str, str], DepthLimit] = {}
    for muscle in lung_risk_muscles():
        own = data.get("muscles", {}).get(muscle.code, {})
        for band in bands():
            raw = own.get(band.code) or data["default"][band.code]
            table[(muscle.code, band.code)] = DepthLimit(
                float(raw["max_depth_mm"]), float(raw["max_needle_length_mm"])
            )
    return table


def bmi(height_cm: float | None, weight_kg: float | None) -> float | None:
    """Body mass index (kg/m²), or None when either measurement is missing."""
    if not height_cm or not weight_kg or height_cm <= 0 or weight_kg <= 0:
        return None
    metres = height_cm / 100.0
    return weight_kg / (metres * metres)


def band_for(value: float | None) -> BmiBand:
    """The band of a BMI; the most conservative band when it is unknown."""
    if value is None:
        return most_conservative_band()
    for band in bands():
        if band.below is None or value < band.below:
            return band
    return bands()[-1]


def measurement_problems(height_cm: float | None, weight_kg: float | None) -> list[str]:
    """What is wrong with a height or weight entered at screening (both optional)."""
    problems = []
    if height_cm is not None and not MIN_HEIGHT_CM <= height_cm <= MAX_HEIGHT_CM:
        problems.append(
            f"The height must be from {MIN_HEIGHT_CM:g} to {MAX_HEIGHT_CM:g} cm: check it."
        )
    if weight_kg is not None and not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        problems.append(
            f"The weight must be from {MIN_WEIGHT_KG:g} to {MAX_WEIGHT_KG:g} kg: check it."
        )
    return problems
