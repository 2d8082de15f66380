"""Starting the Qt application: check and open the database, set up or sign in, show the
window; back up at the first start of the day and on closing; start again after a restore.

The sign-in dialog shows before anything heavy is loaded: for a set-up clinic file
provably unchanged since ``check`` accepted it (``storage.verified``), a read-only look
with the standard library (``storage.signin_facts``) gives the clinic's name, and
SQLAlchemy, the models and the opening of the database follow on a worker thread while
the user types the password. Any other file is opened (and checked) first, as before, so
a bad file is reported without a sign-in. This module therefore imports only PySide6 and
the light parts of the app at its top.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from dnt_desktop.storage.errors import StorageError
from dnt_desktop.storage.file_check import FileCheck
from dnt_desktop.storage.folders import demo_database_path, plain_database_file
from dnt_desktop.ui.signin.login_dialog import sign_in
from dnt_desktop.ui.style import apply_style
from dnt_desktop.ui.widgets.background import BackgroundTask, BusyWindow, wait_for
from dnt_desktop.ui.widgets.icons import icon

if TYPE_CHECKING:
    from dnt_desktop.models import Practitioner
    from dnt_desktop.storage.engine import Database
    from dnt_desktop.storage.location import DatabaseURL
    from dnt_desktop.ui.context import AppContext
    from dnt_desktop.ui.full_check import FullCheck, Verdict
    from dnt_desktop.ui.main_window import MainWindow

APP_TITLE = "dnt-desktop"
DEMO_PATIENTS = 300
DEMO_SEED = 1

EXIT_OK = 0
EXIT_FAILED = 1
WARM_UP_DELAY_MS = 300
"""The chart is warmed up (``PatientChartView.warm_up``) this long after the window shows."""
DAILY_BACKUP_DELAY_MS = 1000
"""The daily backup starts this long after the full check found the file sound."""
OPEN_AFTER_DIALOG_MS = 60
"""The database is opened in the background this long after the sign-in dialog shows."""
CHECK_SPLASH_DELAY_MS = 150
"""The "Checking the database…" window appears only when the check takes longer."""


def database_url(args: argparse.Namespace) -> DatabaseURL:
    """The database this run opens: the demo file, ``--db``, DNT_DATABASE_URL or the default."""
    from dnt_desktop.storage.location import resolve_database_url, sqlite_url

    if getattr(args, "demo", False):
        return sqlite_url(demo_database_path())
    return resolve_database_url(getattr(args, "db", None))


def qt_application() -> QApplication:
    """The QApplication (created once), named and styled."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv)
    assert isinstance(app, QApplication)
    QCoreApplication.setOrganizationName(APP_TITLE)
    QCoreApplication.setApplicationName(APP_TITLE)
    app.setApplicationDisplayName(APP_TITLE)
    # Every window (sign-in, editors, dialogs) shows the app's icon; the desktop file name
    # ties the windows to the menu entry (dnt_desktop/launcher.py) on Wayland.
    app.setWindowIcon(icon("app"))
    app.setDesktopFileName("dnt-desktop")
    apply_style(app)
    return app


def dispose(widget: QWidget) -> None:
    """Delete a finished top-level widget now, not at interpreter exit after Qt is gone."""
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_or_report(
    url: DatabaseURL, *, integrity: bool = False, early_check: FileCheck | None = None
) -> Database | None:
    """Open the database; on a StorageError show it in a message box and return None.

    ``open_database`` looks at an existing file read-only first, so a damaged, locked,
    foreign or too new file is reported without being written to. With *integrity* the
    whole file is checked before it is opened (by *early_check* when that one is checking
    this file), in the background; a wait longer than a moment shows "Checking the
    database…".
    """
    from dnt_desktop.storage.open import open_database

    try:
        if integrity:
            return wait_for(
                lambda: open_database(url, integrity=True, early_check=early_check),
                "Checking the database…",
                delay_ms=CHECK_SPLASH_DELAY_MS,
                modal=False,
            )
        return open_database(url)
    except StorageError as exc:
        QMessageBox.critical(None, f"{APP_TITLE}: cannot open the database", str(exc))
        return None


