"""Screenshots of the Progress tab (pain graph, measures, letters) and of a progress
letter's first page, for docs/screenshots.

Run it on a real (virtual) X server at the size and scale to document, e.g.::

    xvfb-run -a -s "-screen 0 1366x768x24" env QT_SCALE_FACTOR=1.25 \\
        .venv/bin/python tools/progress_screenshots.py docs/screenshots 1366x768-125

It builds a demo clinic in a temporary folder, opens the demo patient with the most
sessions that has a referrer and a letter, and saves the whole screen
(``progress-graph-SUFFIX.png``) and the letter's first page (``letter-first-page.png``,
rendered by pdftoppm when it is installed).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="dnt-screenshots-")
os.environ["XDG_DATA_HOME"] = os.environ["XDG_CONFIG_HOME"] = HOME

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402
from sqlalchemy import select  # noqa: E402

from dnt_desktop import demo  # noqa: E402
from dnt_desktop.models import SentLetter  # noqa: E402
from dnt_desktop.services.practitioners import practitioners  # noqa: E402
from dnt_desktop.services.progress.letters import letter_pdf  # noqa: E402
from dnt_desktop.storage.location import sqlite_url  # noqa: E402
from dnt_desktop.storage.open import open_database  # noqa: E402
from dnt_desktop.ui.app import qt_application  # noqa: E402
from dnt_desktop.ui.context import AppContext  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from screenshots import save_screen, settle  # noqa: E402


def main(folder: Path, suffix: str) -> None:
    app = qt_application()
    QCoreApplication.setOrganizationName("dnt-desktop-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, HOME)
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(sqlite_url(Path(HOME) / "clinic.sqlite3"))
    demo.generate(db, patients=200, seed=1)
    people = {p.username: p for p in practitioners(db)}
    sarah = people["sarah.okafor"]
    ctx = AppContext(db, sarah.id, sarah.full_name, False)
    with db.reading() as session:
        letter_id, patient_id = session.execute(
            select(SentLetter.id, SentLetter.patient_id).order_by(SentLetter.id).limit(1)
        ).one()

    from dnt_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, demo=True)
    window.show()
    window.open_patient(patient_id)
    tabs = window.chart.tabs
    tabs.setCurrentWidget(window.chart.progress_tab)
    settle(600)
    save_screen(folder, f"progress-graph-{suffix}")

    pdf = folder / "letter.pdf"
    pdf.write_bytes(letter_pdf(db, letter_id))
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf),
                str(folder / "letter-first-page"),
            ],
            check=True,
        )
        print(f"saved {folder / 'letter-first-page.png'}")
    pdf.unlink()
    QMessageBox.question = lambda *_a, **_k: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    window.close()
    db.dispose()
    app.quit()


if __name__ == "__main__":
    main(
        Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"),
        sys.argv[2] if len(sys.argv) > 2 else "1366x768-100",
    )
