"""Administration > Settings: idle lock, draft reminder, screening review, retention,
the disposal offered first, and backups."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import backups
from dnt_desktop.services.changes import NO_CHANGES
from dnt_desktop.services.errors import ServiceError, ValidationError
from dnt_desktop.services.settings import set_setting, settings_values
from dnt_desktop.storage.errors import StorageError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.combo_box import WideComboBox
from dnt_desktop.ui.widgets.field_errors import error_label, grow_dialog_to_fit
from dnt_desktop.ui.widgets.limited_text import LimitedLineEdit

_NUMBERS = (
    ("idle_lock_minutes", "&Lock the screen after", " minutes without use", 1, 240),
    ("stale_draft_days", "&Remind of drafts older than", " days", 1, 365),
    ("backup_keep", "&Keep the newest", " automatic backups", 1, 999),
    ("screening_review_months", "Screening due for re&view after", " months", 1, 120),
    ("retention_years_after_treatment", "Keep records after the last treatment", " years", 1, 100),
    ("retention_child_until_age", "Keep a child's record at least until age", " years", 1, 100),
)


_CHOICES = (
    (
        "disposal_default",
        "Dispose of a record past retention by",
        (("anonymise", "anonymising it (counts kept)"), ("erase", "erasing it completely")),
    ),
)
"""Settings chosen from a list: key, label, (value, text) choices."""


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setProperty("role", "hint")
    label.setWordWrap(True)
    return label


class SettingsDialog(QDialog):
    """Clinic-wide settings shared by every workstation; each change is audited.

    ``saved`` carries the settings as stored after a successful save.
    """

    saved = Signal(dict)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settings_dialog")
        self.setWindowTitle("Settings")
        self.setMinimumWidth(560)
        self.values: dict[str, str] = (
            guarded(self, "Settings", lambda: settings_values(ctx.db)) or {}
        )
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, suffix, low, high in _NUMBERS:
            spin = QSpinBox()
            spin.setObjectName(key)
            spin.setAccessibleName(label.replace("&", "") + suffix)
            spin.setRange(low, high)
            spin.setSuffix(suffix)
            value = self.values.get(key, "")
            spin.setValue(int(value) if value.isdigit() else low)
            spin.setMinimumWidth(240)
            self.spins[key] = spin
            row = QHBoxLayout()
            row.addWidget(spin)
            row.addStretch(1)
            caption = QLabel(label)
            caption.setBuddy(spin)
            form.addRow(caption, row)

        self.combos: dict[str, WideComboBox] = {}
        for key, label, choices in _CHOICES:
            combo = WideComboBox()
            combo.setObjectName(key)
            combo.setAccessibleName(label)
            for value, text in choices:
                combo.addItem(text, value)
            found = combo.findData(self.values.get(key, ""))
            combo.setCurrentIndex(max(found, 0))
            self.combos[key] = combo
            row = QHBoxLayout()
            row.addWidget(combo)
            row.addStretch(1)
            caption = QLabel(label)
            caption.setBuddy(combo)
            form.addRow(caption, row)

        self.folder = LimitedLineEdit("setting", "backup_folder")
        self.folder.setText(self.values.get("backup_folder", ""))
        self.folder.setObjectName("backup_folder")
        self.folder.setAccessibleName("Backup folder")
        default = self._default_folder()
        self.folder.setPlaceholderText("the default folder (see below)")
        browse = QPushButton("&Browse…")
        browse.clicked.connect(self.browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        folder_caption = QLabel("Backup &folder")
        folder_caption.setBuddy(self.folder)
        form.addRow(folder_caption, folder_row)
        form.addRow(
            "",
            _hint(
                "Leave empty for the backups folder beside the database"
                + (f" ({default})" if default else "")
                + ". A folder on another drive (or a synced one) survives a broken disk."
            ),
        )

        self.general = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(_hint("These settings apply to every workstation of the clinic."))
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.spins["idle_lock_minutes"].setFocus(Qt.FocusReason.OtherFocusReason)

    def _default_folder(self) -> str:
        path = self.ctx.db.path
        return str(backups.backup_folder(path, None)) if path is not None else ""

    def browse(self) -> None:
        """Choose the backup folder."""
        start = self.folder.text().strip() or self._default_folder() or str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", start)
        if chosen:
            self.folder.setText(chosen)

    def typed(self) -> dict[str, str]:
        """The settings as on screen."""
        values = {key: str(spin.value()) for key, spin in self.spins.items()}
        values |= {key: str(combo.currentData()) for key, combo in self.combos.items()}
        values["backup_folder"] = self.folder.text().strip()
        return values

    def save(self) -> None:
        """Store what changed (each setting is one audited change)."""
        changed = {k: v for k, v in self.typed().items() if self.values.get(k, "") != v}
        folder = changed.get("backup_folder")
        if folder:
            problem = _folder_problem(Path(folder).expanduser())
            if problem:
                self._say(problem)
                return
        changes = NO_CHANGES
        try:
            for key, value in changed.items():
                changes |= set_setting(self.ctx.db, self.ctx.practitioner_id, key, value)
                self.values[key] = value
        except ValidationError as exc:
            self.ctx.hub.publish(changes)  # the settings stored before the refused one
            self._say(" ".join(p.message for p in exc.problems))
            return
        except (ServiceError, StorageError) as exc:
            self.ctx.hub.publish(changes)
            self._say(str(exc))
            return
        self.ctx.hub.publish(changes)
        self.saved.emit(dict(self.values))
        self.accept()

    def _say(self, text: str) -> None:
        self.general.setText(f"Not saved: {text}")
        self.general.setVisible(True)
        grow_dialog_to_fit(self.general)


def _folder_problem(folder: Path) -> str:
    """Why *folder* cannot hold backups ('' when it can)."""
    if not folder.is_absolute():
        return "Choose a full folder path (use Browse…)."
    if folder.exists() and not folder.is_dir():
        return f"{folder} is a file, not a folder."
    return ""
