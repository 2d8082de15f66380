"""Aftercare texts: record a language's review, and add a language by copying a set."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import aftercare
from dnt_desktop.services.aftercare import NewLanguage, Review, TextSet
from dnt_desktop.services.rules import Problem

from ..context import AppContext
from ..feedback import guarded_form
from ..widgets.dates import DATE_HINT, DateLineEdit
from ..widgets.field_errors import FieldErrors, error_label


class ReviewDialog(QDialog):
    """Whether a clinician who reads the language reviewed the set: who and when."""

    def __init__(self, ctx: AppContext, text_set: TextSet, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.text_set = text_set
        self.result_set: TextSet | None = None
        self.setWindowTitle(f"Review of the {text_set.name} texts")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.reviewed = QCheckBox(f"Reviewed by a clinician who reads {text_set.name}")
        self.reviewer = QLineEdit(text_set.review.reviewer)
        self.reviewer.setAccessibleName("Reviewer")
        self.reviewer.setPlaceholderText("name of the clinician")
        self.reviewer.setMaxLength(200)
        self.reviewed_on = DateLineEdit()
        self.reviewed_on.setAccessibleName("Date of the review")
        self.reviewed_on.set_date(text_set.review.reviewed_on or date.today())
        self.reviewed.toggled.connect(self._enable)
        self.reviewed.setChecked(text_set.review.reviewed)
        explain = QLabel(
            "Record a review only when a clinician who reads the language has checked every "
            "text of the set against the English. Changing a text later marks the set as not "
            "reviewed again. Until then, every sheet printed from it says so."
        )
        explain.setWordWrap(True)
        explain.setProperty("role", "hint")
        form = QFormLayout()
        form.addRow(self.reviewed)
        form.addRow("&Reviewer", self.errors.add("reviewer", self.reviewer))
        form.addRow("&Date", self.errors.add("reviewed_on", self.reviewed_on))
        form.addRow("", QLabel(DATE_HINT))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self._enable(self.reviewed.isChecked())
        self.setMinimumWidth(460)

    def _enable(self, on: bool) -> None:
        self.reviewer.setEnabled(on)
        self.reviewed_on.setEnabled(on)

    def review(self) -> Review:
        """The review as entered."""
        if not self.reviewed.isChecked():
            return Review()
        return Review(True, self.reviewer.text().strip(), self.reviewed_on.date())

    def save(self) -> None:
        """Store the review status (audited) and close."""
        review = self.review()
        if review.reviewed and review.reviewed_on is None and not self.reviewed_on.is_blank():
            self.errors.show([Problem("reviewed_on", "This is not a date.")])
            return
        saved = guarded_form(
            self,
            self.windowTitle(),
            lambda: aftercare.set_review(
                self.ctx.db, self.ctx.practitioner_id, self.text_set.code, review
            ),
            self.errors.show,
        )
        if saved is None:
            return
        self.result_set = saved
        self.accept()


class AddLanguageDialog(QDialog):
    """A new language: its code and names, and the set its texts start from."""

    def __init__(
        self, ctx: AppContext, sets: list[TextSet], current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.added: TextSet | None = None
        self.setWindowTitle("Add a language")
        self.general = error_label()
        self.errors = FieldErrors(self.general)
        self.code = QLineEdit()
        self.code.setAccessibleName("Language code")
        self.code.setPlaceholderText("e.g. ta, ur, or")
        self.code.setMaxLength(20)
        self.name = QLineEdit()
        self.name.setAccessibleName("Language name")
        self.name.setPlaceholderText("in English, e.g. Tamil")
        self.name.setMaxLength(100)
        self.native_name = QLineEdit()
        self.native_name.setAccessibleName("Name in the language")
        self.native_name.setPlaceholderText("e.g. தமிழ்")
        self.native_name.setMaxLength(100)
        self.copy_from = QComboBox()
        self.copy_from.setAccessibleName("Start from")
        for text_set in sets:
            self.copy_from.addItem(text_set.label, text_set.code)
        self.copy_from.setCurrentIndex(max(0, self.copy_from.findData(current)))
        explain = QLabel(
            "The new language starts as a copy of the texts you choose; translate each text, "
            "heading and name in Aftercare texts. Sheets printed from it say that its texts "
            "are not reviewed until a clinician who reads the language has checked them."
        )
        explain.setWordWrap(True)
        explain.setProperty("role", "hint")
        form = QFormLayout()
        form.addRow("&Code", self.errors.add("code", self.code))
        form.addRow("&Name", self.errors.add("name", self.name))
        form.addRow("Name in the &language", self.native_name)
        form.addRow("&Start from", self.errors.add("copy_from", self.copy_from))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add language")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def form(self) -> NewLanguage:
        """The new language as entered."""
        return NewLanguage(
            self.code.text().strip(),
            self.name.text().strip(),
            self.native_name.text().strip(),
            self.copy_from.currentData() or aftercare.ENGLISH_CODE,
        )

    def save(self) -> None:
        """Add the language (audited) and close."""
        form = self.form()
        added = guarded_form(
            self,
            self.windowTitle(),
            lambda: aftercare.add_language(self.ctx.db, self.ctx.practitioner_id, form),
            self.errors.show,
        )
        if added is None:
            return
        self.added = added
        self.accept()
