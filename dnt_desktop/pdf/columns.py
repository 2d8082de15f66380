"""Sections set in two balanced columns, or one after another when they do not fit."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.platypus import Flowable, KeepTogether, Table, TableStyle

Section = Sequence[Flowable]
FIRST_LINES_HEIGHT = 40.0
"""A section starts on a page only where its heading and about three lines of text fit;
a first paragraph taller than that may continue on the next page."""


def kept(section: Section) -> list[Flowable]:
    """A section whose heading never ends a page: heading and first block kept together."""
    if not section:
        return []
    heading, *rest = section
    return [KeepTogether([heading, *rest[:1]]), *rest[1:]]


def whole_if_possible(table: Table) -> KeepTogether:
    """*table* kept whole on one page when it fits one; split inside its rows only when
    it is taller than a page (very long clinic texts), instead of failing the build."""
    table.splitInRow = 1
    return KeepTogether([table])


def section_height(section: Section, width: float) -> float:
    total = 0.0
    for flowable in section:
        total += flowable.wrap(width, 10_000)[1]
        total += flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


class TwoColumns(Flowable):
    """Whole sections in two columns split where their heights balance best.

    When the columns do not fit in the space left on the page, the sections flow one
    after another in the full width instead, so a long sheet continues cleanly on the
    next page.
    """

    def __init__(self, sections: Sequence[Section], gap: float, space_before: float = 0) -> None:
        super().__init__()
        self.sections = [list(s) for s in sections if s]
        self.gap = gap
        self.spaceBefore = space_before
        self._table: Table | None = None

    def _layout(self, width: float) -> Table:
        column = (width - self.gap) / 2
        heights = [section_height(s, column) for s in self.sections]
        best, best_height = len(heights), sum(heights)
        for split in range(1, len(heights)):
            tallest = max(sum(heights[:split]), sum(heights[split:]))
            if tallest < best_height:
                best, best_height = split, tallest
        left = [f for s in self.sections[:best] for f in s]
        right = [f for s in self.sections[best:] for f in s]
        table = Table([[left, right]], colWidths=[column, column + self.gap], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("LEFTPADDING", (1, 0), (1, 0), self.gap),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return table

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._table = self._layout(availWidth)
        self.width, self.height = self._table.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not self.sections:
            return []
        heading, *text = self.sections[0]
        start = section_height([heading], availWidth)
        start += min(section_height(text[:1], availWidth), FIRST_LINES_HEIGHT)
        if start > availHeight:
            return []  # not even the first heading and a few lines fit: start on the next page
        # The first section starts here (checked above); KeepTogether cannot come first.
        return [*self.sections[0], *(f for s in self.sections[1:] for f in kept(s))]

    def draw(self) -> None:
        assert self._table is not None
        self._table.drawOn(self.canv, 0, 0)