def fill_demo(db: Database, parent: QWidget | None = None) -> bool:
    """Fill a new demo database with sample patients, showing progress."""
    progress = QProgressDialog(
        "Creating the demo database with sample patients…", "", 0, DEMO_PATIENTS, parent
    )
    progress.setWindowTitle("DEMO DATABASE")
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.setValue(0)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def step(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)
        QApplication.processEvents()

    def generate() -> bool:
        from dnt_desktop import demo  # only here: not worth importing at every start

        demo.generate(db, patients=DEMO_PATIENTS, seed=DEMO_SEED, progress=step)
        from dnt_desktop.demo.past_retention import add_past_retention

        add_past_retention(db)  # records an administrator may dispose of (issue 17)
        return True

    try:
        from dnt_desktop.ui.feedback import guarded

        result = guarded(parent, "Demo database", generate)
    finally:
        QApplication.restoreOverrideCursor()
        progress.close()
        dispose(progress)
    return result is not None


def needs_demo_data(db: Database) -> bool:
    """True for a demo database that has no patients yet."""
    from dnt_desktop.services.patients import has_patients

    return not has_patients(db)


def run_setup(db: Database) -> Practitioner | int | None:
    """The first-run setup: the signed-in administrator, EXIT_OK when cancelled, or None
    when the login dialog must follow (the accounts existed, or signing in failed)."""
    from dnt_desktop.ui.setup.first_run import FirstRunDialog

    dialog = FirstRunDialog(db)
    accepted = dialog.exec() == FirstRunDialog.DialogCode.Accepted
    person = dialog.practitioner
    dispose(dialog)
    if not accepted:
        return EXIT_OK
    return person


def who_signs_in(db: Database, *, demo: bool = False) -> Practitioner | int:
    """The signed-in account after the setup or the login dialog, or an exit code."""
    from dnt_desktop.services.clinic_details import get_clinic, is_set_up
    from dnt_desktop.services.practitioners import practitioners

    if not is_set_up(db):
        person = run_setup(db)
        if person is not None:
            return person
    if not practitioners(db, active_only=True):
        QMessageBox.critical(
            None,
            APP_TITLE,
            "There is no active practitioner account in this database. Ask the clinic's "
            "administrator to reactivate an account.",
        )
        return EXIT_FAILED
    clinic = get_clinic(db)
    note = ""
    if demo:
        from dnt_desktop.demo import DEMO_PASSWORD_NOTE

        note = DEMO_PASSWORD_NOTE
    person = sign_in(db, clinic_name=clinic.name if clinic else "", note=note)
    return person if person is not None else EXIT_OK


def early_file_check(url: DatabaseURL, early_check: FileCheck | None) -> FileCheck | None:
    """The start-up check of the SQLite file at *url*: *early_check* when it looks at that
    file, else one started now (None for a server database or where there is no file).

    It looks at the file before anything opens it: a file provably unchanged since
    ``check`` accepted it is not read again (``storage.verified``).
    """
    from dnt_desktop.storage.location import sqlite_path

    path = sqlite_path(url)
    if early_check is not None and early_check.is_for(path):
        return early_check
    return file_check_of(path) if path is not None else None


def file_check_of(path: Path) -> FileCheck | None:
    """The start-up check of the file at *path*, started (None where there is no file, or
    on a network share, which ``open_database`` refuses without reading it)."""
    from dnt_desktop.storage.local_disk import check_local_path

    if not path.is_file():
        return None
    try:
        check_local_path(path)
    except StorageError:
        return None
    return FileCheck(path).start()


def start(
    args: argparse.Namespace, early_check: FileCheck | None = None
) -> tuple[Database, AppContext, bool, FullCheck | None] | int:
    """Everything before the main window: check and open, set up, sign in.

    Returns the database, the context, whether it is the demo and the full check of the
    file (None when there is nothing to check: a new file, one provably unchanged since
    it was checked, a server database), or an exit code. While the full check runs,
    every write waits for its verdict (``Database.hold_writes``), the sign-in's too.
    """
    qt_application()
    is_demo = bool(getattr(args, "demo", False))
    path = None if is_demo else plain_database_file(getattr(args, "db", None))
    if path is not None and (early_check is None or not early_check.is_for(path)):
        early_check = file_check_of(path)
    if path is not None and early_check is not None and early_check.verified is not None:
        early = signing_in_early(path, args, early_check)
        if early is not None:
            return early
    from dnt_desktop.ui.full_check import hold_writes_until_checked

    url = database_url(args)
    file_check = early_file_check(url, early_check)
    db = open_or_report(url, integrity=True, early_check=file_check)
    if db is None:
        return EXIT_FAILED
    check: FullCheck | None = None
    if file_check is not None and file_check.verified is None:
        check = hold_writes_until_checked(db)
    try:
        if is_demo and needs_demo_data(db) and not fill_demo(db):
            db.dispose()
            return EXIT_FAILED
        person = who_signs_in(db, demo=is_demo)
    except StorageError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        db.dispose()
        return EXIT_FAILED
    if isinstance(person, int):
        db.dispose()
        return person
    return db, context_of(db, person), is_demo, check


