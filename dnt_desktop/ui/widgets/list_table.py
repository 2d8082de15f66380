"""Read-only lists shown as tables (accounts, backups, consents, screenings, sessions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QTableView, QTableWidget

from .column_fit import Column, ColumnFit

T = TypeVar("T")


def configure_list_table(
    table: QTableView,
    accessible_name: str,
    *,
    row_padding: int | None = None,
    stretch_column: int | None = None,
) -> None:
    """Make *table* a read-only list: whole rows, one at a time, no grid, left-aligned titles.

    Tab moves on to the next widget instead of walking the cells. *row_padding* makes the
    rows a line of text tall plus that many pixels (the style's default height when None).
    With a *stretch_column*, that column takes the spare width and the others fit their
    contents.
    """
    table.setAccessibleName(accessible_name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    if row_padding is not None:
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    if stretch_column is not None:
        fit_columns(table, stretch_column)


def fit_columns(table: QTableView, stretch_column: int, minimum: int = 90) -> ColumnFit:
    """Columns as wide as their titles and texts; *stretch_column* takes the spare width
    and, when the table is narrow, shortens (its texts are in the tooltips)."""
    return ColumnFit(table, {stretch_column: Column(minimum=minimum)}, stretch=stretch_column)


def list_table(
    titles: Sequence[str],
    accessible_name: str,
    *,
    row_padding: int | None = None,
    stretch_column: int | None = None,
) -> QTableWidget:
    """An empty read-only list with the column *titles* (see ``configure_list_table``)."""
    table = QTableWidget(0, len(titles))
    table.setHorizontalHeaderLabels(list(titles))
    configure_list_table(
        table, accessible_name, row_padding=row_padding, stretch_column=stretch_column
    )
    return table


def highlighted(table: QTableWidget, items: Sequence[T]) -> T | None:
    """The item listed on *table*'s highlighted row (None when no row is highlighted)."""
    row = table.currentRow()
    return items[row] if 0 <= row < len(items) else None
