"""Help: every keyboard shortcut of every window, where the data lives, and the version.

F1 opens it from any window of the app (the main window and the session editor have a
Help action; every other window and dialog gets F1 from ``HelpKey``), scrolled to the
shortcuts of the window it was asked from. It is not modal: it can stay open beside
the window whose keys it explains.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop import __version__
from dnt_desktop.storage.location import data_dir

from ..context import AppContext
from .window_size import place_window

Shortcut = tuple[str, str]

SECTIONS: tuple[tuple[str, str, tuple[Shortcut, ...]], ...] = (
    (
        "main",
        "Main window: register and chart",
        (
            ("Ctrl+F", "Find a patient (puts the cursor in the search box)"),
            ("Down / Up", "From the search box into the list, and back"),
            ("Enter", "Open the highlighted patient's chart, or the highlighted session"),
            ("Ctrl+Shift+N", "Register a new patient"),
            ("Ctrl+E", "Edit the open patient's details"),
            ("Ctrl+N", "New session for the open patient"),
            ("Ctrl+P", "Aftercare sheet of the highlighted session"),
            (
                "Ctrl+1 … Ctrl+5",
                "Chart tabs: Details, Medical history, Screening, Consent, Sessions",
            ),
            ("Ctrl+L", "Lock the screen now (in every window)"),
            ("F1", "This help (in every window)"),
            ("Ctrl+Q", "Quit"),
        ),
    ),
    (
        "editor",
        "Session editor",
        (
            ("Ctrl+S", "Save the session"),
            ("Ctrl+Shift+S", "Sign the session with your password (it is saved first)"),
            ("Ctrl+P", "Save, then open the aftercare sheet"),
            ("Esc, Ctrl+W, Ctrl+F4", "Close the editor (unsaved changes are asked about)"),
            ("Ctrl+Tab, Ctrl+Shift+Tab", "Next or previous tab (Points, Treatment, Notes…)"),
            ("F1", "This help"),
            ("Arrow keys", "Body chart: move the selected point (with Shift: bigger steps)"),
            ("Enter", "Body chart: choose the muscle of the selected point"),
            ("Delete", "Body chart or point table: remove the selected point"),
            ("Arrow keys", "Point and side-effect tables: move between cells"),
            ("F2 or typing", "Point and side-effect tables: edit the cell"),
            ("Enter / Esc", "Point and side-effect tables: keep / undo the cell's edit"),
            ("Tab", "Next control; while a cell is edited, the next cell of the row"),
            ("0 … 10", "Pain scale: the score (1 then 0 for 10); Left/Right step; Delete clears"),
            ("Ctrl+Space", "Notes: insert one of the clinic's phrases at the cursor"),
            ("Ctrl+K", "Confirm the points copied from an earlier session (marked ↻)"),
            ("Ctrl+Shift+P", "Protocol menu: apply a protocol, or save the points as one"),
        ),
    ),
    (
        "preview",
        "Aftercare sheet preview",
        (
            ("Ctrl+P", "Print the sheet"),
            ("Ctrl+S", "Save the sheet as a PDF"),
            ("Ctrl++ / Ctrl+-", "Zoom in / out"),
            ("Esc", "Close the preview"),
        ),
    ),
    (
        "lock",
        "Lock screen",
        (
            ("Enter", "Unlock with the password typed"),
            ("Tab", "Between the password, Unlock and Sign out for a colleague"),
        ),
    ),
    (
        "dialogs",
        "Every dialog",
        (
            ("Alt+underlined letter", "The field or button with that letter"),
            ("Enter", "The dialog's main button (Save, Sign in…)"),
            ("Esc", "Cancel or close (unsaved typing is asked about)"),
        ),
    ),
)
"""(anchor, title, shortcuts) of each window, in the order the help lists them."""

SHORTCUTS: tuple[Shortcut, ...] = tuple(entry for _key, _title, rows in SECTIONS for entry in rows)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def help_html(database: str, data_folder: str, demo: bool = False) -> str:
    """The help text: shortcuts of every window, the database in use and the data folder."""
    tables = []
    for key, title, rows in SECTIONS:
        lines = "".join(
            f"<tr><td style='padding:3px 14px 3px 0'><b>{_escape(keys)}</b></td>"
            f"<td style='padding:3px 0'>{_escape(what)}</td></tr>"
            for keys, what in rows
        )
        tables.append(f"<h3><a name='{key}'></a>{_escape(title)}</h3><table>{lines}</table>")
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
        "<h2>Keyboard shortcuts</h2>"
        f"{''.join(tables)}"
        "<h2>Where the data lives</h2>"
        f"<p>Database in use: <b>{_escape(database)}</b><br>"
        f"Data folder: {_escape(data_folder)}</p>"
        "<p>Another database can be opened with <code>dnt-desktop --db PATH</code> or the "
        "<code>DNT_DATABASE_URL</code> environment variable. Make a verified backup with "
        "<code>dnt-desktop backup DEST</code>, even while the app runs.</p>"
        "<h2>Records</h2>"
        "<p>Patients are archived, never deleted. Signed sessions cannot be changed, only "
        "amended. Every change is kept in the audit trail.</p>"
    )


class AboutDialog(QDialog):
    """Shortcuts, data location and version in one scrollable page (not modal)."""

    def __init__(
        self, database: str, data_folder: str, demo: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("help_window")
        self.setWindowTitle("Help and shortcuts")
        self.text = QTextBrowser()
        self.text.setAccessibleName("Help")
        self.text.setOpenExternalLinks(False)
        self.text.setHtml(help_html(database, data_folder, demo))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        place_window(self, "help_window", 720, 640)

    def show_section(self, key: str) -> None:
        """Scroll to the shortcuts of window *key* ('main', 'editor', 'preview'…)."""
        if key:
            self.text.scrollToAnchor(key)


def database_label(ctx: AppContext) -> str:
    """The database as shown to the user: the file path, or the URL without password."""
    if ctx.db.path is not None:
        return str(ctx.db.path)
    return ctx.db.url.render_as_string(hide_password=True)


def open_help(
    parent: QWidget | None, ctx: AppContext, *, section: str = "", demo: bool = False
) -> AboutDialog:
    """Show the help over *parent*, scrolled to *section*'s shortcuts."""
    dialog = AboutDialog(database_label(ctx), str(data_dir()), demo, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    dialog.show_section(section)
    return dialog


def section_of(window: QWidget | None) -> str:
    """Which help section explains *window*."""
    name = window.objectName() if window is not None else ""
    if name == "session_editor":
        return "editor"
    if name == "aftercare_preview":
        return "preview"
    if name == "help_window":
        return ""
    return "dialogs" if window is not None and window.isModal() else "main"


class HelpKey(QObject):
    """F1 in any window of the app opens the help (windows with a Help action use theirs).

    Installed once on the application by the main window, with its context.
    """

    _installed: HelpKey | None = None

    def __init__(self, ctx: AppContext, demo: bool = False) -> None:
        super().__init__(QApplication.instance())
        self.ctx = ctx
        self.demo = demo
        self.dialog: AboutDialog | None = None

    @classmethod
    def install(cls, ctx: AppContext, demo: bool = False) -> HelpKey:
        """Listen for F1 in the whole app (once; a new sign-in brings a new context)."""
        if cls._installed is None:
            cls._installed = HelpKey(ctx, demo)
            app = QApplication.instance()
            assert app is not None
            app.installEventFilter(cls._installed)
        cls._installed.ctx, cls._installed.demo = ctx, demo
        return cls._installed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_F1
            and isinstance(watched, QWidget)
        ):
            window = watched.window()
            locked = window.findChild(QWidget, "lock_overlay")
            if window.objectName() == "help_window" or (locked and locked.isVisible()):
                return False
            self.dialog = open_help(window, self.ctx, section=section_of(window), demo=self.demo)
            return True
        return False
