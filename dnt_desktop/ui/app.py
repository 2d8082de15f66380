"""Starting the Qt application (replaced by the full main window in the charting issue)."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    """Open the database and show the main window; returns the exit code."""
    from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

    from dnt_desktop.storage.errors import StorageError
    from dnt_desktop.storage.location import resolve_database_url
    from dnt_desktop.storage.open import open_database

    app = QApplication.instance() or QApplication(sys.argv)
    try:
        db = open_database(resolve_database_url(args.db))
    except StorageError as exc:
        QMessageBox.critical(None, "dnt-desktop", str(exc))
        return 1
    label = QLabel(f"dnt-desktop: {db.url.database}")
    label.resize(480, 120)
    label.show()
    code = app.exec()
    db.dispose()
    return code
