"""Column widths that never break a heading word in the middle ("Inse-rtion-s").

A table's widths are given as proportions; a heading word wider than its column would
be wrapped letter by letter by reportlab. ``head_fitted_widths`` gives every column at
least its longest heading word and takes the difference from the columns that have
room to spare, in proportion to that room.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth


def head_fitted_widths(
    head: Sequence[str],
    proportions: Sequence[float],
    total: float,
    font: str,
    size: float,
    padding: float,
) -> list[float]:
    """Widths (points) summing to *total*, each at least its longest heading word.

    *padding* is a cell's left plus right padding. When even the headings' words do not
    fit in *total*, the widths are the proportions unchanged (reportlab then wraps)."""
    scale = total / sum(proportions)
    widths = [p * scale for p in proportions]
    needed = [
        max((stringWidth(word, font, size) for word in h.split()), default=0.0) + padding + 0.5
        for h in head
    ]
    if sum(needed) > total:
        return widths
    short = sum(max(0.0, n - w) for n, w in zip(needed, widths, strict=True))
    if short == 0:
        return widths
    spare = [max(0.0, w - n) for n, w in zip(needed, widths, strict=True)]
    room = sum(spare)
    return [
        max(n, w) if w <= n else w - spare_w * short / room
        for n, w, spare_w in zip(needed, widths, spare, strict=True)
    ]
