"""Timing helpers: samples in milliseconds, their median, and app/floor pairs."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Samples:
    """Repeated measurements of one figure (milliseconds, or MB for memory)."""

    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        """The median (NaN when empty)."""
        return statistics.median(self.values) if self.values else float("nan")

    def add(self, value: float) -> None:
        """Record one measurement."""
        self.values.append(value)


def elapsed_ms(action: Callable[[], object]) -> float:
    """Milliseconds *action* takes (garbage from earlier rounds is collected first)."""
    gc.collect()
    start = time.perf_counter()
    action()
    return (time.perf_counter() - start) * 1000


def paired(
    repeat: int,
    app: Callable[[], object],
    floor: Callable[[], object] | None = None,
    *,
    warmup: int = 1,
    reset: Callable[[], object] | None = None,
) -> tuple[Samples, Samples]:
    """Time *app* and *floor* alternately *repeat* times, after *warmup* untimed rounds.

    Alternating keeps both under the same conditions (caches, other load on the machine).
    *reset*, if given, runs untimed before each call of *app*.
    """
    app_samples, floor_samples = Samples(), Samples()
    for round_number in range(warmup + repeat):
        if reset is not None:
            reset()
        app_ms = elapsed_ms(app)
        floor_ms = elapsed_ms(floor) if floor is not None else None
        if round_number >= warmup:
            app_samples.add(app_ms)
            if floor_ms is not None:
                floor_samples.add(floor_ms)
    return app_samples, floor_samples