def context_of(db: Database, person: Practitioner) -> AppContext:
    """The signed-in session's context."""
    from dnt_desktop.models.enums import Role
    from dnt_desktop.ui.context import AppContext

    return AppContext(db, person.id, person.full_name, person.role == Role.ADMIN)


class _Opening:
    """The database opened on a worker thread while the sign-in dialog shows.

    Called (by the dialog, when the user signs in) it returns the open database, waiting
    for it with "Opening the database…" when needed, or None when it could not be opened
    (``error`` says why; the dialog then closes and the app reports it). Once the file is
    open, its full check starts at once on the GUI thread when it needs one.
    """

    def __init__(self, args: argparse.Namespace, early_check: FileCheck | None) -> None:
        self.db: Database | None = None
        self.error: BaseException | None = None
        self.check: FullCheck | None = None
        self.dialog_open = False
        self.task = BackgroundTask(lambda: self._open(args, early_check))
        self.task.succeeded.connect(self._opened)
        self.task.failed.connect(self._failed)
        # Once the dialog is painted: its thread's imports would otherwise take turns
        # with the dialog's own work on Python's interpreter lock.
        QTimer.singleShot(OPEN_AFTER_DIALOG_MS, self.task.start)

    @staticmethod
    def _open(
        args: argparse.Namespace, early_check: FileCheck | None
    ) -> tuple[Database, FileCheck | None]:
        from dnt_desktop.storage.open import open_database

        url = database_url(args)
        file_check = early_file_check(url, early_check)
        return open_database(url, integrity=True, early_check=file_check), file_check

    def _opened(self, result: tuple[Database, FileCheck | None]) -> None:
        from dnt_desktop.ui.full_check import hold_writes_until_checked

        self.db, file_check = result
        if file_check is not None and file_check.verified is None:
            self.check = hold_writes_until_checked(self.db)

    def _failed(self, error: BaseException) -> None:
        self.error = error
        dialog = QApplication.activeModalWidget()
        if self.dialog_open and isinstance(dialog, QDialog):
            dialog.reject()  # nothing to sign in to: the app says why
        # (while "Opening the database…" shows, the dialog closes itself on None)

    def __call__(self) -> Database | None:
        if not self.task.started:
            self.task.start()
        if not self.task.finished:
            window = BusyWindow("Opening the database…", QApplication.activeModalWidget())
            window.setWindowModality(Qt.WindowModality.ApplicationModal)
            loop = QEventLoop()
            self.task.done.connect(loop.quit)
            QTimer.singleShot(
                CHECK_SPLASH_DELAY_MS, window, lambda: self.task.finished or window.show_centred()
            )
            if not self.task.finished:
                loop.exec()
            window.close()
            window.deleteLater()
        return self.db


def signing_in_early(
    path: Path, args: argparse.Namespace, early_check: FileCheck
) -> tuple[Database, AppContext, bool, FullCheck | None] | int | None:
    """The start with the sign-in dialog first (see the module's docstring) for the file
    at *path*, provably unchanged since ``check`` accepted it (*early_check* says so): the
    same result as ``start``, or None when its look does not allow it (no clinic or no
    active account yet, a schema to migrate, nowhere to save): the usual order then."""
    from dnt_desktop.storage.signin_facts import sign_in_facts

    clinic_name = sign_in_facts(path)
    if clinic_name is None:
        return None
    opening = _Opening(args, early_check)
    opening.dialog_open = True
    try:
        person = sign_in(opening, clinic_name=clinic_name)
    finally:
        opening.dialog_open = False
    db = opening()
    if db is None:
        error = opening.error
        if isinstance(error, StorageError):
            QMessageBox.critical(None, f"{APP_TITLE}: cannot open the database", str(error))
            return EXIT_FAILED
        raise error if error is not None else RuntimeError("the database did not open")
    if person is None:
        db.dispose()
        return EXIT_OK
    return db, context_of(db, person), False, opening.check


