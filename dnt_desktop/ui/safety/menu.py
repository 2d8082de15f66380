"""The main window's Safety entries: Clinic > Safety report… (everyone: administrators see
the whole clinic, practitioners their own sessions) and Clinic > Lung-risk depth limits…
(administrators change them)."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

from dnt_desktop.ui.context import AppContext


class SafetyMenu:
    """Adds the two actions to *menu* and keeps the report window (one at a time)."""

    def __init__(self, window: QMainWindow, ctx: AppContext, menu: QMenu) -> None:
        self.window = window
        self.ctx = ctx
        self.report_dialog = None
        self.limits_dialog = None
        self.report_action = QAction("Safet&y report…", window)
        self.report_action.setObjectName("safety_report_action")
        self.report_action.setToolTip(
            "Adverse-event rates beside the published ones"
            + ("" if ctx.is_admin else " (your own sessions)")
        )
        self.report_action.triggered.connect(self.open_report)
        self.limits_action = QAction("&Lung-risk depth limits…", window)
        self.limits_action.setObjectName("lung_limits_action")
        self.limits_action.triggered.connect(self.open_limits)
        self.limits_action.setEnabled(ctx.is_admin)
        if not ctx.is_admin:
            self.limits_action.setToolTip("Only an administrator can change the limits")
        menu.addSeparator()
        menu.addAction(self.report_action)
        menu.addAction(self.limits_action)

    def open_report(self):
        """The Safety report window (not modal; raised when already open)."""
        from .report_dialog import SafetyReportDialog

        if self.report_dialog is not None and self.report_dialog.isVisible():
            self.report_dialog.raise_()
            self.report_dialog.activateWindow()
            return self.report_dialog
        dialog = SafetyReportDialog(self.ctx, self.window)
        dialog.destroyed.connect(lambda *_: setattr(self, "report_dialog", None))
        self.report_dialog = dialog
        dialog.show()
        return dialog

    def open_limits(self):
        """The lung-risk depth limits (administrators; window-modal)."""
        if not self.ctx.is_admin:
            return None
        from .limits_dialog import LungLimitsDialog

        dialog = LungLimitsDialog(self.ctx, self.window)
        self.limits_dialog = dialog
        dialog.open()
        return dialog
