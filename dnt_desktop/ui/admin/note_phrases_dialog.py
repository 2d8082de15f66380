"""Administrators edit the clinic's note phrases: one phrase a line."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.note_phrases import note_phrases, save_note_phrases
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.labels import InfoLabel


class NotePhrasesDialog(QDialog):
    """The clinic's phrases, inserted into the session notes with Ctrl+Space."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("note_phrases_dialog")
        self.setWindowTitle("Note phrases")
        layout = QVBoxLayout(self)
        label = QLabel(
            "Short phrases practitioners insert into the session notes with Ctrl+Space, "
            "one a line, in the order they are offered:"
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("note_phrases_text")
        self.editor.setAccessibleName("Note phrases, one a line")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumSize(520, 260)
        label.setBuddy(self.editor)
        stored = guarded(self, "Note phrases", lambda: note_phrases(ctx.db)) or []
        self.editor.setPlainText("\n".join(stored))
        layout.addWidget(self.editor, 1)
        self.message = InfoLabel(name="Why the phrases were not saved")
        self.message.setProperty("role", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> bool:
        """Save the list (blank lines and repeats dropped); the dialog closes when saved."""
        lines = self.editor.toPlainText().splitlines()
        try:
            changes = save_note_phrases(self._ctx.db, self._ctx.practitioner_id, lines)
        except ValidationError as exc:
            self.message.setText("Not saved: " + " ".join(p.message for p in exc.problems))
            self.message.setVisible(True)
            return False
        except (ServiceError, StorageError) as exc:
            self.message.setText(f"Not saved: {exc}")
            self.message.setVisible(True)
            return False
        self._ctx.hub.publish(changes)
        self.accept()
        return True
