"""Cell editors shared by the point and side-effect tables.

``TableDelegate`` moves values between the model's EditRole and the editor by the
editor's type (list choice, typed number with suggestions, spin box, text), commits a
list choice as soon as it is picked, and lets Escape end an edit instead of reaching the
window's Escape shortcut.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QDoubleValidator, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from dnt_desktop.ui.widgets.combo_box import WideComboBox

Index = QModelIndex | QPersistentModelIndex


def parse_number(text: str) -> float | None:
    """A typed number ('0.25', '0,25', '30 mm'), or None."""
    cleaned = text.strip().lower().removesuffix("mm").strip().replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


class NumberChoiceBox(WideComboBox):
    """A number picked from common values or typed (needle gauge and length)."""

    def __init__(self, values: Iterable[float], decimals: int, parent: QWidget) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._decimals = decimals
        for value in values:
            self.addItem(self.format(value), value)
        validator = QDoubleValidator(0.0, 999.0, max(decimals, 1), self)
        validator.setNotation(QDoubleValidator.Notation.StandardNotation)
        self.setValidator(validator)

    def format(self, value: float) -> str:
        """The value as shown in the list."""
        return f"{value:.{self._decimals}f}" if self._decimals else f"{value:g}"

    def set_value(self, value: float) -> None:
        """Show *value* (picked from the list when it is there)."""
        found = self.findData(value)
        if found >= 0:
            self.setCurrentIndex(found)
        else:
            self.setEditText(self.format(value))

    def value(self) -> float | None:
        """The typed or picked number, or None when the text is not a number."""
        return parse_number(self.currentText())


def choice_box(parent: QWidget, items: Iterable[tuple[str, Any]]) -> QComboBox:
    """A list of (label, value) choices, wide enough for the longest."""
    box = WideComboBox(parent)
    for label, value in items:
        box.addItem(label, value)
    return box


class TableDelegate(QStyledItemDelegate):
    """Base delegate: subclasses create the editor of each column.

    Names and catalogue labels wrap at words when their column is narrow (the table word-
    wraps); the free-text columns in ``one_line_columns`` stay one line, shortened at the
    end (their whole text is the cell's tooltip).
    """

    one_line_columns: frozenset[int] = frozenset()

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if index.column() in self.one_line_columns:
            option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
            option.textElideMode = Qt.TextElideMode.ElideRight

    def prepare(self, editor: QWidget, name: str) -> QWidget:
        """Name *editor* for assistive technology and commit list choices at once."""
        editor.setObjectName(name)
        editor.setAccessibleName(name.replace("_", " "))
        if isinstance(editor, QComboBox):
            # Commit each choice at once (also while stepping with the arrow keys), so
            # the table and its problems line follow; Enter, Tab or a click elsewhere
            # closes the editor.
            editor.activated.connect(lambda _i, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        blocked = editor.blockSignals(True)
        try:
            if isinstance(editor, NumberChoiceBox):
                editor.set_value(float(value))
            elif isinstance(editor, QComboBox):
                found = editor.findData(value)
                editor.setCurrentIndex(found if found >= 0 else -1)
            elif isinstance(editor, QDoubleSpinBox | QSpinBox):
                if editor.value() != value:  # not while the user is typing this value
                    editor.setValue(value)
                    editor.selectAll()
            elif isinstance(editor, QLineEdit):
                editor.setText(str(value or ""))
            else:
                super().setEditorData(editor, index)
        finally:
            editor.blockSignals(blocked)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, NumberChoiceBox):
            number = editor.value()
            if number is not None:
                model.setData(index, number, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
            if value is not None:
                model.setData(index, value, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QDoubleSpinBox | QSpinBox):
            editor.interpretText()
            model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape cancels the edit; without this the window's Escape (close) would fire.
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            event.accept()
            return True
        return super().eventFilter(watched, event)