class _Screen:
    """Who is signed in and their main window now (a colleague may take over the PC)."""

    def __init__(self, window: QMainWindow, actor_id: int) -> None:
        self.window: QMainWindow | None = window
        self.actor_id = actor_id


def watch_the_file(db: Database, screen: _Screen, check: FullCheck | None) -> None:
    """Show the full check's verdict in the main window; the daily backup follows a sound one.

    A problem stops all saving and is shown (see ``full_check``) in the main window open
    when the verdict comes (after a take-over, the colleague's). A file with no check
    to wait for (provably unchanged since it was checked, or new) is sound already.
    """
    from dnt_desktop.ui.backups.backup_jobs import owed_backup_at_start, start_daily_backup
    from dnt_desktop.ui.full_check import show_verdict

    def verdict_in(verdict: Verdict) -> None:
        window = screen.window
        if window is None:  # between two sign-ins: the next window shows it
            return
        show_verdict(window, verdict)
        if verdict.sound:
            daily_backup_soon(window)

    def daily_backup_soon(window: QMainWindow) -> None:
        def backups_due() -> None:
            owed_backup_at_start(db, screen.actor_id, window.statusBar(), window)
            start_daily_backup(db, screen.actor_id, window.statusBar(), window)

        QTimer.singleShot(DAILY_BACKUP_DELAY_MS, window, backups_due)

    if db.path is None or screen.window is None:  # PostgreSQL: the server's checks
        return
    if check is None:
        daily_backup_soon(screen.window)
    elif check.verdict is not None:
        verdict_in(check.verdict)
    else:
        check.finished.connect(verdict_in)


def warm_up_chart(window: MainWindow) -> None:
    """Open the register's first patient's chart unseen and close it, so that the first
    chart the user opens is quick (nothing once the user opened one)."""
    window.chart.warm_up(window.register.model.patient_id(0))


def sign_in_again(db: Database, demo: bool) -> AppContext | int:
    """The sign-in after someone was signed out for a colleague: the new context, or an
    exit code when nobody signs in (Quit) or the database cannot be read."""
    try:
        person = who_signs_in(db, demo=demo)
    except StorageError as exc:
        QMessageBox.critical(None, APP_TITLE, str(exc))
        return EXIT_FAILED
    if isinstance(person, int):
        return person
    return context_of(db, person)


def run(args: argparse.Namespace, *, early_check: FileCheck | None = None) -> int:
    """Open the database and show the main window; returns the exit code.

    *early_check* is the whole-file check ``cli`` started before the imports. After a
    restore the window closes itself and everything starts again (a new check, sign in)
    on the restored database. After a sign-out for a colleague (from the lock screen)
    the sign-in comes back on the same database.
    """
    while True:
        started = start(args, early_check)
        early_check = None  # a restored file is checked again
        if isinstance(started, int):
            return started
        # Only now: the sign-in dialog shows before these (and SQLAlchemy) are loaded.
        from dnt_desktop.ui.backups.backup_jobs import exit_backup, finish_background_work
        from dnt_desktop.ui.full_check import show_verdict
        from dnt_desktop.ui.main_window import MainWindow

        db, ctx, is_demo, check = started
        app = qt_application()
        restart = False
        screen: _Screen | None = None
        try:
            while True:  # again after a sign-out for a colleague, on the same database
                window = MainWindow(ctx, demo=is_demo)
                window.show()
                window.register.focus_search()
                QTimer.singleShot(WARM_UP_DELAY_MS, window, lambda w=window: warm_up_chart(w))
                if screen is None:
                    screen = _Screen(window, ctx.practitioner_id)
                    watch_the_file(db, screen, check)
                else:  # the check runs once per opening; its verdict reaches this window
                    screen.window, screen.actor_id = window, ctx.practitioner_id
                    if check is not None and check.verdict is not None:
                        show_verdict(window, check.verdict)
                code = app.exec()
                restart = window.restart_requested
                signed_out = window.sign_out_requested
                screen.window = None
                dispose(window)
                if not signed_out:
                    break
                colleague = sign_in_again(db, is_demo)
                if isinstance(colleague, int):
                    code = colleague
                    break
                ctx = colleague
            if check is not None:
                check.stop()
            if restart:
                finish_background_work()  # a daily backup still running
            else:
                exit_backup(db, ctx.practitioner_id)  # shows its progress at once
        finally:
            db.dispose()
        if not restart:
            return code
