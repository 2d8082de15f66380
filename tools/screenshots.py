"""Screenshots of the main screens, whole screen included, for docs/screenshots.

Run it on a real (virtual) X server at the size and scale to document, e.g.::

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_SCALE_FACTOR=1.25 \\
        .venv/bin/python tools/screenshots.py docs/screenshots/1366x768-125

It builds a demo clinic in a temporary folder (the showcase patient included: long
names, two danger alerts and a review warning, eight points), opens each screen the way
the app does (sized and placed by the app, not by this script) and saves the whole
screen, so a window that did not fit would show cut off at the edge. Nothing of the
user's own data or settings is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="dnt-screenshots-")
os.environ["XDG_DATA_HOME"] = os.environ["XDG_CONFIG_HOME"] = HOME

from PIL import Image  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from dnt_desktop import demo  # noqa: E402
from dnt_desktop.demo.showcase import add_showcase  # noqa: E402
from dnt_desktop.services.practitioners import practitioners  # noqa: E402
from dnt_desktop.storage.location import sqlite_url  # noqa: E402
from dnt_desktop.storage.open import open_database  # noqa: E402
from dnt_desktop.ui.app import qt_application  # noqa: E402
from dnt_desktop.ui.context import AppContext  # noqa: E402

PATIENTS = 60


def settle(milliseconds: int = 300) -> None:
    """Let windows show, lay out and paint."""
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.start(milliseconds)
    while deadline.isActive():
        QApplication.processEvents()


def save_screen(folder: Path, name: str) -> None:
    """The whole screen as a small PNG (256 colours are plenty for these screens)."""
    settle()
    pixmap = QGuiApplication.primaryScreen().grabWindow(0)
    path = folder / f"{name}.png"
    pixmap.save(str(path))
    image = Image.open(path).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    print(f"saved {path}")


def main(folder: Path) -> None:
    app = qt_application()
    QCoreApplication.setOrganizationName("dnt-desktop-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, HOME)
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(sqlite_url(Path(HOME) / "clinic.sqlite3"))
    demo.generate(db, patients=PATIENTS, seed=1)
    people = {p.username: p for p in practitioners(db)}
    sarah, admin = people["sarah.okafor"], people["admin"]
    showcase = add_showcase(db, sarah.id)
    ctx = AppContext(db, sarah.id, sarah.full_name, False)
    admin_ctx = AppContext(db, admin.id, admin.full_name, True)

    from dnt_desktop.ui.aftercare.preview import AftercarePreviewDialog
    from dnt_desktop.ui.main_window import MainWindow
    from dnt_desktop.ui.patient.chart_view import (
        CONSENT_TAB,
        DETAILS_TAB,
        HISTORY_TAB,
        MEDICAL_TAB,
        SCREENING_TAB,
    )
    from dnt_desktop.ui.signin.login_dialog import LoginDialog

    shoot: Callable[[str], None] = lambda name: save_screen(folder, name)  # noqa: E731

    login = LoginDialog(
        db, clinic_name="Riverside Physiotherapy (demo)", note=demo.DEMO_PASSWORD_NOTE
    )
    login.show()
    login.username.setText("sarah.okafor")
    login.password.setText("not the password")
    login.accept()  # the message a wrong password gives is part of the screen
    shoot("sign-in")
    login.done(0)

    window = MainWindow(ctx, demo=True)
    window.show()
    window.register.search_box.setText("Featherstonehaugh")
    window.register.run_search()
    window.open_patient(showcase.patient_id)
    for name, tab in (
        ("chart-details", DETAILS_TAB),
        ("chart-medical-history", MEDICAL_TAB),
        ("chart-screening", SCREENING_TAB),
        ("chart-consent", CONSENT_TAB),
        ("chart-sessions", HISTORY_TAB),
    ):
        window.show_tab(tab)
        if tab == SCREENING_TAB:
            window.chart.screening_tab.start_new()
        elif tab == CONSENT_TAB:
            window.chart.consent_tab.start_record()
        shoot(name)
        window.chart.screening_tab.cancel_new()
        window.chart.consent_tab.show_list()

    editor = window.open_session(showcase.patient_id, showcase.session_id)
    assert editor is not None
    shoot("session-editor")
    editor.close()

    form = window.edit_patient(showcase.patient_id)
    shoot("patient-form")
    form.done(0)

    preview = AftercarePreviewDialog(ctx, showcase.session_id, window)
    preview.show()
    shoot("aftercare-preview")
    preview.done(0)

    window.hide()  # the administrator's own window behind their dialogs
    admin_window = MainWindow(admin_ctx, demo=True)
    admin_window.show()
    settings = admin_window.open_settings()
    assert settings is not None
    shoot("settings")
    settings.done(0)
    viewer = admin_window.open_audit_trail()
    assert viewer is not None
    shoot("audit-trail")
    viewer.close()

    QMessageBox.question = lambda *_a, **_k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    for top in (admin_window, window):
        top.close()
    db.dispose()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
