"""Issue 16's windows on the clinic's screen (1366x768, and at 125 % in a second process):
the Safety report (each tab), the lung-risk depth limits, a signed session with its late
events panel and the dialog that records one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from dnt_desktop.models.enums import Severity
from dnt_desktop.services import records
from dnt_desktop.services.safety.late_events import LateEventForm, record_late_event
from dnt_desktop.ui.session.editor_window import SessionEditorWindow

from .conftest import Scene
from .test_screens import check, main_of, settle  # noqa: F401  (main_of is a fixture)


@pytest.mark.parametrize("tab", [0, 1, 2])
def test_the_safety_report_fits(qtbot: QtBot, scene: Scene, main_of, tab: int) -> None:  # noqa: F811
    window = main_of(scene.accounts.admin_id)
    dialog = window.safety.open_report()
    qtbot.waitUntil(lambda: not dialog.computing, timeout=30_000)
    dialog.tabs.setCurrentIndex(tab)
    settle(qtbot, dialog)
    check(dialog)
    dialog.close()


def test_the_lung_limits_fit(qtbot: QtBot, scene: Scene, main_of) -> None:  # noqa: F811
    window = main_of(scene.accounts.admin_id)
    dialog = window.safety.open_limits()
    assert dialog is not None
    settle(qtbot, dialog)
    check(dialog)
    dialog.done(0)


def test_a_signed_session_with_late_events_and_the_event_dialog_fit(
    qtbot: QtBot,
    scene: Scene,
    main_of,  # noqa: F811
) -> None:
    accounts, session_id = scene.accounts, scene.showcase.session_id
    records.sign_session(
        window_db(main_of, accounts.sam_id), accounts.sam_id, session_id, accounts.password
    )
    window = main_of(accounts.sam_id)
    form = LateEventForm("pneumothorax", Severity.SEVERE, 30, "Sent to the emergency department.")
    record_late_event(window.ctx.db, accounts.sam_id, session_id, form)
    editor = window.open_session(scene.showcase.patient_id, session_id)
    assert isinstance(editor, SessionEditorWindow)
    editor.tabs.setCurrentWidget(editor.late_events_panel)
    settle(qtbot, editor)
    assert editor.late_events_panel.isVisible()
    check(editor)
    dialog = editor.late_events_panel.request_event()
    assert dialog is not None
    settle(qtbot, dialog)
    check(dialog)
    dialog.reject()


def window_db(main_of, account_id: int):  # noqa: F811
    """The test database (through a main window of *account_id*)."""
    return main_of(account_id).ctx.db


@pytest.mark.skipif(bool(os.environ.get("QT_SCALE_FACTOR")), reason="this is the scaled run")
def test_the_safety_windows_fit_at_125_percent() -> None:
    root = Path(__file__).parents[3]
    env = dict(os.environ, QT_SCALE_FACTOR="1.25", DNT_TEST_SCREEN="1366x768")
    for name in ("QT_QPA_PLATFORM", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", __file__, "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
