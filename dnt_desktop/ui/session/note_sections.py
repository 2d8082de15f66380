"""The session's notes: Subjective, Objective, Assessment and Plan, each optional, and
other notes; the clinic's short phrases are inserted into them from the keyboard.

The sections are the session's fields declared ``signed_when_set`` in ``drafts`` (the note
sections); "Other notes" is ``notes``, which holds all of a session's notes from before
the sections. **Ctrl+Space** (or the "Insert phrase" button) in a notes box opens the
clinic's phrases: arrows or the first letter pick one, Enter inserts it at the cursor.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.drafts import SessionDraft, spec_of
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.widgets.field_errors import FieldErrors
from dnt_desktop.ui.widgets.limited_text import LimitedPlainTextEdit, with_counter

SECTIONS = tuple(f.name for f in fields(SessionDraft) if spec_of(f).signed_when_set)
"""The note sections, in declaration order (subjective, objective, assessment, plan)."""
TITLES = {
    "subjective": ("Subjective", "What the patient reports: symptoms, response since last visit"),
    "objective": ("Objective", "Findings: palpation, range of motion, tests"),
    "assessment": ("Assessment", "Your assessment and the response to treatment"),
    "plan": ("Plan", "Plan: next treatment, home exercises, referral"),
    "notes": ("Other notes", "Any other notes"),
}
PHRASE_KEY = "Ctrl+Space"


class ClinicalNotes(QWidget):
    """The note sections and other notes of a session, with the clinic's phrases."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._phrases: list[str] = []
        self.phrase_menu: QMenu | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 0)
        layout.setSpacing(2)
        heading = QHBoxLayout()
        label = QLabel("Clinical &notes")
        label.setProperty("role", "section")
        heading.addWidget(label)
        heading.addStretch(1)
        self.phrase_button = QPushButton("Insert p&hrase…")
        self.phrase_button.setObjectName("insert_phrase")
        self.phrase_button.setToolTip(
            f"Insert one of the clinic's phrases at the cursor ({PHRASE_KEY} in a notes box)"
        )
        self.phrase_button.setAccessibleName("Insert phrase")
        self.phrase_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Ctrl+Space in the box
        heading.addWidget(self.phrase_button)
        layout.addLayout(heading)
        self.errors = FieldErrors()
        self.boxes: dict[str, LimitedPlainTextEdit] = {}
        for name in (*SECTIONS, "notes"):
            title, hint = TITLES.get(name, (name.title(), name.title()))
            caption = QLabel(title)
            layout.addWidget(caption)
            box = LimitedPlainTextEdit("session", name)
            box.setObjectName(f"session_{name}")
            box.setAccessibleName(title)
            box.setAccessibleDescription(f"{hint}. {PHRASE_KEY} inserts a phrase.")
            box.setPlaceholderText(hint + "…")
            box.setTabChangesFocus(True)
            box.setMinimumHeight(46)
            caption.setBuddy(box)
            row = with_counter(box, self.errors.add(name, box))
            row.layout().setStretch(0, 1)
            layout.addWidget(row, 1)
            box.textChanged.connect(self.changed.emit)
            shortcut = QShortcut(QKeySequence(PHRASE_KEY), box)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda b=box: self.open_phrases(b))
            self.boxes[name] = box
        label.setBuddy(self.boxes[SECTIONS[0]])
        self.notes = self.boxes["notes"]
        self._last = self.boxes[SECTIONS[0]]
        for box in self.boxes.values():
            box.installEventFilter(self)
        self.phrase_button.clicked.connect(lambda: self.open_phrases(self._last))

    def eventFilter(self, watched, event) -> bool:  # type: ignore[no-untyped-def]
        if event.type() == event.Type.FocusIn and watched in self.boxes.values():
            self._last = watched
        return False

    def set_phrases(self, phrases: list[str]) -> None:
        """The clinic's phrases offered by Ctrl+Space."""
        self._phrases = list(phrases)

    def open_phrases(self, box: LimitedPlainTextEdit) -> QMenu:
        """Open the phrase list under the cursor of *box*; the chosen one is inserted."""
        menu = QMenu(self)
        menu.setObjectName("phrase_menu")
        menu.setAccessibleName("Phrases")
        if not self._phrases:
            empty = menu.addAction("No phrases yet (an administrator adds them)")
            empty.setEnabled(False)
        for phrase in self._phrases:
            action = menu.addAction(phrase.replace("&", "&&"))
            action.triggered.connect(lambda _=False, p=phrase, b=box: self.insert_phrase(b, p))
        self.phrase_menu = menu
        if not box.isReadOnly():
            box.setFocus()
            where = box.mapToGlobal(box.cursorRect().bottomLeft() + QPoint(0, 2))
            menu.popup(where)
            if menu.actions():
                menu.setActiveAction(menu.actions()[0])
        return menu

    def insert_phrase(self, box: LimitedPlainTextEdit, phrase: str) -> None:
        """Insert *phrase* at the cursor of *box*, with a space before it when needed."""
        if box.isReadOnly():
            return
        cursor = box.textCursor()
        before = box.toPlainText()[: cursor.position()]
        text = phrase if not before or before[-1] in " \n" else " " + phrase
        box.insertPlainText(text)
        box.setFocus()

    def load(self, draft: SessionDraft) -> None:
        """Show the draft's notes."""
        for name, box in self.boxes.items():
            box.setPlainText(getattr(draft, name))

    def fill(self, draft: SessionDraft) -> None:
        """Copy the notes into *draft*."""
        for name, box in self.boxes.items():
            setattr(draft, name, box.toPlainText())

    def show_problems(self, problems: list[Problem]) -> None:
        """Show a problem of the notes under the box it concerns."""
        self.errors.show(p for p in problems if p.field in self.boxes)

    def set_read_only(self, read_only: bool) -> None:
        """Lock the notes."""
        for box in self.boxes.values():
            box.setReadOnly(read_only)
        self.phrase_button.setEnabled(not read_only)
