"""Cold-start probe: the ``dnt-desktop`` start-up, timed until the register is usable.

Run as a script in a new process::

    python benchmarks/probes/app_start.py --db PATH [--password PW] [--user NAME] [--chart]

It creates the QApplication (the app's ``qt_application()`` reuses it) and installs an
event filter (benchmark code, not product code) that

- answers start-up dialogs as a person would: the practitioner chooser keeps the first
  name, a login dialog gets the demo user name and password, a message box its default
  button (and is reported on stderr, since none is expected);
- watches the main window's register table and, once it is exposed and painted with
  rows in it, prints ``READY <perf_counter>``; with ``--chart`` it then opens the first
  listed patient's chart.

Then it prints ``DIALOG_MS <ms>`` (time start-up dialogs were on screen, their own work
included), ``FIRST_DIALOG`` and ``DIALOGS_CLOSED`` (perf_counter values, when a dialog
showed), ``CHART_MS <ms>`` (the first chart opened in the process, with ``--chart``),
``PEAK_RSS_KB <kB>``, ``CLOSING <perf_counter>`` and quits through the window's normal
close (the parent times the close until the process has exited).
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from probe_support import peak_rss_kb, say
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)

CHART_AFTER_MS = 1500
"""The chart is opened this long after the register is painted, as a person would: they
look at the register and type a name first (the app uses the moment to warm up)."""
MAX_ANSWERS = 5
"""A dialog answered this often (a refused password, say) ends the probe as failed."""
STUCK_MS = 10_000
"""A dialog still open this long after its answer (a refused password) ends the probe."""


def accept_button(dialog: QDialog) -> QAbstractButton | None:
    """The button a person presses to go on: OK/accept role, else the default button."""
    for box in dialog.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if box.buttonRole(button) in (
                QDialogButtonBox.ButtonRole.AcceptRole,
                QDialogButtonBox.ButtonRole.YesRole,
            ):
                return button
    for button in dialog.findChildren(QAbstractButton):
        if getattr(button, "isDefault", lambda: False)():
            return button
    return None


class StartHook(QObject):
    """Answers start-up dialogs, then reports when the register is painted with rows."""

    def __init__(
        self, app: QApplication, user: str, password: str, chart: bool, patient: int = 0
    ) -> None:
        super().__init__()
        self.patient = patient
        self.app = app
        self.user = user
        self.password = password
        self.chart = chart
        self.ready = False
        self.answers = 0
        self.dialog_since: float | None = None
        self.dialog_seconds = 0.0
        self.first_dialog: float | None = None
        self.last_dialog_closed: float | None = None

    # --- the filter: cheap for every event, work only for the few that matter ---------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Paint:
            if not self.ready and self._is_register_viewport(watched):
                self.ready = True
                QTimer.singleShot(0, self._register_painted)
        elif kind == QEvent.Type.Show and isinstance(watched, QDialog):
            if self.dialog_since is None:
                self.dialog_since = time.perf_counter()
            if self.first_dialog is None:
                self.first_dialog = self.dialog_since
            QTimer.singleShot(0, lambda dialog=watched: self._answer(dialog))
        elif (
            kind == QEvent.Type.Hide
            and isinstance(watched, QDialog)
            and self.dialog_since is not None
            and QApplication.activeModalWidget() in (None, watched)
        ):
            self.last_dialog_closed = time.perf_counter()
            self.dialog_seconds += self.last_dialog_closed - self.dialog_since
            self.dialog_since = None
        return False

    @staticmethod
    def _is_register_viewport(watched: QObject) -> bool:
        table = watched.parent() if isinstance(watched, QWidget) else None
        if not isinstance(table, QTableView) or table.viewport() is not watched:
            return False
        register = getattr(table.window(), "register", None)
        return (
            register is not None
            and getattr(register, "table", None) is table
            and table.model() is not None
            and table.model().rowCount() > 0
        )

    # --- dialogs -----------------------------------------------------------------------

    def _answer(self, dialog: QDialog) -> None:
        if not dialog.isVisible():
            return
        self.answers += 1
        if self.answers > MAX_ANSWERS:
            print("probe: start-up dialogs keep coming back; giving up", file=sys.stderr)
            self.app.exit(3)
            return
        if isinstance(dialog, QMessageBox):
            print(
                f"probe: message box {dialog.windowTitle()!r}: {dialog.text()!r}",
                file=sys.stderr,
            )
            button = dialog.defaultButton() or accept_button(dialog)
        else:
            self._fill_login(dialog)
            button = accept_button(dialog)
        if button is not None and button.isEnabled():
            button.click()
        else:
            dialog.accept()
        QTimer.singleShot(STUCK_MS, lambda: self._give_up_if_open(dialog))

    @staticmethod
    def _give_up_if_open(dialog: QDialog) -> None:
        if dialog.isVisible():
            texts = [label.text() for label in dialog.findChildren(QLabel) if label.text()]
            print(f"probe: {dialog.windowTitle()!r} stays open: {texts}", file=sys.stderr)
            os._exit(3)  # inside the dialog's own event loop: no orderly way out

    def _fill_login(self, dialog: QDialog) -> None:
        """Type the demo password (and user name) into a login dialog's empty fields."""
        for field in dialog.findChildren(QLineEdit):
            if not field.isVisible() or not field.isEnabled() or field.isReadOnly():
                continue
            if field.echoMode() != QLineEdit.EchoMode.Normal:
                field.setText(self.password)
                field.textEdited.emit(self.password)
            elif not field.text() and field.completer() is None:
                field.setText(self.user)
                field.textEdited.emit(self.user)

    # --- ready -------------------------------------------------------------------------

    def _main_window(self) -> QWidget | None:
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and getattr(widget, "register", None) is not None:
                return widget
        return None

    def _register_painted(self) -> None:
        window = self._main_window()
        handle = window.windowHandle() if window is not None else None
        if window is None or handle is None or not handle.isExposed():
            self.ready = False  # painted off screen: wait for the next paint
            return
        say("READY", repr(time.perf_counter()))
        say("DIALOG_MS", f"{self.dialog_seconds * 1000:.1f}")
        if self.first_dialog is not None and self.last_dialog_closed is not None:
            say("FIRST_DIALOG", repr(self.first_dialog))
            say("DIALOGS_CLOSED", repr(self.last_dialog_closed))
        if self.chart:
            QTimer.singleShot(CHART_AFTER_MS, lambda: self._chart_then_close(window))
        else:
            self._close(window)

    def _chart_then_close(self, window: QWidget) -> None:
        self._open_chart(window)
        self._close(window)

    def _close(self, window: QWidget) -> None:
        say("PEAK_RSS_KB", str(peak_rss_kb()))
        say("CLOSING", repr(time.perf_counter()))
        window.close()
        self.app.quit()

    def _open_chart(self, window: QWidget) -> None:
        register = window.register  # type: ignore[attr-defined]
        patient_id = self.patient or register.model.patient_id(0)
        started = time.perf_counter()
        window.open_patient(patient_id)  # type: ignore[attr-defined]
        QApplication.processEvents()
        chart = window.chart  # type: ignore[attr-defined]
        chart.repaint()
        say("CHART_MS", f"{(time.perf_counter() - started) * 1000:.1f}")
        say("CHART_PATIENT", str(chart.patient_id))


def install_hook(user: str, password: str, chart: bool, patient: int = 0) -> StartHook:
    """Create the QApplication (the app reuses it) with the hook watching its events."""
    app = QApplication(sys.argv[:1])
    hook = StartHook(app, user, password, chart, patient)
    app.installEventFilter(hook)
    return hook


def never_ready(hook: StartHook) -> bool:
    """Say so on stderr when the main window never showed a filled register."""
    if not hook.ready:
        print("probe: the main window never showed a filled register", file=sys.stderr)
    return not hook.ready


def main() -> int:
    """Start ``dnt-desktop --db PATH`` with the hook installed; returns its exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="")
    parser.add_argument("--chart", action="store_true", help="open a chart before quitting")
    parser.add_argument("--patient", type=int, default=0, help="whose chart (the first listed)")
    args = parser.parse_args()

    hook = install_hook(args.user, args.password, args.chart, args.patient)

    from dnt_desktop.cli import main as dnt_desktop

    code = dnt_desktop(["--db", args.db])
    if never_ready(hook):
        return code or 2
    return code


if __name__ == "__main__":
    sys.exit(main())
