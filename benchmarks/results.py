"""Figures with their floors and goals, printed as a table or written as JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .timing import Samples

FLAT_GROWTH = 3.0
"""Growth is 'flat' when the figure at the largest database is under 3x the smallest's."""
GROWTH_KEYS = (
    "search.",
    "open_chart",
    "point_defaults",
    "signin_dialog",
    "start_to_register",
    "first_chart",
    "close",
)


@dataclass(frozen=True)
class Goal:
    """What a figure must meet: a ratio to its floor and/or an absolute ceiling."""

    text: str
    max_ratio: float | None = None
    max_value: float | None = None
    value_from_size: int = 0
    """The ceiling applies only from this database size on (0: always)."""

    def met(self, value: float, ratio: float | None, size: int) -> bool:
        """Whether *value* (and its *ratio* to the floor) meets the goal."""
        ok = True
        if self.max_ratio is not None:
            ok = ok and ratio is not None and ratio <= self.max_ratio
        if self.max_value is not None and size >= self.value_from_size:
            ok = ok and value < self.max_value
        return ok


@dataclass
class Figure:
    """One measured figure at one database size, beside its floor."""

    key: str
    title: str
    size: int
    samples: Samples
    goal: Goal
    floor: Samples | None = None
    floor_title: str = ""
    unit: str = "ms"
    detail: str = ""
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def median(self) -> float:
        """The median of the samples."""
        return self.samples.median

    @property
    def floor_median(self) -> float | None:
        """The floor's median, if a floor was measured."""
        return self.floor.median if self.floor is not None and self.floor.values else None

    @property
    def ratio(self) -> float | None:
        """Median over floor median."""
        floor = self.floor_median
        return self.median / floor if floor else None

    @property
    def met(self) -> bool:
        """Whether the goal is met."""
        return self.goal.met(self.median, self.ratio, self.size)

    def as_dict(self) -> dict[str, Any]:
        """The figure for the JSON output."""
        return {
            "key": self.key,
            "title": self.title,
            "patients": self.size,
            "unit": self.unit,
            "median": _round(self.median),
            "samples": [_round(v) for v in self.samples.values],
            "floor_title": self.floor_title or None,
            "floor_median": _round(self.floor_median),
            "floor_samples": [_round(v) for v in self.floor.values] if self.floor else None,
            "ratio": _round(self.ratio),
            "goal": self.goal.text,
            "met": self.met,
            "detail": self.detail or None,
            **{k: _round(v) for k, v in self.extra.items()},
        }


def _round(value: float | None) -> float | None:
    if value is None or math.isnan(value):
        return None
    return round(value, 3)


def format_value(value: float | None, unit: str) -> str:
    """'12.3 ms', '1,234 ms' or '155 MB'; '-' for nothing."""
    if value is None or math.isnan(value):
        return "-"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value >= 100:
        return f"{value:,.0f} ms"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def table(figures: list[Figure]) -> str:
    """The figures as an aligned text table."""
    head = ("figure", "patients", "median", "floor", "ratio", "goal", "met")
    rows = [head]
    for f in figures:
        rows.append(
            (
                f.title,
                f"{f.size:,}",
                format_value(f.median, f.unit),
                format_value(f.floor_median, f.unit),
                f"{f.ratio:.2f}x" if f.ratio is not None else "-",
                f.goal.text,
                "yes" if f.met else "NO",
            )
        )
    return _aligned(rows, right={1, 2, 3, 4})


@dataclass(frozen=True)
class Growth:
    """One figure across database sizes."""

    key: str
    title: str
    by_size: dict[int, float]

    @property
    def ratio(self) -> float | None:
        """Largest size's median over the smallest's (None with one size)."""
        if len(self.by_size) < 2:
            return None
        sizes = sorted(self.by_size)
        return self.by_size[sizes[-1]] / self.by_size[sizes[0]]

    @property
    def verdict(self) -> str:
        """'flat' when the ratio is under FLAT_GROWTH, else 'grows'."""
        ratio = self.ratio
        if ratio is None:
            return "n/a (one size)"
        return "flat" if ratio < FLAT_GROWTH else "GROWS"


def growth(figures: list[Figure]) -> list[Growth]:
    """Search and chart figures side by side across sizes."""
    rows: dict[str, Growth] = {}
    for f in figures:
        if f.key.startswith(GROWTH_KEYS):
            row = rows.setdefault(f.key, Growth(f.key, f.title, {}))
            row.by_size[f.size] = f.median
    return list(rows.values())


def growth_table(rows: list[Growth]) -> str:
    """The growth rows as a table with one column per size."""
    sizes = sorted({size for row in rows for size in row.by_size})
    head = ("figure", *(f"{s:,}" for s in sizes), "largest/smallest", "verdict")
    lines: list[tuple[str, ...]] = [head]
    for row in rows:
        values = tuple(format_value(row.by_size.get(s), "ms") for s in sizes)
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        lines.append((row.title, *values, ratio, row.verdict))
    return _aligned(lines, right=set(range(1, len(sizes) + 2)))


def _aligned(rows: list[tuple[str, ...]], right: set[int]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]

    def line(row: tuple[str, ...]) -> str:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def growth_as_dict(rows: list[Growth]) -> list[dict[str, Any]]:
    """The growth rows for the JSON output."""
    return [
        {
            "key": row.key,
            "title": row.title,
            "median_by_patients": {str(k): _round(v) for k, v in sorted(row.by_size.items())},
            "ratio": _round(row.ratio),
            "verdict": row.verdict,
        }
        for row in rows
    ]
