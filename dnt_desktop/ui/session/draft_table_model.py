"""The plumbing shared by the session editor's editable tables (points, side effects).

A ``DraftTableModel`` shows one draft dataclass a row. Its columns come from the session's
declaration (``services.drafts``): ``field_columns`` makes one column per field the
practitioner types, in declaration order, so a field added there gets its column here,
shown and edited by its type (text, number, yes/no check box, choice of an enum). The model
keeps the rows with the rules' problems of each, the read-only switch of a signed session,
adding and removing rows, and the Qt side: headers, flags, check boxes, edits written back
through ``setData``, and the red background, text and tooltip of a cell with a problem. A
subclass says which rules check a draft, and shows or edits a column differently where
its type alone is not enough (a muscle's name, a needle's gauge).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum, IntEnum
from typing import Any, ClassVar, Generic, TypeVar, get_args, get_type_hints

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from dnt_desktop.services.drafts import typed_fields
from dnt_desktop.services.rules import Problem, describe_problems

Index = QModelIndex | QPersistentModelIndex
PROBLEM_BACKGROUND = QColor("#fde0dc")
PROBLEM_TEXT = QColor("#8e1b12")
_PROBLEM_ROLES = (
    Qt.ItemDataRole.BackgroundRole,
    Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole,
)

DraftT = TypeVar("DraftT")


class FieldColumn(IntEnum):
    """A column of a draft table, named after the draft's field it shows (NOTES: notes)."""

    @property
    def field(self) -> str:
        """The field shown ("number" for a column the table adds, such as a point's number)."""
        return self.name.lower()


def field_columns(name: str, record: type, *, first: tuple[str, ...] = ()) -> Any:
    """The columns of a table of *record* drafts, as a ``FieldColumn`` enum called *name*.

    *first* come first (fields, or columns the table adds such as "number"), then every
    other field the practitioner types, in the order the declaration gives them.
    """
    rest = [f for f in typed_fields(record) if f not in first]
    return FieldColumn(name, [(f.upper(), i) for i, f in enumerate((*first, *rest))])


def number_text(value: float) -> str:
    """A measurement without trailing zeros (20, 0.25, 12.5)."""
    return f"{value:g}"


def value_text(value: Any) -> str:
    """A field's value as a cell shows it when its column says nothing else."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, Enum):
        return str(value.value).capitalize()
    if isinstance(value, float):
        return number_text(value)
    return "" if value is None else str(value)


def _value_type(hint: Any) -> Any:
    """str, int, float, bool or an enum: the type of a field's values (None aside)."""
    kinds = [kind for kind in get_args(hint) if kind is not type(None)]
    return kinds[0] if kinds else hint


@dataclass
class DraftRow(Generic[DraftT]):
    """One row: the draft it edits and the rules' problems with it."""

    draft: DraftT
    problems: list[Problem] = field(default_factory=list)


RowT = TypeVar("RowT", bound=DraftRow[Any])


