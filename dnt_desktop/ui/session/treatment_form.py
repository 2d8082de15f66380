"""Conditions treated, pain before and after, adjunct treatments."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models import catalogue
from dnt_desktop.services.drafts import AdjunctDraft, ConditionDraft, SessionDraft
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.widgets.field_errors import FieldErrors
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

from .pain_scale import PainScale

CONDITION_COLUMNS = 3


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "section")
    return label


class ChecklistWithOther(QWidget):
    """Check boxes for catalogue items; the item asking for text enables a text field."""

    changed = Signal()

    def __init__(
        self,
        items: tuple[catalogue.CatalogueItem, ...],
        columns: int,
        other_placeholder: str,
        name: str,
        other_field: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        self.other_code: str | None = None
        self.errors = FieldErrors()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(4)
        self.other_text = LimitedLineEdit(*other_field)
        self.other_text.setPlaceholderText(other_placeholder)
        self.other_text.setAccessibleName(f"{name}: other, which")
        self.other_text.setEnabled(False)
        for i, item in enumerate(items):
            box = QCheckBox(item.label)
            box.setObjectName(f"{name.lower()}_{item.code}")
            box.setAccessibleName(f"{name}: {item.label}")
            box.toggled.connect(lambda _checked: self.changed.emit())
            self.boxes[item.code] = box
            if item.needs_text:
                self.other_code = item.code
                row = QHBoxLayout()
                row.setSpacing(6)
                row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
                row.addWidget(self.errors.add("other", self.other_text), 1)
                grid.addLayout(row, i // columns, i % columns, 1, columns - i % columns)
                box.toggled.connect(self._other_toggled)
            else:
                grid.addWidget(box, i // columns, i % columns)
        self.other_text.textChanged.connect(lambda _text: self.changed.emit())

    def show_problems(self, problems: list[Problem], listed: str) -> None:
        """Show the problems of the *listed* entries ('conditions') by the 'other' text
        (the only one a ticked box can have)."""
        self.errors.show(
            Problem("other", p.message) for p in problems if p.field.startswith(f"{listed}[")
        )

    def _other_toggled(self, checked: bool) -> None:
        self.other_text.setEnabled(checked and not self.other_text.isReadOnly())
        if checked and self.isVisible():
            self.other_text.setFocus()

    def checked(self) -> list[tuple[str, str]]:
        """(code, text) of every ticked item; text only for the 'other' item."""
        result = []
        for code, box in self.boxes.items():
            if box.isChecked():
                text = self.other_text.text() if code == self.other_code else ""
                result.append((code, text))
        return result

    def set_checked(self, entries: list[tuple[str, str]]) -> None:
        """Tick the given (code, text) entries and untick the rest."""
        codes = {code for code, _text in entries}
        for code, box in self.boxes.items():
            box.setChecked(code in codes)
        other = [text for code, text in entries if code == self.other_code]
        self.other_text.setText(other[0] if other else "")
        self.other_text.setEnabled(bool(other))

    def set_read_only(self, read_only: bool) -> None:
        """Lock the ticks and the text."""
        for box in self.boxes.values():
            box.setEnabled(not read_only)
        self.other_text.setReadOnly(read_only)
        other_box = self.boxes.get(self.other_code or "")
        self.other_text.setEnabled(bool(other_box and other_box.isChecked()))


class TreatmentForm(QWidget):
    """The clinical part of the session form."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)

        layout.addWidget(_section("Conditions treated"))
        self.conditions = ChecklistWithOther(
            catalogue.conditions(),
            CONDITION_COLUMNS,
            "Name the condition",
            "Condition",
            ("condition", "other_text"),
        )
        layout.addWidget(self.conditions)

        pain = QGridLayout()
        pain.setContentsMargins(0, 4, 0, 0)
        pain.setHorizontalSpacing(8)
        pain.setVerticalSpacing(2)
        self.pain_before = PainScale("Pain before treatment")
        self.pain_after = PainScale("Pain after treatment")
        for row, (text, scale) in enumerate(
            (("Pain &before:", self.pain_before), ("Pain a&fter:", self.pain_after))
        ):
            label = QLabel(text)
            label.setProperty("role", "section")
            label.setBuddy(scale)
            label.setToolTip("0 = no pain, 10 = worst imaginable; leave empty if not asked")
            pain.addWidget(label, row, 0)
            pain.addWidget(scale, row, 1)
        pain.setColumnStretch(2, 1)
        layout.addLayout(pain)

        layout.addSpacing(4)
        layout.addWidget(_section("Adjunct treatments"))
        adjuncts = catalogue.adjuncts()
        self.adjuncts = ChecklistWithOther(
            adjuncts, len(adjuncts), "Which other treatment", "Adjunct", ("adjunct", "detail")
        )
        layout.addWidget(self.adjuncts)

        layout.addStretch(1)

        for signal in (
            self.conditions.changed,
            self.adjuncts.changed,
            self.pain_before.changed,
            self.pain_after.changed,
        ):
            signal.connect(lambda *_: self.changed.emit())

    def load(self, draft: SessionDraft) -> None:
        """Show the draft's values."""
        self.conditions.set_checked([(c.code, c.other_text) for c in draft.conditions])
        self.pain_before.set_score(draft.pain_before)
        self.pain_after.set_score(draft.pain_after)
        self.adjuncts.set_checked([(a.code, a.detail) for a in draft.adjuncts])

    def fill(self, draft: SessionDraft) -> None:
        """Copy the form's values into *draft*."""
        draft.conditions = [ConditionDraft(code, text) for code, text in self.conditions.checked()]
        draft.pain_before = self.pain_before.score()
        draft.pain_after = self.pain_after.score()
        draft.adjuncts = [AdjunctDraft(code, text) for code, text in self.adjuncts.checked()]

    def show_problems(self, problems: list[Problem]) -> None:
        """Show each problem of a condition or an adjunct next to its text."""
        self.conditions.show_problems(problems, "conditions")
        self.adjuncts.show_problems(problems, "adjuncts")

    def set_read_only(self, read_only: bool) -> None:
        """Lock every field."""
        self.conditions.set_read_only(read_only)
        self.adjuncts.set_read_only(read_only)
        self.pain_before.set_read_only(read_only)
        self.pain_after.set_read_only(read_only)
