"""Amendments to a signed session: the dialog to write one, the list that shows them and
the panel under a signed session that holds the list."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.dates import format_datetime
from dnt_desktop.services.records import MAX_AMENDMENT_LENGTH, AmendmentView
from dnt_desktop.ui import style
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit


class AmendmentDialog(QDialog):
    """Write a correction or addition to a signed session.

    ``text_entered`` hands the text to the caller, who answers with ``show_error`` (the
    dialog stays open and keeps the text) or ``accept``.
    """

    text_entered = Signal(str)

    def __init__(self, session_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendment_dialog")
        self.setWindowTitle("Add amendment")
        self.setMinimumSize(520, 320)
        intro = QLabel(
            f"<b>{escape(session_label)}</b><br>The signed session stays exactly as it was "
            "signed. Your amendment is added under it with your name and the time, and "
            "cannot be changed afterwards."
        )
        intro.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("amendment_text")
        self.text.setAccessibleName("Amendment text")
        self.text.setPlaceholderText(
            "e.g. Correction: the point recorded as right upper trapezius was on the left."
        )
        self.text.setTabChangesFocus(True)
        self.counter = QLabel()
        self.counter.setProperty("role", "hint")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.message = error_label()
        self.message.setObjectName("amendment_message")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("&Add amendment")
        self.buttons.accepted.connect(lambda: self.text_entered.emit(self.text.toPlainText()))
        self.buttons.rejected.connect(self.reject)
        self.text.textChanged.connect(self._count)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(intro)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self._count()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def _count(self) -> None:
        length = len(self.text.toPlainText().strip())
        self.counter.setText(f"{length:,} / {MAX_AMENDMENT_LENGTH:,} characters")
        self.save_button.setEnabled(0 < length <= MAX_AMENDMENT_LENGTH)

    def show_error(self, text: str) -> None:
        """Say why the amendment was not added; the text stays for another try."""
        self.message.setText(f"Not added: {text}")
        self.message.setVisible(bool(text))
        grow_dialog_to_fit(self.message)


def amendments_html(items: list[AmendmentView]) -> str:
    """The amendments as a small HTML document, oldest first."""
    if not items:
        return f"<p style='color:{style.MUTED_TEXT}'>No amendments.</p>"
    parts = []
    for number, item in enumerate(items, start=1):
        body = escape(item.text).replace("\n", "<br>")
        parts.append(
            f"<p style='margin:0 0 6px 0'><b>{number}. {escape(format_datetime(item.created_at))}"
            f" – {escape(item.author_name)}</b><br>{body}</p>"
        )
    return "".join(parts)


class AmendmentsList(QTextBrowser):
    """The amendments of one session with author and time (read-only, selectable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendments_list")
        self.setAccessibleName("Amendments")
        self.setOpenLinks(False)
        self.items: list[AmendmentView] = []
        self.set_amendments([])

    def set_amendments(self, items: list[AmendmentView]) -> None:
        """Show *items* (oldest first)."""
        self.items = list(items)
        self.setHtml(amendments_html(self.items))


class AmendmentsPanel(QFrame):
    """Under a signed session: its amendments with author and time, and "Add amendment…"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("amendments_panel")
        self.setStyleSheet(
            "#amendments_panel { background: #ffffff; border: 1px solid #c9d1db; "
            "border-radius: 6px; }"
        )
        self.title = QLabel("Amendments")
        self.title.setProperty("role", "section")
        self.add_button = QPushButton("Add &amendment…")
        self.add_button.setToolTip("Add a correction or addition to this signed session")
        self.list = AmendmentsList()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setFixedHeight(120)
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.list)
        self.setVisible(False)

    def set_amendments(self, items: list[AmendmentView]) -> None:
        """Show *items* (the list is hidden while there are none)."""
        self.title.setText(f"Amendments ({len(items)})" if items else "Amendments: none")
        self.list.set_amendments(items)
        self.list.setVisible(bool(items))
