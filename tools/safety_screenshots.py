"""Screenshots of the Safety report (issue 16) for docs/screenshots, on a demo clinic.

Run it on a real (virtual) X server::

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/safety_screenshots.py \\
        docs/screenshots

It builds a demo clinic (200 patients) in a temporary folder, opens the administrator's
Safety report for the last year (its Rates and Chart tabs) and the lung-risk depth limits,
saves the whole screen each time, then writes the report's PDF and the incident report of
the demo's serious event and saves their first pages as PNG. Nothing of the user's own
data or settings is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HOME = tempfile.mkdtemp(prefix="dnt-safety-screenshots-")
os.environ["XDG_DATA_HOME"] = os.environ["XDG_CONFIG_HOME"] = HOME

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from sqlalchemy import select  # noqa: E402

from dnt_desktop import demo  # noqa: E402
from dnt_desktop.models import LateEvent  # noqa: E402
from dnt_desktop.services.practitioners import practitioners  # noqa: E402
from dnt_desktop.storage.location import sqlite_url  # noqa: E402
from dnt_desktop.storage.open import open_database  # noqa: E402
from dnt_desktop.ui.app import qt_application  # noqa: E402
from dnt_desktop.ui.context import AppContext  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))
from screenshots import save_screen  # noqa: E402


def pdf_page(pdf: Path, png: Path) -> None:
    """The PDF's first page as PNG (100 dpi)."""
    subprocess.run(
        ["pdftoppm", "-png", "-r", "100", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(png.with_suffix(""))],
        check=True,
    )  # fmt: skip
    print(f"saved {png}")


def main(folder: Path) -> None:
    qt_application()
    QCoreApplication.setOrganizationName("dnt-desktop-screenshots")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, HOME)
    folder.mkdir(parents=True, exist_ok=True)
    db = open_database(sqlite_url(Path(HOME) / "clinic.sqlite3"))
    demo.generate(db, patients=200, seed=1)
    admin = {p.username: p for p in practitioners(db)}["admin"]
    ctx = AppContext(db, admin.id, admin.full_name, True)

    from dnt_desktop.pdf.incident import render_incident
    from dnt_desktop.pdf.safety_report import render_safety_report
    from dnt_desktop.services.safety.incident import incident_report
    from dnt_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx, demo=True)
    window.show()
    report = window.safety.open_report()
    report.wait_for_report()
    save_screen(folder, "safety-report")
    report.tabs.setCurrentWidget(report.chart)
    save_screen(folder, "safety-report-chart")
    report.close()
    limits = window.safety.open_limits()
    save_screen(folder, "lung-risk-limits")
    limits.done(0)

    pdf = Path(HOME) / "safety-report.pdf"
    pdf.write_bytes(render_safety_report(report.report, "Riverside Physiotherapy (demo)"))
    pdf_page(pdf, folder / "safety-report-pdf.png")
    with db.reading() as session:
        event_id = session.scalar(select(LateEvent.id).where(LateEvent.code == "infection"))
    incident = Path(HOME) / "incident.pdf"
    incident.write_bytes(render_incident(incident_report(db, admin.id, event_id)))
    pdf_page(incident, folder / "incident-report.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
