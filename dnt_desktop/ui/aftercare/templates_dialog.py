"""Settings → Aftercare texts: edit each text block of the sheet, and the sheet settings."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import PageSize
from dnt_desktop.pdf import render_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import SheetSettings, TemplateSpec
from dnt_desktop.services.clinic_details import CLINIC_ID

from ..context import AppContext
from ..feedback import guarded
from ..style import ERROR_TEXT, MUTED_TEXT
from ..widgets.combo_box import WideComboBox
from ..widgets.window_size import place_window
from .pdf_pages import PdfPages, fit_to_screen

TITLE = "Aftercare texts"
_PAGE_SIZES = ((PageSize.A4, "A4"), (PageSize.LETTER, "US Letter"))


class AftercareTemplatesDialog(QDialog):
    """The sheet's text blocks (list, editor, placeholders, reset) and its settings.

    Nothing is stored until Save; switching blocks keeps every edit.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(TITLE)
        place_window(self, "aftercare_texts", 1040, 720)
        self.specs: tuple[TemplateSpec, ...] = aftercare.template_specs()
        self.stored: dict[str, str] = {}
        self.texts: dict[str, str] = {}
        self.settings = SheetSettings(PageSize.A4, 24, aftercare.DEFAULT_EMERGENCY_INSTRUCTION)
        self._current: str | None = None
        self.preview_dialog: QDialog | None = None
        self.preview_pages: PdfPages | None = None
        self._build()
        self._load()

    # --- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.blocks = QListWidget()
        self.blocks.setMinimumWidth(330)
        self.blocks.setStyleSheet("QListWidget::item { padding: 3px 4px; }")
        for item in self.specs:
            row = QListWidgetItem(item.title)
            row.setData(Qt.ItemDataRole.UserRole, item.key)
            row.setToolTip(item.used)
            self.blocks.addItem(row)
        self.blocks.currentItemChanged.connect(self._show_block)

        self.block_title = QLabel()
        font = self.block_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.block_title.setFont(font)
        self.block_used = QLabel()
        self.block_used.setStyleSheet(f"color: {MUTED_TEXT};")
        self.block_used.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Text of the block")
        self.editor.textChanged.connect(self._edited)
        self.problem = QLabel()
        self.problem.setStyleSheet(f"color: {ERROR_TEXT};")
        self.problem.setWordWrap(True)
        syntax = QLabel(
            "<b>**bold**</b> for bold, a line starting with <b>- </b> for a bullet, "
            "a blank line between paragraphs."
        )
        syntax.setStyleSheet(f"color: {MUTED_TEXT};")
        syntax.setWordWrap(True)
        self.reset_button = QPushButton("Reset to default")
        self.reset_button.setToolTip("Put back the text dnt-desktop came with (saved on Save)")
        self.reset_button.clicked.connect(self.reset_current)

        self.placeholders = QListWidget()
        for name, description in aftercare.PLACEHOLDERS.items():
            row = QListWidgetItem(f"{{{name}}}  –  {description}")
            row.setData(Qt.ItemDataRole.UserRole, name)
            self.placeholders.addItem(row)
        self.placeholders.itemActivated.connect(self._insert_placeholder)
        insert = QPushButton("Insert placeholder")
        insert.clicked.connect(lambda: self._insert_placeholder(self.placeholders.currentItem()))

        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.block_title)
        editor_layout.addWidget(self.block_used)
        editor_layout.addWidget(self.editor, 3)
        editor_layout.addWidget(self.problem)
        row = QHBoxLayout()
        row.addWidget(syntax, 1)
        row.addWidget(self.reset_button)
        editor_layout.addLayout(row)
        editor_layout.addWidget(QLabel("Placeholders (double-click to insert at the cursor):"))
        editor_layout.addWidget(self.placeholders, 2)
        right = QHBoxLayout()
        right.addStretch(1)
        right.addWidget(insert)
        editor_layout.addLayout(right)

        splitter = QSplitter()
        splitter.addWidget(self.blocks)
        splitter.addWidget(editor_box)
        splitter.setStretchFactor(1, 1)

        self.page_size = WideComboBox()
        for value, label in _PAGE_SIZES:
            self.page_size.addItem(label, value)
        self.page_size.setMaximumWidth(180)
        self.alcohol_hours = QSpinBox()
        self.alcohol_hours.setMaximumWidth(180)
        self.alcohol_hours.setRange(1, aftercare.MAX_AVOID_ALCOHOL_HOURS)
        self.alcohol_hours.setSuffix(" hours")
        self.emergency = QPlainTextEdit()
        self.emergency.setFixedHeight(56)
        self.emergency.setAccessibleName("Emergency instruction")
        settings = QGroupBox("Sheet settings")
        form = QFormLayout(settings)
        form.addRow("Page size:", self.page_size)
        form.addRow("Avoid alcohol and caffeine for:", self.alcohol_hours)
        form.addRow("Emergency instruction:", self.emergency)

        self.saved_label = QLabel()
        self.saved_label.setStyleSheet(f"color: {MUTED_TEXT};")
        preview = QPushButton("Preview sample sheet…")
        preview.setToolTip("See a made-up patient's sheet with these texts, before saving")
        preview.clicked.connect(self.preview)
        self.save_button = QPushButton("Save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(preview)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(settings)
        layout.addLayout(buttons)

    # --- state -------------------------------------------------------------------------

    def _load(self) -> None:
        bodies = guarded(self, TITLE, lambda: aftercare.template_bodies(self.ctx.db))
        settings = guarded(self, TITLE, lambda: aftercare.sheet_settings(self.ctx.db))
        if bodies is None or settings is None:
            return
        self.stored = dict(bodies)
        self.texts = dict(bodies)
        self.settings = settings
        self.page_size.setCurrentIndex(max(0, self.page_size.findData(settings.page_size)))
        self.alcohol_hours.setValue(settings.avoid_alcohol_hours)
        self.emergency.setPlainText(settings.emergency_instruction)
        if self.blocks.currentRow() < 0:
            self.blocks.setCurrentRow(0)
        else:
            self._show_block(self.blocks.currentItem(), None)
        self._mark_items()

    def current_settings(self) -> SheetSettings:
        """The sheet settings as edited."""
        return SheetSettings(
            page_size=self.page_size.currentData(),
            avoid_alcohol_hours=self.alcohol_hours.value(),
            emergency_instruction=self.emergency.toPlainText().strip(),
        )

    def changed_texts(self) -> dict[str, str]:
        """Blocks whose text differs from what is stored."""
        return {
            key: text
            for key, text in self.texts.items()
            if aftercare.normalise_body(text) != aftercare.normalise_body(self.stored.get(key, ""))
        }

    def has_changes(self) -> bool:
        """True when something is not saved yet."""
        return bool(self.changed_texts()) or self.current_settings() != self.settings

    def select_block(self, key: str) -> None:
        """Show the block *key* in the editor."""
        for row in range(self.blocks.count()):
            if self.blocks.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.blocks.setCurrentRow(row)
                return
        raise KeyError(key)

    def _show_block(self, item: QListWidgetItem | None, _previous: object) -> None:
        if item is None:
            return
        key = item.data(Qt.ItemDataRole.UserRole)
        spec = aftercare.spec(key)
        self._current = None  # no edit recorded while the text is swapped
        self.block_title.setText(spec.title)
        self.block_used.setText(f"Printed: {spec.used}")
        self.editor.setPlainText(self.texts.get(key, ""))
        self._current = key
        self._update_problem()

    def _edited(self) -> None:
        if self._current is None:
            return
        self.texts[self._current] = self.editor.toPlainText()
        self._update_problem()
        self._mark_items()
        self.saved_label.clear()

    def _update_problem(self) -> None:
        key = self._current
        if key is None:
            return
        text = self.texts.get(key, "")
        messages = []
        unknown = aftercare.unknown_placeholders(text)
        if unknown:
            names = ", ".join(f"{{{n}}}" for n in unknown)
            messages.append(f"Unknown placeholder {names}: it will print exactly as typed.")
        if aftercare.spec(key).required and not text.strip():
            messages.append("This text cannot be empty: write it or reset it to the default.")
        self.problem.setText(" ".join(messages))
        self.problem.setVisible(bool(messages))
        default = aftercare.default_text(key)
        self.reset_button.setEnabled(aftercare.normalise_body(text) != default)

    def _mark_items(self) -> None:
        for row in range(self.blocks.count()):
            item = self.blocks.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            text = aftercare.normalise_body(self.texts.get(key, ""))
            edited = text != aftercare.default_text(key)
            unsaved = text != aftercare.normalise_body(self.stored.get(key, ""))
            title = aftercare.spec(key).title
            item.setText(f"{title}{'  (edited)' if edited else ''}{'  *' if unsaved else ''}")
            font = QFont(item.font())
            font.setBold(unsaved)
            item.setFont(font)

    def _insert_placeholder(self, item: QListWidgetItem | None) -> None:
        if item is None or self._current is None:
            return
        self.editor.insertPlainText(f"{{{item.data(Qt.ItemDataRole.UserRole)}}}")
        self.editor.setFocus()

    # --- actions -----------------------------------------------------------------------

    def preview(self) -> None:
        """Show a made-up patient's sheet with the texts and settings as edited (unsaved)."""
        sheet = guarded(
            self,
            TITLE,
            lambda: aftercare.sample_sheet(
                self.ctx.db, self.ctx.practitioner_name, self.texts, self.current_settings()
            ),
        )
        if sheet is None:
            return
        if self.preview_dialog is None:
            self.preview_dialog = QDialog(self)
            self.preview_dialog.setWindowTitle(f"{TITLE} – sample sheet (not saved)")
            fit_to_screen(self.preview_dialog, 820, 960)
            self.preview_pages = PdfPages(self.preview_dialog)
            QVBoxLayout(self.preview_dialog).addWidget(self.preview_pages)
        self.preview_pages.show_pdf(render_aftercare(sheet))
        self.preview_dialog.show()
        self.preview_dialog.raise_()

    def reset_current(self) -> None:
        """Put the default text of the shown block in the editor (stored on Save)."""
        if self._current is not None:
            self.editor.setPlainText(aftercare.default_text(self._current))

    def save(self) -> bool:
        """Store every edited block and the settings (one audited transaction)."""
        texts = self.changed_texts()
        settings = self.current_settings()
        settings_changed = settings != self.settings
        if not texts and not settings_changed:
            self.saved_label.setText("Nothing to save.")
            return True
        result = guarded(
            self,
            TITLE,
            lambda: aftercare.save_templates(
                self.ctx.db,
                self.ctx.practitioner_id,
                texts,
                settings if settings_changed else None,
            ),
        )
        if result is None:
            return False
        if texts:
            self.ctx.hub.notify("template")
        if settings_changed:
            self.ctx.hub.notify("clinic", CLINIC_ID)
        self._load()
        self.saved_label.setText("Saved. The next sheets use these texts.")
        return True

    def _may_close(self) -> bool:
        """True when nothing is unsaved, or the user saved or discarded it."""
        if not self.has_changes():
            return True
        answer = QMessageBox.question(
            self,
            TITLE,
            "Save your changes to the aftercare texts?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        """Close (Escape, Close button), offering to save unsaved edits first."""
        if self._may_close():
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button: as reject, never dropping edits silently."""
        if self._may_close():
            event.accept()
            super().reject()
        else:
            event.ignore()


def open_aftercare_templates(ctx: AppContext, parent: QWidget | None = None) -> None:
    """Show the aftercare texts settings as a modal dialog."""
    dialog = AftercareTemplatesDialog(ctx, parent)
    dialog.exec()
    dialog.deleteLater()
