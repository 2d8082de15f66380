"""GUI fixtures: an AppContext on the test database and isolated QSettings."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QSettings

from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext


@pytest.fixture(autouse=True)
def _closing_work_inline(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app leaves its closing backup to a detached process (``services.closing``);
    here it runs inline, so that a test sees its outcome and leaves nothing running.
    tests/ui/test_closing.py starts the real process."""
    from dnt_desktop.services.closing import close_and_verify
    from dnt_desktop.ui.backups import backup_jobs

    def inline(path: Path, actor_id: int | None) -> None:
        with contextlib.suppress(Exception):  # kept in the closing record, as there
            close_and_verify(path, actor_id)

    monkeypatch.setattr(backup_jobs, "start_closing_process", inline)


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


FORGOTTEN_BOX_SECONDS = 10


@pytest.fixture(autouse=True)
def _no_forgotten_message_box(qapp) -> Iterator[None]:
    """Fail (instead of hanging forever) when a modal message box nobody answers blocks a test.

    A box still the active modal window after FORGOTTEN_BOX_SECONDS is rejected, and the
    test fails with its text: usually an error the code under test reported.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: dict[int, int] = {}
    forgotten: list[str] = []

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            seen.clear()
            return
        ticks = seen.get(id(box), 0) + 1
        seen.clear()
        seen[id(box)] = ticks
        if ticks >= FORGOTTEN_BOX_SECONDS:
            forgotten.append(f"{box.windowTitle()}: {box.text()} {box.informativeText()}")
            box.reject()

    timer = QTimer()
    timer.setInterval(1000)
    timer.timeout.connect(look)
    timer.start()
    yield
    timer.stop()
    if forgotten:
        pytest.fail(f"a message box stayed open with nobody to answer it: {forgotten}")


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


# --- records you can trust: accounts with passwords, windows of a signed-in user --------

RECORDS_ADMIN_PASSWORD = "admin-Secret-1"
RECORDS_PASSWORD = "correct horse battery"


@dataclass(frozen=True)
class ClinicAccounts:
    """Accounts of the records tests: an administrator and two practitioners."""

    admin_id: int
    sam_id: int
    kim_id: int
    admin_password: str = RECORDS_ADMIN_PASSWORD
    password: str = RECORDS_PASSWORD


@pytest.fixture
def fast_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap Argon2id parameters so that password tests stay fast."""
    from argon2 import PasswordHasher

    from dnt_desktop.services import accounts

    monkeypatch.setattr(
        accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    accounts._dummy_hash.cache_clear()


@pytest.fixture
def clinic_accounts(db: Database, fast_passwords: None) -> ClinicAccounts:
    """A clinic with admin "alex" (RECORDS_ADMIN_PASSWORD) and practitioners "sam" and
    "kim" (RECORDS_PASSWORD)."""
    from dnt_desktop.models.enums import Role
    from dnt_desktop.services import accounts
    from dnt_desktop.services.clinic_details import ClinicForm, save_clinic
    from dnt_desktop.services.practitioners import PractitionerForm

    save_clinic(db, None, ClinicForm(name="Test Clinic"))
    admin = accounts.create_first_admin(
        db, PractitionerForm("Alex Admin", "alex", "PH-0"), RECORDS_ADMIN_PASSWORD
    )
    sam_form = PractitionerForm("Sam Physio", "sam", "PH-1", Role.PRACTITIONER)
    sam = accounts.add_account(db, admin, sam_form, RECORDS_PASSWORD)
    kim = accounts.add_account(db, admin, PractitionerForm("Kim Other", "kim"), RECORDS_PASSWORD)
    return ClinicAccounts(admin, sam, kim)


@pytest.fixture
def consented_patient(db: Database, clinic_accounts: ClinicAccounts) -> int:
    """A patient (Jane Doe) who gave written consent on 1 January 2020."""
    from datetime import date

    from dnt_desktop.models.enums import ConsentMethod
    from dnt_desktop.services.clinical import record_consent
    from dnt_desktop.services.drafts import ConsentForm, PatientForm
    from dnt_desktop.services.patients import register_patient

    sam = clinic_accounts.sam_id
    pid = register_patient(db, sam, PatientForm("Doe", "Jane", date(1980, 5, 17)))
    record_consent(db, sam, pid, ConsentForm(date(2020, 1, 1), ConsentMethod.WRITTEN))
    return pid


@pytest.fixture
def ctx_of(db: Database) -> Callable[[int], AppContext]:
    """Makes the AppContext of a signed-in account (name and role from the database)."""
    from dnt_desktop.models.enums import Role
    from dnt_desktop.services.practitioners import get_practitioner

    def make(practitioner_id: int) -> AppContext:
        person = get_practitioner(db, practitioner_id)
        return AppContext(db, person.id, person.full_name, person.role == Role.ADMIN)

    return make


@pytest.fixture
def open_main(qtbot) -> Iterator[Callable[[AppContext], object]]:
    """Opens main windows at 1366x768; at the end unlocks and closes them (Discard)."""
    from PySide6.QtWidgets import QMessageBox

    from dnt_desktop.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(context: AppContext) -> MainWindow:
        window = MainWindow(context)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield make
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Discard)
        for window in windows:
            if window.lock.is_locked:
                window.lock._unlock()
            for entry in list(window.editors):
                entry.window.discard_and_close()
            window.close()
            window.deleteLater()
    qtbot.wait(1)
