"""Recording side effects: a table with Add/Remove, and a warning for serious events."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import Onset, Severity
from dnt_desktop.services.drafts import SideEffectDraft
from dnt_desktop.services.rules import PNEUMOTHORAX
from dnt_desktop.ui.widgets.column_fit import CELL_PADDING, Column, ColumnFit
from dnt_desktop.ui.widgets.editable_table import EditableTableView
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

from .delegates import TableDelegate, choice_box
from .side_effects_model import EffectColumn, SideEffectsModel, effect_label

Index = QModelIndex | QPersistentModelIndex

PNEUMOTHORAX_TEXT = (
    "A pneumothorax is a medical emergency.\n\n"
    "Arrange emergency care now (call an ambulance if the patient is short of breath), "
    "and tell the emergency team that the patient had dry needling and where.\n\n"
    "Report it as a serious adverse event, and record what was done in 'Action taken'."
)
SERIOUS_TEXT = (
    "This is a serious adverse event: make sure the patient gets the medical care needed, "
    "record what was done in 'Action taken', and report it as a serious adverse event."
)


_TEXT_EDITORS = {
    EffectColumn.OTHER_TEXT: "description",
    EffectColumn.ACTION_TAKEN: "action",
    EffectColumn.NOTES: "notes",
}
"""The free-text columns and the names their editors have always had."""


class SideEffectDelegate(TableDelegate):
    """Editors of the side-effect columns."""

    one_line_columns = frozenset(
        {EffectColumn.OTHER_TEXT, EffectColumn.ACTION_TAKEN, EffectColumn.NOTES}
    )

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> QWidget | None:
        column = EffectColumn(index.column())
        if column == EffectColumn.CODE:
            items = [(item.label, item.code) for item in catalogue.side_effect_types()]
            return self.prepare(choice_box(parent, items), "side_effect_type_editor")
        if column == EffectColumn.SEVERITY:
            items = [(s.value.capitalize(), s) for s in Severity]
            return self.prepare(choice_box(parent, items), "severity_editor")
        if column == EffectColumn.ONSET:
            items = [("During treatment", Onset.DURING), ("After treatment", Onset.AFTER)]
            return self.prepare(choice_box(parent, items), "onset_editor")
        if column in _TEXT_EDITORS:
            editor = LimitedLineEdit("side_effect", column.field, parent)
            return self.prepare(editor, f"side_effect_{_TEXT_EDITORS[column]}_editor")
        return None


class SideEffectsPane(QWidget):
    """The side-effect table with its buttons and problems line."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_only = False
        self.serious_box: QMessageBox | None = None
        self.model = SideEffectsModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.table = EditableTableView()
        self.table.setObjectName("side_effect_table")
        self.table.setAccessibleName("Side effects")
        self.table.setAccessibleDescription(
            "One row per side effect. Arrow keys move between cells, F2 or typing edits a "
            "cell, Tab moves on to the next control."
        )
        self.table.setModel(self.model)
        self.table.setItemDelegate(SideEffectDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)  # a side effect's name wraps at a word, never cut
        rows = self.table.verticalHeader()
        rows.setVisible(False)
        rows.setMinimumSectionSize(26)
        rows.setDefaultSectionSize(26)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        metrics = self.table.fontMetrics()

        def wide(*texts: str) -> int:
            return max(metrics.horizontalAdvance(text) for text in texts) + CELL_PADDING

        types = [item.label for item in catalogue.side_effect_types()]
        self.columns = ColumnFit(
            self.table,
            {
                EffectColumn.CODE: Column(natural=wide(*types, "Choose the type…"), minimum=110),
                EffectColumn.OTHER_TEXT: Column(natural=120, minimum=80),
                EffectColumn.SEVERITY: Column(natural=wide("Moderate")),
                EffectColumn.ONSET: Column(natural=wide("During treatment"), minimum=80),
                EffectColumn.RESOLVED: Column(natural=wide("Yes") + 22),
                EffectColumn.ACTION_TAKEN: Column(natural=150, minimum=80),
                EffectColumn.NOTES: Column(natural=100, minimum=60),
            },
            stretch=EffectColumn.NOTES,
        )
        layout.addWidget(self.table, 1)
        self.message_label = QLabel()
        self.message_label.setObjectName("side_effect_problems")
        self.message_label.setProperty("role", "error")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)
        layout.addWidget(self.message_label)
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add side effect")
        self.add_button.setAccessibleName("Add a side effect")
        self.remove_button = QPushButton("Remove side effect")
        self.remove_button.setAccessibleName("Remove the selected side effect")
        self.hint = QLabel("Record every adverse event, however mild.")
        self.hint.setProperty("role", "hint")
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        buttons.addWidget(self.hint)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_effect)
        self.remove_button.clicked.connect(self.remove_selected)
        delete = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.problems_changed.connect(self._update_problems)
        self.model.serious_event_recorded.connect(self.warn_serious_event)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(lambda *_: self.changed.emit())
        self._update_buttons()

    def add_effect(self) -> int | None:
        """Add a row and open its type list; returns the row."""
        if self._read_only:
            return None
        row = self.model.add_effect()
        index = self.model.index(row, EffectColumn.CODE)
        self.table.setCurrentIndex(index)
        self.table.setFocus()
        self.table.edit(index)
        return row

    def remove_selected(self) -> None:
        """Remove the selected side effect."""
        rows = {index.row() for index in self.table.selectionModel().selectedIndexes()}
        if rows and not self._read_only:
            self.model.remove_effect(min(rows))

    def warn_serious_event(self, code: str) -> None:
        """Tell the practitioner at once what a serious adverse event requires."""
        box = QMessageBox(self.window())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Serious adverse event")
        label = effect_label(code) or code
        box.setText(f"<b>{label} recorded: serious adverse event</b>")
        box.setInformativeText(PNEUMOTHORAX_TEXT if code == PNEUMOTHORAX else SERIOUS_TEXT)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("serious_event_warning")
        self.serious_box = box
        box.open()

    def set_effects(self, effects: list[SideEffectDraft]) -> None:
        """Show stored side effects (no warnings for what was recorded before)."""
        self.model.set_effects(effects)

    def effects(self) -> list[SideEffectDraft]:
        """The side effects as recorded."""
        return self.model.effects()

    def set_read_only(self, read_only: bool) -> None:
        """Lock the table and the buttons (a signed session)."""
        self._read_only = read_only
        self.model.set_read_only(read_only)
        self.add_button.setEnabled(not read_only)
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        self.hint.setText(
            "Read-only." if read_only else "Record every adverse event, however mild."
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedIndexes())
        self.remove_button.setEnabled(selected and not self._read_only)

    def _update_problems(self) -> None:
        text = self.model.problem_text()
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))