class DraftTableModel(QAbstractTableModel, Generic[RowT]):
    """Editable rows of drafts, each checked by the rules after every change.

    A subclass sets the class attributes below and implements ``_check``; ``_display``,
    ``_edit_value``, ``_edited`` and the other ``_`` methods are hooks it may override
    for a column (calling the base for the others).
    """

    problems_changed = Signal()
    """The set of validation problems may have changed."""

    DRAFT: ClassVar[type]
    """The draft dataclass of a row."""
    COLUMNS: ClassVar[Any]
    """The ``FieldColumn`` enum of the table (``field_columns``)."""
    HEADERS: ClassVar[Mapping[Any, tuple[str, str]]]
    """Each column's title and tooltip (a column left out is titled after its field)."""
    OTHER_PROBLEMS_COLUMN: ClassVar[IntEnum]
    """The cell of the problems of fields without a column (a point's position)."""
    PROBLEM_PREFIX: ClassVar[str]
    """How the services name the list ('points' for 'points[0].depth_mm')."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[RowT] = []
        self._read_only = False
        types = get_type_hints(self.DRAFT)
        self._types: dict[Any, Any] = {
            column: _value_type(types[column.field])
            for column in self.COLUMNS
            if column.field in types
        }
        """The value type of each column that shows a field of the draft."""
        self._check_columns = frozenset(c for c, kind in self._types.items() if kind is bool)
        self._field_columns = {column.field: (column,) for column in self._types}

    # --- what a subclass says --------------------------------------------------------

    def _check(self, draft: Any) -> list[Problem]:
        """The rules' problems with *draft*."""
        raise NotImplementedError

    def _display(self, row: int, draft: Any, column: Any) -> str | None:
        """The text of *column* for the draft on *row*: its field's value, by its type."""
        if column not in self._types:
            return None
        return value_text(getattr(draft, column.field))

    def _edit_value(self, draft: Any, column: Any) -> Any:
        """The value an editor of *column* starts from (None for a column of no field)."""
        return getattr(draft, column.field) if column in self._types else None

    def _edited(self, entry: RowT, column: Any, value: Any) -> Any:
        """The draft of *entry* with *value* in *column* (TypeError/ValueError: refused)."""
        kind = self._types.get(column)
        if kind is None:
            raise ValueError(f"Column {column} is not editable")
        return replace(entry.draft, **{column.field: kind(value)})

    CODE_FIELDS: ClassVar[frozenset[str]] = frozenset({"code", "muscle_code"})
    """Text fields holding a catalogue code (shown as its label), not the user's words."""

    def _tooltip(self, draft: Any, column: Any) -> Any:
        """The tooltip of a cell without problems: free text in full (its column may be
        too narrow to show it all), else the column's meaning."""
        if self._types.get(column) is str and column.field not in self.CODE_FIELDS:
            text = getattr(draft, column.field)
            if text:
                return text
        return self.header(column)[1]

    def header(self, column: Any) -> tuple[str, str]:
        """The title and tooltip of *column* (its field's name when ``HEADERS`` has none)."""
        return self.HEADERS.get(column) or (column.field.replace("_", " ").capitalize(), "")

    def _other_data(self, row: int, entry: RowT, column: Any, role: int) -> Any:
        """Any other role of a cell (colours, fonts, alignment, custom roles)."""
        return None

    def _row_removed(self, row: int) -> None:
        """*row* was removed: the rows after it moved up."""

    def _row_edited(self, row: int, column: Any) -> None:
        """The user changed *column* of *row* (after the row was checked again)."""

    # --- rows ------------------------------------------------------------------------

    def set_read_only(self, read_only: bool) -> None:
        """Make every cell read-only (a signed session)."""
        self._read_only = read_only

    def problems(self) -> list[Problem]:
        """Every problem of every row, fields prefixed as the services name them."""
        return [
            replace(problem, field=f"{self.PROBLEM_PREFIX}[{i}].{problem.field}")
            for i, entry in enumerate(self._rows)
            for problem in entry.problems
        ]

    def problem_text(self) -> str:
        """The problems as the message line under the table shows them."""
        return describe_problems(self.problems())

    def first_problem_index(self) -> QModelIndex:
        """The first cell with a problem (invalid index when there is none)."""
        for i, entry in enumerate(self._rows):
            columns = [c for problem in entry.problems for c in self._problem_columns(problem)]
            if columns:
                return self.index(i, min(columns))
        return QModelIndex()

    def _set_rows(self, rows: list[RowT]) -> None:
        self.beginResetModel()
        self._rows = rows
        for entry in rows:
            entry.problems = self._check(entry.draft)
        self.endResetModel()
        self.problems_changed.emit()

    def _append_row(self, entry: RowT) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        entry.problems = self._check(entry.draft)
        self._rows.append(entry)
        self.endInsertRows()
        self.problems_changed.emit()
        return row

    def _remove_row(self, row: int) -> None:
        if not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self._row_removed(row)
        self.problems_changed.emit()

    def _row_changed(self, row: int) -> None:
        entry = self._rows[row]
        entry.problems = self._check(entry.draft)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
        self.problems_changed.emit()

    def _problem_columns(self, problem: Problem) -> tuple[Any, ...]:
        """The cell a problem is shown in: its field's column, else OTHER_PROBLEMS_COLUMN."""
        return self._field_columns.get(problem.field, (self.OTHER_PROBLEMS_COLUMN,))

    def _cell_problems(self, entry: RowT, column: Any) -> list[str]:
        return [p.message for p in entry.problems if column in self._problem_columns(p)]

    # --- Qt model --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        title, tip = self.header(self.COLUMNS(section))
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return tip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = self.COLUMNS(index.column())
        if self._read_only or column not in self._types:  # a column of no field: shown only
            return flags
        if column in self._check_columns:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        entry = self._rows[row]
        column = self.COLUMNS(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, entry.draft, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(entry.draft, column)
        if role == Qt.ItemDataRole.CheckStateRole and column in self._check_columns:
            checked = self._edit_value(entry.draft, column)
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        problems = self._cell_problems(entry, column) if role in _PROBLEM_ROLES else []
        if problems:
            if role == Qt.ItemDataRole.BackgroundRole:
                return PROBLEM_BACKGROUND
            if role == Qt.ItemDataRole.ForegroundRole:
                return PROBLEM_TEXT
            return "\n".join(problems)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry.draft, column)
        return self._other_data(row, entry, column, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        row = index.row()
        entry = self._rows[row]
        column = self.COLUMNS(index.column())
        if column in self._check_columns and role == Qt.ItemDataRole.CheckStateRole:
            value = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif self._edit_value(entry.draft, column) == value:
            return True  # an editor opened and closed without a change
        try:
            entry.draft = self._edited(entry, column, value)
        except (TypeError, ValueError):
            return False
        self._row_changed(row)
        self._row_edited(row, column)
        return True
