"""New session for a patient with earlier sessions: start from one of them, or blank.

The last session is highlighted, so Enter copies it forward; the arrows pick another.
What is copied is listed in the dialog (conditions, points, adjuncts) and what is never
copied too (pain scores, side effects, notes), so the practitioner knows what to check.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.dates import format_date
from dnt_desktop.services.sessions import HistoryRow

EXPLANATION = (
    "Start from an earlier session? Its conditions, points (muscle, side, depth, needle, "
    "technique) and adjuncts are copied as a draft for you to confirm or change. Pain "
    "scores, side effects and notes are never copied."
)


def session_line(row: HistoryRow) -> str:
    """'12 Nov 2026 · 5 points · Neck pain · Sarah Okafor · signed'."""
    points = "1 point" if row.point_count == 1 else f"{row.point_count} points"
    parts = [format_date(row.started_at.date()), points]
    if row.conditions:
        parts.append(row.conditions)
    parts += [row.practitioner, row.status.value]
    return " · ".join(parts)


class CopyForwardDialog(QDialog):
    """Choose the session to copy forward (``copy_requested``) or a blank one."""

    copy_requested = Signal(int)
    """Copy forward from this session id."""
    blank_requested = Signal()
    """Start a blank session."""

    def __init__(self, patient_name: str, history: list[HistoryRow], parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("copy_forward_dialog")
        self.setWindowTitle(f"New session – {patient_name}")
        self.setAccessibleName("New session: copy forward")
        layout = QVBoxLayout(self)
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        layout.addWidget(explanation)
        label = QLabel("&Earlier sessions (newest first):")
        layout.addWidget(label)
        self.sessions = QListWidget()
        self.sessions.setObjectName("copy_forward_sessions")
        self.sessions.setAccessibleName("Earlier sessions")
        self.sessions.setAccessibleDescription(EXPLANATION)
        label.setBuddy(self.sessions)
        for row in history:
            item = QListWidgetItem(session_line(row))
            item.setData(Qt.ItemDataRole.UserRole, row.session_id)
            item.setToolTip(item.text())
            self.sessions.addItem(item)
        self.sessions.setCurrentRow(0)
        visible = min(max(len(history), 3), 8)
        self.sessions.setMinimumHeight(self.sessions.sizeHintForRow(0) * visible + 8)
        self.sessions.setMinimumWidth(min(max(self.sessions.sizeHintForColumn(0) + 30, 420), 900))
        layout.addWidget(self.sessions, 1)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton("&Copy forward")
        self.copy_button.setDefault(True)
        self.copy_button.setAccessibleName("Copy the highlighted session forward")
        self.blank_button = QPushButton("&Blank session")
        self.blank_button.setAccessibleName("Start a blank session")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.blank_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self._copy)
        self.blank_button.clicked.connect(self._blank)
        buttons.rejected.connect(self.reject)
        self.sessions.itemActivated.connect(lambda _item: self._copy())
        self.sessions.setFocus()

    def chosen_session(self) -> int | None:
        """The highlighted session's id."""
        item = self.sessions.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _copy(self) -> None:
        session_id = self.chosen_session()
        if session_id is None:
            return
        self.accept()
        self.copy_requested.emit(session_id)

    def _blank(self) -> None:
        self.accept()
        self.blank_requested.emit()
