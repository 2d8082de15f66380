"""Settings → Aftercare texts: edit each text block of the sheet in each language, the
languages' review status, and the sheet settings."""

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
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.models.enums import PageSize
from dnt_desktop.pdf import build_aftercare
from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import SheetSettings, TemplateSpec, TextSet
from dnt_desktop.services.changes import AFTERCARE_TEXTS_CHANGED, Changes

from ..context import AppContext
from ..feedback import guarded
from ..script_fonts import ensure_script_fonts
from ..style import CAUTION_BACKGROUND, CAUTION_TEXT, ERROR_TEXT, MUTED_TEXT, OK_TEXT
from ..widgets.combo_box import WideComboBox
from ..widgets.limited_text import LimitedPlainTextEdit, with_counter
from ..widgets.window_size import place_window
from .language_dialogs import AddLanguageDialog, ReviewDialog
from .pdf_pages import PdfPages, fit_to_screen

TITLE = "Aftercare texts"
_PAGE_SIZES = ((PageSize.A4, "A4"), (PageSize.LETTER, "US Letter"))


class AftercareTemplatesDialog(QDialog):
    """The sheet's text blocks of one language (list, editor, placeholders, reset), the
    language's review status, and the sheet settings.

    Nothing is stored until Save; switching blocks keeps every edit; switching languages
    asks about unsaved edits first.
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ensure_script_fonts()
        self.ctx = ctx
        self.setWindowTitle(TITLE)
        place_window(self, "aftercare_texts", 1040, 720)
        self.text_set: TextSet = aftercare.ENGLISH
        self.specs: tuple[TemplateSpec, ...] = aftercare.specs_for(translation=False)
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
        self.language = WideComboBox()
        self.language.setAccessibleName("Language of the texts")
        self.language.setSizeAdjustPolicy(WideComboBox.SizeAdjustPolicy.AdjustToContents)
        self.language.activated.connect(self._language_chosen)
        language_label = QLabel("&Language:")
        language_label.setBuddy(self.language)
        self.review_status = QLabel()
        self.review_status.setObjectName("reviewStatus")
        self.review_status.setWordWrap(True)
        self.review_button = QPushButton("Review status…")
        self.review_button.setToolTip(
            "Record that a clinician who reads the language reviewed these texts"
        )
        self.review_button.clicked.connect(self.edit_review)
        add_language = QPushButton("Add a language…")
        add_language.setToolTip("Start a new language from a copy of a set of texts")
        add_language.clicked.connect(self.add_language)
        languages = QHBoxLayout()
        languages.addWidget(language_label)
        languages.addWidget(self.language)
        languages.addWidget(self.review_status, 1)
        languages.addWidget(self.review_button)
        languages.addWidget(add_language)

        self.blocks = QListWidget()
        self.blocks.setMinimumWidth(330)
        self.blocks.setStyleSheet("QListWidget::item { padding: 3px 4px; }")
        self._fill_blocks()
        self.blocks.currentItemChanged.connect(self._show_block)

        self.block_title = QLabel()
        font = self.block_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.block_title.setFont(font)
        self.block_used = QLabel()
        self.block_used.setStyleSheet(f"color: {MUTED_TEXT};")
        self.block_used.setWordWrap(True)
        self.editor = LimitedPlainTextEdit("aftercare_text", "block")
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
        self._fill_placeholders(None)
        self.placeholders.itemActivated.connect(self._insert_placeholder)
        insert = QPushButton("Insert placeholder")
        insert.clicked.connect(lambda: self._insert_placeholder(self.placeholders.currentItem()))

        editor_box = QWidget()
        editor_layout = QVBoxLayout(editor_box)
        editor_layout.setContentsMargins(0, 0, 0, 0)
        editor_layout.addWidget(self.block_title)
        editor_layout.addWidget(self.block_used)
        editor_layout.addWidget(self.editor, 3)
        editor_layout.addWidget(self.editor.counter)
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
        self.emergency = LimitedPlainTextEdit("clinic", "emergency_instruction")
        self.emergency.setFixedHeight(56)
        self.emergency.setAccessibleName("Emergency instruction")
        settings = QGroupBox("Sheet settings")
        form = QFormLayout(settings)
        form.addRow("Page size:", self.page_size)
        form.addRow("Avoid alcohol and caffeine for:", self.alcohol_hours)
        form.addRow("Emergency instruction:", with_counter(self.emergency))

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
        layout.addLayout(languages)
        layout.addWidget(splitter, 1)
        layout.addWidget(settings)
        layout.addLayout(buttons)

    # --- state -------------------------------------------------------------------------

    def _fill_blocks(self) -> None:
        """The blocks of the current language's set in the list (names only in translations)."""
        self.blocks.blockSignals(True)
        self.blocks.clear()
        for item in self.specs:
            row = QListWidgetItem(item.title)
            row.setData(Qt.ItemDataRole.UserRole, item.key)
            row.setToolTip(item.used)
            self.blocks.addItem(row)
        self.blocks.blockSignals(False)

    def _fill_placeholders(self, spec: TemplateSpec | None) -> None:
        """The placeholders the shown block may use (a fixed word has its own, names none)."""
        self.placeholders.clear()
        if spec is not None and spec.kind != "text":
            names = {name: "filled in by dnt-desktop" for name in spec.placeholders}
        else:
            names = aftercare.PLACEHOLDERS
        for name, description in names.items():
            row = QListWidgetItem(f"{{{name}}}  –  {description}")
            row.setData(Qt.ItemDataRole.UserRole, name)
            self.placeholders.addItem(row)

    def _fill_languages(self) -> None:
        sets = guarded(self, TITLE, lambda: aftercare.text_sets(self.ctx.db))
        if sets is None:
            return
        self.language.clear()
        for text_set in sets:
            self.language.addItem(text_set.label, text_set.code)
            if text_set.code == self.text_set.code:
                self.text_set = text_set
        self.language.setCurrentIndex(max(0, self.language.findData(self.text_set.code)))
        review = self.text_set.review.describe()
        if self.text_set.translation:
            review = review.replace("the language", self.text_set.name)
            colour = OK_TEXT if self.text_set.review.reviewed else ERROR_TEXT
        else:
            review, colour = "The original texts (not a translation).", MUTED_TEXT
        self.review_status.setText(review)
        self.review_status.setStyleSheet(f"color: {colour};")
        self.review_button.setEnabled(self.text_set.translation)

    def _default(self, key: str) -> str:
        return aftercare.default_text(key, self.text_set.defaults)

    def _load(self) -> None:
        self._fill_languages()
        code = self.text_set.code
        bodies = guarded(self, TITLE, lambda: aftercare.template_bodies(self.ctx.db, code))
        settings = guarded(self, TITLE, lambda: aftercare.sheet_settings(self.ctx.db))
        if bodies is None or settings is None:
            return
        specs = aftercare.specs_for(self.text_set.translation)
        if specs != self.specs:
            self.specs = specs
            self._fill_blocks()
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
        used = f"Printed: {spec.used}"
        if spec.kind == "names":
            used += " One line per name: the English name, '=', the name in this language."
        self.block_used.setText(used)
        self._fill_placeholders(spec)
        field = spec.kind if spec.kind in ("words", "names") else "block"
        self.editor.set_field("aftercare_text", "title" if key == "title" else field)
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
        unknown = aftercare.unknown_placeholders(text, key)
        if unknown:
            names = ", ".join(f"{{{n}}}" for n in unknown)
            messages.append(f"Unknown placeholder {names}: it will print exactly as typed.")
        messages += [p.message for p in aftercare.template_problems({key: text})]
        self.problem.setText(" ".join(messages))
        self.problem.setVisible(bool(messages))
        default = self._default(key)
        self.reset_button.setEnabled(aftercare.normalise_body(text) != default)

    def _mark_items(self) -> None:
        for row in range(self.blocks.count()):
            item = self.blocks.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            text = aftercare.normalise_body(self.texts.get(key, ""))
            edited = text != self._default(key)
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
                self.ctx.db,
                self.ctx.practitioner_name,
                self.texts,
                self.current_settings(),
                self.text_set.code,
            ),
        )
        if sheet is None:
            return
        if self.preview_dialog is None:
            self.preview_dialog = QDialog(self)
            self.preview_dialog.setWindowTitle(f"{TITLE} – sample sheet (not saved)")
            fit_to_screen(self.preview_dialog, 820, 960)
            self.preview_pages = PdfPages(self.preview_dialog)
            self.preview_warning = QLabel()
            self.preview_warning.setWordWrap(True)
            self.preview_warning.setStyleSheet(
                f"background: {CAUTION_BACKGROUND}; color: {CAUTION_TEXT}; padding: 6px 8px;"
            )
            box = QVBoxLayout(self.preview_dialog)
            box.addWidget(self.preview_warning)
            box.addWidget(self.preview_pages)
        rendered = build_aftercare(sheet)
        notes = [n for n in (sheet.text_set.warning(), rendered.missing_warning()) if n]
        self.preview_warning.setText("\n".join(f"⚠ {note}" for note in notes))
        self.preview_warning.setVisible(bool(notes))
        self.preview_pages.show_pdf(rendered.data)
        self.preview_dialog.show()
        self.preview_dialog.raise_()

    def reset_current(self) -> None:
        """Put the default text of the shown block in the editor (stored on Save)."""
        if self._current is not None:
            self.editor.setPlainText(self._default(self._current))

    def save(self) -> bool:
        """Store every edited block and the settings (one audited transaction)."""
        texts = self.changed_texts()
        settings = self.current_settings()
        settings_changed = settings != self.settings
        if not texts and not settings_changed:
            self.saved_label.setText("Nothing to save.")
            return True
        if texts and self.text_set.review.reviewed:
            answer = QMessageBox.question(
                self,
                TITLE,
                f"{self.text_set.review.describe()}.\n\nChanged texts need a new review: the "
                f"{self.text_set.name} texts will be marked as not reviewed. Save?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Save:
                return False
        code = self.text_set.code
        result = guarded(
            self,
            TITLE,
            lambda: aftercare.save_templates(
                self.ctx.db,
                self.ctx.practitioner_id,
                texts,
                settings if settings_changed else None,
                language=code,
            ),
        )
        if result is None:
            return False
        # save_templates returns the keys it stored; the notice says what was asked for
        self.ctx.hub.publish(Changes(aftercare_texts=bool(texts), clinic=settings_changed))
        self._load()
        self.saved_label.setText("Saved. The next sheets use these texts.")
        return True

    # --- languages -----------------------------------------------------------------------

    def show_language(self, code: str) -> bool:
        """Edit the texts of the set *code*, after saving or discarding unsaved edits."""
        if code == self.text_set.code:
            return True
        if not self._may_close():
            self.language.setCurrentIndex(max(0, self.language.findData(self.text_set.code)))
            return False
        self.text_set = aftercare.TextSet(code, code)  # replaced by the stored set in _load
        self.stored, self.texts = {}, {}
        self.blocks.setCurrentRow(-1)
        self._load()
        self.saved_label.clear()
        return True

    def _language_chosen(self, index: int) -> None:
        code = self.language.itemData(index)
        if code:
            self.show_language(code)

    def edit_review(self) -> None:
        """Record whether a clinician who reads the language reviewed the set."""
        dialog = ReviewDialog(self.ctx, self.text_set, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_set is not None:
            self.text_set = dialog.result_set
            self._fill_languages()
            self.ctx.hub.publish(AFTERCARE_TEXTS_CHANGED)

    def add_language(self) -> None:
        """Add a language from a copy of a set, and show its texts."""
        known = guarded(self, TITLE, lambda: aftercare.text_sets(self.ctx.db)) or []
        dialog = AddLanguageDialog(self.ctx, known, self.text_set.code, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.added is None:
            return
        self.ctx.hub.publish(AFTERCARE_TEXTS_CHANGED)
        self.language.addItem(dialog.added.label, dialog.added.code)
        self.show_language(dialog.added.code)

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
