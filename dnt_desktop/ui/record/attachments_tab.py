"""The chart's Files tab: the patient's attachments, added by drag and drop or a file
dialog, and shown in the app's own viewer (never opened by another program)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.attachments import (
    KINDS,
    AttachmentInfo,
    add_attachment,
    attachment_data,
    attachments,
)
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.file_types import MAX_ATTACHMENT_BYTES, size_text
from dnt_desktop.services.rules import Problem
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded, guarded_form
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.field_errors import error_label
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit
from dnt_desktop.ui.widgets.list_table import fit_columns, highlighted, list_table

from .attachment_viewer import AttachmentViewer

FILE_FILTER = "Scans and photos (*.pdf *.jpg *.jpeg *.png *.PDF *.JPG *.JPEG *.PNG)"
ADDABLE_KINDS = tuple(code for code in KINDS if code != "signature")


def read_file(path: Path) -> bytes:
    """The file's bytes, at most one byte past the limit (so a huge file is not read)."""
    with path.open("rb") as handle:
        return handle.read(MAX_ATTACHMENT_BYTES + 1)


class AttachmentsTab(QWidget):
    """Attachments newest first; Add file…, drop files on the tab, View."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_id: int | None = None
        self.archived = False
        self._rows: list[AttachmentInfo] = []
        self.viewer: AttachmentViewer | None = None
        self.setAcceptDrops(True)

        self.kind = WideComboBox()
        self.kind.setAccessibleName("Kind of document")
        for code in ADDABLE_KINDS:
            self.kind.addItem(KINDS[code], code)
        self.description = LimitedLineEdit("attachment", "description")
        self.description.setAccessibleName("Description of the file")
        self.description.setPlaceholderText("optional, e.g. from Dr Shah")
        self.add_button = QPushButton("Add fil&e…")
        self.add_button.setProperty("primary", True)
        self.add_button.setAccessibleName("Add a file")
        self.add_button.clicked.connect(self.choose_files)
        self.view_button = QPushButton("Vie&w")
        self.view_button.setAccessibleName("View the selected file")
        self.view_button.clicked.connect(self.view_selected)
        self.message = error_label()
        hint = QLabel(
            "Drop PDF, JPEG or PNG files here, or choose them with Add file… "
            "(up to 20 MB each; shown only inside dnt-desktop)."
        )
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self.table = list_table(
            ["Added", "Kind", "File", "Type", "Size", "Added by", "Description"],
            "Files kept with the record",
        )
        fit_columns(self.table, 6)
        self.table.doubleClicked.connect(lambda *_: self.view_selected())
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())

        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Ki&nd:"))
        add_row.itemAt(0).widget().setBuddy(self.kind)  # type: ignore[union-attr]
        add_row.addWidget(self.kind)
        description_label = QLabel("Descrip&tion:")
        description_label.setBuddy(self.description)
        add_row.addWidget(description_label)
        add_row.addWidget(self.description, 1)
        add_row.addWidget(self.add_button)
        list_row = QHBoxLayout()
        list_row.addWidget(self.message, 1)
        list_row.addStretch(0)
        list_row.addWidget(self.view_button, 0, Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        layout.addLayout(add_row)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(list_row)
        self._update_buttons()

    # --- list ----------------------------------------------------------------------------

    def show_patient(self, patient_id: int, archived: bool = False) -> None:
        """Load the patient's attachments, newest first."""
        if patient_id != self.patient_id:
            self.message.clear()
        self.patient_id = patient_id
        self.archived = archived
        rows = guarded(self, "Files", lambda: attachments(self.ctx.db, patient_id))
        self._rows = rows or []
        self.table.setRowCount(len(self._rows))
        for number, info in enumerate(self._rows):
            values = (
                format_date(info.added_at.astimezone().date()),
                info.kind_label,
                info.filename,
                info.type_label,
                size_text(info.size),
                info.added_by,
                info.description,
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(number, column, item)
        if self._rows:
            self.table.setCurrentCell(0, 0)
        self.add_button.setEnabled(not archived)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.view_button.setEnabled(self.selected() is not None)

    def selected(self) -> AttachmentInfo | None:
        """The attachment highlighted in the list."""
        return highlighted(self.table, self._rows)

    # --- adding --------------------------------------------------------------------------

    def choose_files(self) -> None:
        """Ask for files with the file dialog and add them."""
        names, _filter = QFileDialog.getOpenFileNames(
            self, "Add files to the record", "", FILE_FILTER
        )
        self.add_files([Path(name) for name in names])

    def add_files(self, paths: list[Path]) -> int:
        """Add each file of *paths*; returns how many were added (problems are shown)."""
        patient_id = self.patient_id
        if patient_id is None or not paths:
            return 0
        if self.archived:
            self._show(["This record is archived: restore it before adding files."])
            return 0
        kind = str(self.kind.currentData())
        description = self.description.text()
        added, problems = 0, []
        for path in paths:
            try:
                data = read_file(path)
            except OSError as exc:
                problems.append(f"{path.name} cannot be read: {exc.strerror or exc}.")
                continue
            found: list[Problem] = []

            def add(path: Path = path, data: bytes = data) -> Changes:
                return add_attachment(
                    self.ctx.db,
                    self.ctx.practitioner_id,
                    patient_id,
                    path.name,
                    data,
                    kind=kind,
                    description=description,
                )

            changes = guarded_form(self, "Add file", add, found.extend)
            if changes is None:
                problems += [problem.message for problem in found]
                continue
            added += 1
            self.ctx.hub.publish(changes)
        if added:
            self.description.clear()
        self._show(problems)
        return added

    def _show(self, problems: list[str]) -> None:
        self.message.setText("\n".join(problems))
        self.message.setVisible(bool(problems))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and self.patient_id is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        event.acceptProposedAction()
        self.add_files(paths)

    # --- viewing -------------------------------------------------------------------------

    def view_selected(self) -> AttachmentViewer | None:
        """Show the highlighted attachment in the app's viewer."""
        info = self.selected()
        if info is None:
            return None
        found = guarded(
            self,
            "View file",
            lambda: attachment_data(self.ctx.db, self.ctx.practitioner_id, info.id),
        )
        if found is None:
            return None
        self.viewer = AttachmentViewer(*found, parent=self)
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.show()
        return self.viewer


__all__ = ["AttachmentsTab"]
