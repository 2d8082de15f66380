"""The Safety report is computed off the GUI thread (a year of a large clinic takes
seconds), and a change that arrives meanwhile is never left out of what is shown."""

from __future__ import annotations

import threading

from pytestqt.qtbot import QtBot

from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.safety import report_dialog


def test_the_window_stays_usable_and_a_change_meanwhile_runs_it_again(
    qtbot: QtBot, main_window: MainWindow, monkeypatch
) -> None:
    real = report_dialog.safety_report
    gate = threading.Event()
    calls: list[int] = []

    def slow(*args, **kwargs):
        calls.append(1)
        gate.wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(report_dialog, "safety_report", slow)
    dialog = main_window.safety.open_report()
    qtbot.waitExposed(dialog)
    qtbot.wait(100)  # the GUI thread goes on while the report is computed
    assert dialog.computing and dialog.report is None
    assert "Computing the report" in dialog.summary.text()
    assert not dialog.pdf_button.isEnabled() and not dialog.csv_button.isEnabled()
    dialog.refresh()  # two changes arrive while it computes: one more run, not two
    dialog.refresh()
    gate.set()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=20_000)
    assert len(calls) == 2
    assert dialog.report is not None and "signed sessions" in dialog.summary.text()
    dialog.close()


def test_a_failure_is_said_in_the_window(
    qtbot: QtBot, main_window: MainWindow, monkeypatch
) -> None:
    from dnt_desktop.storage.errors import StorageError

    def broken(*_args, **_kwargs):
        raise StorageError("the database is busy; try again in a moment")

    monkeypatch.setattr(report_dialog, "safety_report", broken)
    dialog = main_window.safety.open_report()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=20_000)
    assert "The report could not be computed: the database is busy" in dialog.summary.text()
    assert not dialog.pdf_button.isEnabled()
    dialog.close()
