"""GUI fixtures: an AppContext on the test database and isolated QSettings."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings

from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext


@pytest.fixture(autouse=True)
def qsettings_isolated(tmp_path: Path) -> Iterator[Path]:
    """Point QSettings (window geometry, splitters, options) at a private temp folder."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    QCoreApplication.setOrganizationName("dnt-desktop-tests")
    QCoreApplication.setApplicationName("dnt-desktop-tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    yield folder


@pytest.fixture
def ctx(db: Database, practitioner_id: int) -> AppContext:
    """The app context of the fixture practitioner on the fresh test database."""
    return AppContext(
        db=db,
        practitioner_id=practitioner_id,
        practitioner_name="Pat Practitioner",
        is_admin=False,
    )


@pytest.fixture
def main_window(qtbot, ctx: AppContext):
    """The main window on the test database, shown at 1366x768.

    At the end it is closed answering "Discard" to its unsaved-work question, then deleted.
    """
    from PySide6.QtWidgets import QMessageBox

    from dnt_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    yield window
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
        window.close()
    window.deleteLater()
    qtbot.wait(1)


@pytest.fixture(autouse=True)
def _collect_qt_garbage(qapp) -> Iterator[None]:
    """Free each test's widgets and models while Qt is still alive.

    Python wrappers left for the interpreter's final garbage collection are destroyed in
    no particular order after QApplication is gone, which crashed the process at exit.
    """
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    qapp.processEvents()
    gc.collect()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
