"""A table edited cell by cell that never traps the keyboard.

Tab and Shift+Tab leave the table for the next or previous control, as everywhere else
in the window; the arrow keys move between cells and F2 (or typing) edits one. While a
cell is being edited, Tab commits it and edits the next editable cell of the same row,
and after the row's last one (Shift+Tab: before its first) it moves on out of the table.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QTableView, QWidget

_Hint = QAbstractItemDelegate.EndEditHint


class EditableTableView(QTableView):
    """A QTableView whose Tab key moves along the window's focus chain."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabKeyNavigation(False)

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:
        if hint not in (_Hint.EditNextItem, _Hint.EditPreviousItem):
            super().closeEditor(editor, hint)
            return
        forward = hint == _Hint.EditNextItem
        current = self.currentIndex()
        super().closeEditor(editor, _Hint.NoHint)
        target = self._neighbour_in_row(current, forward)
        if target is not None:
            self.setCurrentIndex(target)
            self.edit(target)
            return
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.focusNextPrevChild(forward)

    def _neighbour_in_row(self, index: QModelIndex, forward: bool) -> QModelIndex | None:
        """The next (or previous) shown, editable cell of *index*'s row, if any."""
        if not index.isValid():
            return None
        model = self.model()
        step = 1 if forward else -1
        column = index.column() + step
        while 0 <= column < model.columnCount():
            candidate = model.index(index.row(), column)
            flags = model.flags(candidate)
            if not self.isColumnHidden(column) and flags & Qt.ItemFlag.ItemIsEditable:
                return candidate
            column += step
        return None
