"""Help and About: keyboard shortcuts, where the data lives, and the version."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from dnt_desktop import __version__

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Ctrl+F", "Find a patient (puts the cursor in the search box)"),
    ("Down / Up", "From the search box into the list, and back"),
    ("Enter", "Open the highlighted patient or session"),
    ("Ctrl+Shift+N", "Register a new patient"),
    ("Ctrl+N", "New session for the open patient"),
    ("Ctrl+S", "Save the session (in the session editor)"),
    ("Ctrl+P", "Aftercare sheet of the highlighted session"),
    ("Ctrl+1 … Ctrl+5", "Chart tabs: Details, Medical history, Screening, Consent, Sessions"),
    ("F1", "This help"),
    ("Ctrl+Q", "Quit"),
)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def help_html(database: str, data_folder: str, demo: bool = False) -> str:
    """The help text: shortcuts, the database in use and the data folder."""
    rows = "".join(
        f"<tr><td style='padding:3px 14px 3px 0'><b>{_escape(keys)}</b></td>"
        f"<td style='padding:3px 0'>{_escape(what)}</td></tr>"
        for keys, what in SHORTCUTS
    )
    demo_note = (
        "<p style='color:#6a1b9a'><b>This is the DEMO database</b>: sample patients only, "
        "never real patient data.</p>"
        if demo
        else ""
    )
    return (
        f"<h2>dnt-desktop {__version__}</h2>"
        "<p>Charting of dry-needling treatment sessions and aftercare sheets.</p>"
        f"{demo_note}"
        "<h3>Keyboard shortcuts</h3>"
        f"<table>{rows}</table>"
        "<h3>Where the data lives</h3>"
        f"<p>Database in use: <b>{_escape(database)}</b><br>"
        f"Data folder: {_escape(data_folder)}</p>"
        "<p>Another database can be opened with <code>dnt-desktop --db PATH</code> or the "
        "<code>DNT_DATABASE_URL</code> environment variable. Make a verified backup with "
        "<code>dnt-desktop backup DEST</code>, even while the app runs.</p>"
        "<h3>Records</h3>"
        "<p>Patients are archived, never deleted. Signed sessions cannot be changed, only "
        "amended. Every change is kept in the audit trail.</p>"
    )


class AboutDialog(QDialog):
    """Shortcuts, data location and version in one scrollable page."""

    def __init__(
        self, database: str, data_folder: str, demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Help and shortcuts")
        self.resize(640, 560)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Help")
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(help_html(database, data_folder, demo))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
