"""The published adverse-event rates the clinic's own are set beside (Brady 2014, Boyce 2020).

Read from ``resources/safety/published_rates.json``, which cites both studies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from dnt_desktop.paths import resources_dir

ANY_MILD = "any_mild"
ANY_SERIOUS = "any_serious"


@dataclass(frozen=True)
class Study:
    """A published series: code, short name ('Brady 2014'), full citation, treatments."""

    code: str
    short: str
    citation: str
    treatments: int


@dataclass(frozen=True)
class PublishedRate:
    """One study's rate for one category (percent per treatment); ``upper_bound`` when the
    study saw none and gives only its upper risk estimate (Brady's <= 0.04%)."""

    study: Study
    percent: float
    upper_bound: bool = False

    @property
    def text(self) -> str:
        """'7.55%' or '≤ 0.04%'."""
        return f"{'≤ ' if self.upper_bound else ''}{self.percent:g}%"


@cache
def _data() -> dict[str, Any]:
    path = resources_dir() / "safety" / "published_rates.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ValueError(f"Data file safety/published_rates.json cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("rates"), dict):
        raise ValueError("Data file safety/published_rates.json: expected 'studies' and 'rates'")
    return data


@cache
def studies() -> tuple[Study, ...]:
    """The studies, in the order the report shows them."""
    return tuple(
        Study(s["code"], s["short"], s["citation"], int(s["treatments"]))
        for s in _data()["studies"]
    )


def published_rates(category: str) -> dict[str, PublishedRate]:
    """Study code -> its published rate for *category* (empty when none publishes one)."""
    by_code = {s.code: s for s in studies()}
    bounds = _data().get("upper_bounds", {}).get(category, [])
    rates = _data()["rates"].get(category, {})
    return {
        code: PublishedRate(by_code[code], float(value), upper_bound=code in bounds)
        for code, value in rates.items()
        if code in by_code
    }
