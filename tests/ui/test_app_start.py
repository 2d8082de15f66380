"""Starting the app: first-run setup, signing in, the demo, refusing bad files."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.demo import DEMO_PASSWORD
from dnt_desktop.services import accounts
from dnt_desktop.services.clinic_details import get_clinic, is_set_up
from dnt_desktop.services.practitioners import practitioners
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.location import sqlite_url
from dnt_desktop.storage.open import open_database
from dnt_desktop.ui import app as app_module
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.setup.first_run import FirstRunDialog
from dnt_desktop.ui.signin.login_dialog import LoginDialog

WATCHDOG_MS = 30_000


class Driver:
    """Answers the app's modal dialogs from timers while ``run()`` blocks in exec()."""

    def __init__(self) -> None:
        self.seen: dict[str, object] = {}
        self.failed = ""
        self._timers: list[QTimer] = []
        self.watchdog = self._timer(WATCHDOG_MS, self._give_up)

    def _timer(self, ms: int, action: Callable[[], None]) -> QTimer:
        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(action)
        timer.start(ms)
        self._timers.append(timer)
        return timer

    def when(self, find: Callable[[], QWidget | None], act: Callable[[QWidget], None]) -> None:
        """Poll until *find* returns a widget, then *act* on it."""

        def poll() -> None:
            widget = find()
            if widget is None:
                self._timer(20, poll)
            else:
                act(widget)

        self._timer(0, poll)

    def _give_up(self) -> None:
        self.failed = "the app did not reach the expected state in time"
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
            elif isinstance(widget, MainWindow):
                widget.close()
        QApplication.exit(99)

    def stop(self) -> None:
        for timer in self._timers:
            timer.stop()


@pytest.fixture
def driver() -> Iterator[Driver]:
    """A Driver; the app's loop is ended by ``QApplication.exit`` only (no stray Quit event)."""
    quit_on_close = QApplication.quitOnLastWindowClosed()
    QApplication.setQuitOnLastWindowClosed(False)
    drive = Driver()
    yield drive
    drive.stop()
    QApplication.setQuitOnLastWindowClosed(quit_on_close)


def modal(kind: type[QWidget]) -> Callable[[], QWidget | None]:
    def find() -> QWidget | None:
        widget = QApplication.activeModalWidget()
        return widget if isinstance(widget, kind) and widget.isVisible() else None

    return find


def visible_main_window() -> QWidget | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            return widget
    return None


def record_and_close(driver: Driver) -> Callable[[QWidget], None]:
    def act(widget: QWidget) -> None:
        assert isinstance(widget, MainWindow)
        driver.seen["title"] = widget.windowTitle()
        driver.seen["practitioner"] = widget.practitioner_label.text()
        driver.seen["database"] = widget.database_label.text()
        driver.seen["demo_label"] = widget.demo_label.isVisibleTo(widget)
        driver.seen["count"] = widget.register.count_label.text()
        driver.seen["search_focus"] = widget.focusWidget() is widget.register.search_box
        widget.close()
        QApplication.exit(0)

    return act


def args(db: Path | None = None, demo: bool = False) -> argparse.Namespace:
    return argparse.Namespace(db=str(db) if db else None, demo=demo, command=None)


def test_first_start_runs_the_setup_then_shows_the_main_window(
    qtbot: QtBot, tmp_path: Path, driver: Driver
) -> None:
    path = tmp_path / "new-clinic.sqlite3"

    def fill_setup(widget: QWidget) -> None:
        assert isinstance(widget, FirstRunDialog)
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)  # empty: refused
        driver.seen["problems"] = [
            widget.errors.message("name"),
            widget.errors.message("full_name"),
        ]
        qtbot.keyClicks(widget.clinic_name, "Harbour Physio")
        qtbot.keyClicks(widget.full_name, "Robin Hale")
        driver.seen["username"] = widget.username.text()
        qtbot.keyClicks(widget.password.password, "harbour lights")
        qtbot.keyClicks(widget.password.repeat, "harbour lights")
        qtbot.mouseClick(widget.save_button, Qt.MouseButton.LeftButton)
        driver.when(visible_main_window, record_and_close(driver))

    driver.when(modal(FirstRunDialog), fill_setup)
    code = app_module.run(args(path))

    assert not driver.failed
    assert code == 0
    assert driver.seen["problems"] == [
        "Enter the clinic's name.",
        "Enter the practitioner's full name.",
    ]
    assert driver.seen["username"] == "robin.hale"
    assert driver.seen["title"] == "dnt-desktop: Harbour Physio"
    assert driver.seen["practitioner"] == "Charting as: Robin Hale"
    assert driver.seen["database"] == f"Database: {path}"
    assert driver.seen["demo_label"] is False
    assert driver.seen["search_focus"] is True
    db = open_database(sqlite_url(path))
    try:
        assert is_set_up(db)
        clinic = get_clinic(db)
        assert clinic is not None and clinic.name == "Harbour Physio"
        (person,) = practitioners(db)
        assert (person.full_name, person.role.value) == ("Robin Hale", "admin")
        assert accounts.authenticate(db, "robin.hale", "harbour lights").id == person.id
    finally:
        db.dispose()


