"""Screenshots of disposing of a record past retention (issue 17) for docs/screenshots.

Run it on a real (virtual) X server, once per scale::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/retention_screenshots.py \\
        docs/screenshots/record
    QT_SCALE_FACTOR=1.25 xvfb-run -a -s "-screen 0 1366x768x24" \\
        .venv/bin/python tools/retention_screenshots.py docs/screenshots/record

It builds a demo clinic (30 patients and the demo's records past retention) in a
temporary folder, opens Administration > Records past retention with "Erase completely"
chosen and a reason typed, then the confirmation that counts what would be deleted, and
saves the whole screen each time (names end in ``-125`` at scale 1.25). Nothing is
erased, and nothing of the user's own data or settings is touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="dnt-retention-screenshots-")
os.environ["XDG_DATA_HOME"] = os.environ["XDG_CONFIG_HOME"] = HOME

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

from dnt_desktop import demo  # noqa: E402
from dnt_desktop.demo.past_retention import add_past_retention  # noqa: E402
from dnt_desktop.services.disposal import DisposalKind  # noqa: E402
from dnt_desktop.services.practitioners import practitioners  # noqa: E402
from dnt_desktop.storage.location import sqlite_url  # noqa: E402
from dnt_desktop.storage.open import open_database  # noqa: E402
from dnt_desktop.ui.app import qt_application  # noqa: E402
from dnt_desktop.ui.context import AppContext  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from screenshots import save_screen  # noqa: E402


def main(folder: Path) -> None:
    qt_application()
    QCoreApplication.setOrganizationName("dnt-desktop-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, HOME)
    folder.mkdir(parents=True, exist_ok=True)
    suffix = "" if os.environ.get("QT_SCALE_FACTOR", "1") in ("", "1") else "-125"
    db = open_database(sqlite_url(Path(HOME) / "clinic.sqlite3"))
    demo.generate(db, patients=30, seed=1)
    add_past_retention(db)
    admin = {p.username: p for p in practitioners(db)}["admin"]
    ctx = AppContext(db, admin.id, admin.full_name, True)

    from dnt_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, demo=True)
    window.show()
    dialog = window.record_actions.open_retention()
    assert dialog is not None
    dialog.choices[DisposalKind.ERASE].setChecked(True)
    dialog.reason.setText("Annual review of records: retention period over")
    save_screen(folder, f"records-past-retention-erase{suffix}")
    asked = dialog.confirmation(dialog.rows[0])
    assert asked is not None
    box, _go = asked
    box.show()
    save_screen(folder, f"erase-confirmation{suffix}")
    box.done(0)
    dialog.done(0)
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots/record"))
