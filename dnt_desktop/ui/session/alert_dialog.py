"""Confirming the alerts of a session before it is saved."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services.rules import Alert
from dnt_desktop.ui.widgets.alert_banner import AlertBanner


class AlertConfirmDialog(QDialog):
    """Lists the alerts to confirm; 'Confirm and save' is enabled once the practitioner
    ticks that they have read them. Alerts confirmed at an earlier save are listed too,
    marked as such, but only the new ones are recorded again."""

    def __init__(
        self,
        new_alerts: Sequence[Alert],
        confirmed_before: Sequence[Alert] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("alert_confirmation")
        self.setWindowTitle("Confirm the alerts before saving")
        self.setModal(True)
        self.new_alerts = list(new_alerts)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Read these alerts about this patient and this session. Your confirmation is "
            "recorded with the session."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        self.banner = AlertBanner()
        self.banner.set_alerts(self.new_alerts)
        content_layout.addWidget(self.banner)
        if confirmed_before:
            earlier = QLabel(
                "Confirmed at an earlier save of this session: "
                + "; ".join(alert.title for alert in confirmed_before)
            )
            earlier.setWordWrap(True)
            earlier.setProperty("role", "hint")
            content_layout.addWidget(earlier)
        content_layout.addStretch(1)
        width = 600
        needed = self.banner.heightForWidth(width - 24) + (40 if confirmed_before else 0)
        scroll = QScrollArea()
        scroll.setMinimumHeight(min(needed + 8, 420))
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setAccessibleName("Alerts")
        scroll.setWidget(content)
        layout.addWidget(scroll, 1)

        self.read_box = QCheckBox("I have read these alerts")
        self.read_box.setObjectName("alerts_read")
        self.read_box.setAccessibleName("I have read these alerts")
        layout.addWidget(self.read_box)
        buttons = QDialogButtonBox()
        self.confirm_button = QPushButton("Confirm and save")
        self.confirm_button.setObjectName("confirm_alerts")
        self.confirm_button.setEnabled(False)
        self.confirm_button.setProperty("primary", True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancel_alerts")
        self.cancel_button.setToolTip("Back to the editor; nothing is saved and nothing is lost")
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        layout.addWidget(buttons)

        self.read_box.toggled.connect(self.confirm_button.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.read_box.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(width, self.sizeHint().height())

    def accept(self) -> None:
        if self.read_box.isChecked():
            super().accept()