def test_a_file_that_is_not_a_database_is_reported_and_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "clinic.sqlite3"
    content = b"These are somebody's notes, not a database.\n" * 200
    path.write_bytes(content)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _parent, title, text, *_a, **_k: (
            shown.append((title, text)) or QMessageBox.StandardButton.Ok
        ),
    )

    code = app_module.run(args(path))

    assert code == 1
    assert len(shown) == 1
    title, text = shown[0]
    assert "cannot open the database" in title
    assert str(path) in text
    assert path.read_bytes() == content
    assert sorted(p.name for p in folder.iterdir()) == ["clinic.sqlite3"]  # no -wal, -journal
    assert visible_main_window() is None


def test_demo_opens_a_clearly_marked_demo_database(qtbot: QtBot, driver: Driver) -> None:
    path = app_module.demo_database_path()
    assert path.parent.name == "demo" and path.name == "dnt-desktop-demo.sqlite3"

    def sign_in(widget: QWidget) -> None:
        assert isinstance(widget, LoginDialog)
        driver.seen["note"] = widget.note.text() if widget.note.isVisible() else ""
        widget.username.setText("admin")
        qtbot.keyClicks(widget.password, DEMO_PASSWORD)
        qtbot.keyClick(widget.password, Qt.Key.Key_Return)
        driver.when(visible_main_window, record_and_close(driver))

    driver.when(modal(LoginDialog), sign_in)
    code = app_module.run(args(demo=True))

    assert not driver.failed
    assert code == 0
    assert path.is_file()
    assert DEMO_PASSWORD in str(driver.seen["note"])
    assert str(driver.seen["title"]).startswith("DEMO DATABASE")
    assert driver.seen["demo_label"] is True
    assert driver.seen["database"] == f"Database: {path}"
    assert str(driver.seen["count"]).endswith("patients")
    assert int(str(driver.seen["count"]).split()[0]) > 250


def test_window_layout_is_remembered_for_the_screen_size(qtbot: QtBot, ctx: AppContext) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    area = first.screen().availableGeometry()
    assert area.contains(first.frameGeometry())  # sized from the screen, not a fixed size
    first.resize(990, 600)
    first.show()
    first.splitter.setSizes([330, 660])
    first.register.show_archived.setChecked(True)
    sizes = first.splitter.sizes()
    first.close()

    settings = QSettings()
    key = f"{area.width()}x{area.height()}"
    assert settings.contains(f"main_window/geometry/{key}")
    assert settings.contains(f"main_window/splitter/{key}")
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    assert second.size().width() == 990
    assert second.splitter.sizes() == sizes
    assert second.register.show_archived.isChecked()
    second.close()

    settings.remove(f"main_window/geometry/{key}")  # another screen size: nothing known
    third = MainWindow(ctx)
    qtbot.addWidget(third)
    assert third.size().width() == min(1440, area.width() - 16)


def test_a_damaged_file_is_reported_by_the_check_started_before_the_imports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnt_desktop import cli, demo
    from dnt_desktop.storage.file_check import FileCheck

    path = tmp_path / "clinic.sqlite3"
    db = open_database(sqlite_url(path))
    demo.generate(db, patients=30, seed=5)
    db.dispose()
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _parent, title, text, *_a, **_k: (
            shown.append((title, text)) or QMessageBox.StandardButton.Ok
        ),
    )
    checked: list[Path] = []
    real_start = FileCheck.start
    monkeypatch.setattr(
        FileCheck, "start", lambda self: checked.append(self.path) or real_start(self)
    )

    code = cli.main(["--db", str(path)])

    assert code == 1
    assert checked == [path]  # the check started first was the one waited for
    assert len(shown) == 1
    title, text = shown[0]
    assert "cannot open the database" in title
    assert "damaged" in text and "left untouched" in text
    assert path.read_bytes() == bytes(data)
    assert visible_main_window() is None


def test_a_database_without_an_active_account_is_explained_not_opened(
    db_path: Path, db: Database, practitioner_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnt_desktop.models import Practitioner

    with db.transaction() as session:
        session.get(Practitioner, practitioner_id).active = False
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _parent, _title, text, *_a, **_k: (
            shown.append(text) or QMessageBox.StandardButton.Ok
        ),
    )

    code = app_module.run(args(db_path))

    assert code == 1
    assert len(shown) == 1 and "no active practitioner account" in shown[0]
    assert "administrator" in shown[0]
    assert visible_main_window() is None


def test_a_file_on_a_network_share_is_refused_before_any_check(
    db_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dnt_desktop import cli
    from dnt_desktop.storage import local_disk
    from dnt_desktop.storage.file_check import FileCheck

    monkeypatch.setattr(local_disk, "filesystem_type", lambda *_a, **_k: "cifs")
    started: list[Path] = []
    monkeypatch.setattr(FileCheck, "start", lambda self: started.append(self.path) or self)
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "critical",
        lambda _parent, _title, text, *_a, **_k: (
            shown.append(text) or QMessageBox.StandardButton.Ok
        ),
    )

    code = cli.main(["--db", str(db_path)])

    assert code == 1
    assert started == []  # refused at once, not after reading the whole file
    assert len(shown) == 1 and "PostgreSQL" in shown[0]
    assert visible_main_window() is None
