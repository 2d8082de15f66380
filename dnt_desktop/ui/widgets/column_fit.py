"""Table columns that fit the table's width: shown by priority, shrunk where they may wrap.

A table on a 1366x768 screen at 125% is often narrower than its columns. Instead of a
horizontal scroll bar hiding the last columns, ``ColumnFit`` decides at every resize:
every column gets its natural width (its title or its longest text) when there is room,
and the *stretch* column takes what is left; when there is not, columns that may wrap
or shorten are narrowed down to their minimum, then the least important hideable
columns are hidden. A hidden column's title is listed in the table's tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHeaderView, QTableView

CELL_PADDING = 12
"""Cell padding and the section margins, beyond the text itself."""


@dataclass(frozen=True)
class Column:
    """How one column may be fitted.

    *natural* is a fixed natural width (None: measured from the title and the shown
    cells); *minimum* how far it may shrink (None: not below its natural width);
    *hide_rank* orders the hideable columns (higher is hidden first; None: never hidden).
    """

    natural: int | None = None
    minimum: int | None = None
    hide_rank: int | None = None


class ColumnFit(QObject):
    """Keeps *table*'s columns fitted to its width (see the module docstring)."""

    def __init__(
        self,
        table: QTableView,
        columns: dict[int, Column] | None = None,
        stretch: int | None = None,
        *,
        samples: Callable[[int], Iterable[str]] | None = None,
    ) -> None:
        super().__init__(table)
        self.table = table
        self.columns = columns or {}
        self.stretch = stretch
        self.samples = samples
        self.hidden: set[int] = set()
        self._pending = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._viewport = table.viewport()
        self._viewport.installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self.schedule)
        self.fit()

    # --- measuring -------------------------------------------------------------------

    def _title_width(self, column: int) -> int:
        title = str(self.table.model().headerData(column, Qt.Orientation.Horizontal) or "")
        font = self.table.horizontalHeader().font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(line) for line in title.splitlines()), default=0)
        return widest + CELL_PADDING

    def natural_width(self, column: int) -> int:
        """The width that shows the column's title and texts whole."""
        spec = self.columns.get(column, Column())
        if spec.natural is not None:
            return max(spec.natural, self._title_width(column))
        metrics = self.table.fontMetrics()
        texts: Iterable[str]
        if self.samples is not None:
            texts = self.samples(column)
        else:
            model = self.table.model()
            texts = (
                str(model.index(row, column).data() or "")
                for row in range(min(model.rowCount(), 200))
            )
        widest = max(
            (metrics.horizontalAdvance(line) for text in texts for line in text.splitlines()),
            default=0,
        )
        return max(widest + CELL_PADDING, self._title_width(column))

    def minimum_width(self, column: int, natural: int) -> int:
        """How narrow the column may become."""
        spec = self.columns.get(column, Column())
        if spec.minimum is None:
            return natural
        return min(natural, max(spec.minimum, self._title_width(column)))

    # --- fitting ---------------------------------------------------------------------

    def schedule(self, *_args: object) -> None:
        """Fit again once the current changes are done (one fit for many row changes)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        """Choose the shown columns and their widths for the table's current width."""
        self._pending = False
        if not shiboken6.isValid(self.table):
            return
        model = self.table.model()
        count = model.columnCount()
        available = self.table.viewport().width()
        natural = {c: self.natural_width(c) for c in range(count)}
        minimum = {c: self.minimum_width(c, natural[c]) for c in range(count)}
        shown = _choose(available, count, minimum, self.columns)
        widths = _share(available, shown, natural, minimum, self.stretch)
        self.hidden = set(range(count)) - set(shown)
        header = self.table.horizontalHeader()
        for column in range(count):
            self.table.setColumnHidden(column, column in self.hidden)
            if column in widths:
                header.resizeSection(column, widths[column])
        self._describe_hidden()
        if self.table.wordWrap():
            self.table.resizeRowsToContents()

    def _describe_hidden(self) -> None:
        model = self.table.model()
        titles = [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "").replace("\n", " ")
            for c in sorted(self.hidden)
        ]
        self.table.setToolTip(
            "Not shown for lack of room (widen the window): " + ", ".join(titles) if titles else ""
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self._viewport
            and event.type() == QEvent.Type.Resize
            and shiboken6.isValid(self.table)
        ):
            self.fit()
        return False


def _choose(
    available: int, count: int, minimum: dict[int, int], specs: dict[int, Column]
) -> list[int]:
    """The columns to show: every one that is never hidden, then the hideable ones from
    the most important (lowest rank) on, each while there is room for it."""
    shown = [c for c in range(count) if specs.get(c, Column()).hide_rank is None]
    used = sum(minimum[c] for c in shown)
    hideable = sorted(
        (c for c in range(count) if c not in shown), key=lambda c: specs[c].hide_rank or 0
    )
    for column in hideable:
        if used + minimum[column] <= available:
            shown.append(column)
            used += minimum[column]
    return sorted(shown)


def _share(
    available: int,
    shown: Sequence[int],
    natural: dict[int, int],
    minimum: dict[int, int],
    stretch: int | None,
) -> dict[int, int]:
    """Widths for *shown*: natural ones with the rest to *stretch*, or shrunk to fit."""
    widths = {c: natural[c] for c in shown}
    total = sum(widths.values())
    if total <= available:
        if stretch in widths:
            widths[stretch] += available - total
        return widths
    # Too wide: take the excess from the shrinkable columns, in proportion to their room.
    excess = total - available
    room = {c: natural[c] - minimum[c] for c in shown if natural[c] > minimum[c]}
    spare = sum(room.values())
    if spare <= 0:
        return widths
    for column, give in room.items():
        widths[column] -= min(give, -(-excess * give // spare))
    return widths
