"""Protocols in the app: apply one to the session, save the session's points as one, and
manage them (rename, delete; administrators share them with the clinic).

The editor's **Protocol** button (Ctrl+Shift+P) opens a menu of the practitioner's own
and the clinic's shared protocols; choosing one adds its points to the session, where
they are checked and alerted on exactly like points placed by hand. The same menu saves
the session's points as a new protocol and opens **Protocols…**, the list to manage them
(also in the main window's Clinic menu).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dnt_desktop.services import protocols
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.protocols import ProtocolView
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded
from dnt_desktop.ui.widgets.button_rows import button_row
from dnt_desktop.ui.widgets.list_table import highlighted, list_table

PROTOCOL_KEY = "Ctrl+Shift+P"


def protocol_label(view: ProtocolView, practitioner_id: int) -> str:
    """'Lateral elbow – 3 points (shared)' for menus."""
    whose = " (shared)" if view.shared else ""
    if view.owner_id != practitioner_id and not view.shared:
        whose = f" ({view.owner_name})"
    return f"{view.name} – {view.summary}{whose}"


class ProtocolButton(QPushButton):
    """The editor's Protocol menu: apply one, save the points as one, manage them."""

    applied = Signal(object)
    """A protocol was chosen: its ``ProtocolView``."""

    def __init__(
        self, ctx: AppContext, points: Callable[[], list[PointDraft]], parent: QWidget
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._points = points
        self.dialog: QDialog | None = None
        self.setObjectName("protocol_button")
        self.setText("Protoco&l")
        self.setAccessibleName("Protocols: apply one or save these points as one")
        self.setToolTip(f"Apply a protocol, or save these points as one ({PROTOCOL_KEY})")
        self.menu_ = QMenu(self)
        self.menu_.setObjectName("protocol_menu")
        self.menu_.setAccessibleName("Protocols")
        self.menu_.aboutToShow.connect(self.fill_menu)
        self.setMenu(self.menu_)

    def fill_menu(self) -> None:
        """The protocols read now (another PC may have shared one since)."""
        menu = self.menu_
        menu.clear()
        found = guarded(
            self,
            "Protocols",
            lambda: protocols.protocols_for(self._ctx.db, self._ctx.practitioner_id),
        )
        if found:
            for view in found:
                action = menu.addAction(
                    "Apply " + protocol_label(view, self._ctx.practitioner_id).replace("&", "&&")
                )
                action.triggered.connect(lambda _=False, v=view: self.applied.emit(v))
        else:
            none = menu.addAction("No protocols yet: place points, then save them as one")
            none.setEnabled(False)
        menu.addSeparator()
        save = menu.addAction("&Save these points as a protocol…")
        save.setEnabled(bool(self._points()))
        save.triggered.connect(self.ask_name)
        manage = menu.addAction("&Manage protocols…")
        manage.triggered.connect(self.manage)

    def ask_name(self) -> QInputDialog:
        """Ask the new protocol's name, then save the session's points as it."""
        dialog = QInputDialog(self.window())
        dialog.setObjectName("protocol_name_dialog")
        dialog.setWindowTitle("Save as protocol")
        dialog.setLabelText(
            f"Name of the protocol ({len(self._points())} points), e.g. “Lateral elbow”:"
        )
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.textValueSelected.connect(self.save_as)
        self.dialog = dialog
        dialog.open()
        return dialog

    def save_as(self, name: str) -> int | None:
        """Save the session's points as the practitioner's protocol *name*."""
        saved = guarded(
            self.window(),
            "Protocol not saved",
            lambda: protocols.save_protocol(
                self._ctx.db, self._ctx.practitioner_id, name, self._points()
            ),
        )
        if saved is None:
            return None
        protocol_id, changes = saved
        self._ctx.hub.publish(changes)
        window = self.window()
        if hasattr(window, "show_status"):
            window.show_status(f"Protocol “{name.strip()}” saved.")
        return protocol_id

    def manage(self) -> ProtocolsDialog:
        """Open the list of protocols."""
        dialog = ProtocolsDialog(self._ctx, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_menu(self) -> None:
        """Ctrl+Shift+P: the menu under the button."""
        if self.isEnabled():
            self.showMenu()


class ProtocolsDialog(QDialog):
    """The practitioner's protocols and the clinic's shared ones: rename, delete, share."""

    TITLES = ("Name", "Points", "Owner", "Shared with the clinic")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._views: list[ProtocolView] = []
        self.setObjectName("protocols_dialog")
        self.setWindowTitle("Protocols")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Your protocols and those shared with the clinic. Apply one in the session "
            f"editor with the Protocol button ({PROTOCOL_KEY})."
            + (
                " As an administrator you share protocols with every practitioner."
                if ctx.is_admin
                else ""
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = list_table(self.TITLES, "Protocols", stretch_column=0)
        self.table.setObjectName("protocols_table")
        self.table.setMinimumSize(560, 220)
        layout.addWidget(self.table, 1)
        self.rename_button = QPushButton("&Rename…")
        self.delete_button = QPushButton("&Delete…")
        self.share_button = QPushButton("&Share with the clinic")
        self.share_button.setVisible(ctx.is_admin)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout.addLayout(
            button_row([self.rename_button, self.delete_button, self.share_button], [close])
        )
        self.rename_button.clicked.connect(self.rename)
        self.delete_button.clicked.connect(self.delete)
        self.share_button.clicked.connect(self.toggle_share)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.reload()

    def reload(self, select: int | None = None) -> None:
        """Read the protocols again; keep *select* (a protocol id) highlighted."""
        found = guarded(
            self,
            "Protocols",
            lambda: protocols.protocols_for(self._ctx.db, self._ctx.practitioner_id),
        )
        self._views = found or []
        self.table.setRowCount(len(self._views))
        for row, view in enumerate(self._views):
            cells = (
                view.name,
                str(len(view.points)),
                view.owner_name,
                "Yes" if view.shared else "No",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            if view.protocol_id == select:
                self.table.selectRow(row)
        if self.table.currentRow() < 0 and self._views:
            self.table.selectRow(0)
        self._update_buttons()

    def current(self) -> ProtocolView | None:
        """The highlighted protocol."""
        return highlighted(self.table, self._views)

    def _update_buttons(self) -> None:
        view = self.current()
        mine = view is not None and view.owner_id == self._ctx.practitioner_id
        editable = view is not None and (self._ctx.is_admin or (mine and not view.shared))
        self.rename_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        self.share_button.setEnabled(view is not None and self._ctx.is_admin)
        self.share_button.setText(
            "Stop &sharing" if view is not None and view.shared else "&Share with the clinic"
        )

    def _publish(self, changes: Changes | None, select: int | None = None) -> None:
        if changes:
            self._ctx.hub.publish(changes)
        self.reload(select)

    def rename(self, name: str | None = None) -> None:
        """Rename the highlighted protocol (asks the name when none is given)."""
        view = self.current()
        if view is None:
            return
        if not isinstance(name, str):
            name, ok = QInputDialog.getText(
                self, "Rename protocol", "New name:", QLineEdit.EchoMode.Normal, view.name
            )
            if not ok:
                return
        changes = guarded(
            self,
            "Not renamed",
            lambda: protocols.rename_protocol(
                self._ctx.db, self._ctx.practitioner_id, view.protocol_id, name
            ),
        )
        self._publish(changes, view.protocol_id)

    def delete(self, confirmed: bool = False) -> None:
        """Delete the highlighted protocol (after asking)."""
        view = self.current()
        if view is None:
            return
        if not confirmed:
            answer = QMessageBox.question(
                self,
                "Delete protocol",
                f"Delete the protocol “{view.name}”? Sessions it was applied to keep their points.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        changes = guarded(
            self,
            "Not deleted",
            lambda: protocols.delete_protocol(
                self._ctx.db, self._ctx.practitioner_id, view.protocol_id
            ),
        )
        self._publish(changes)

    def toggle_share(self) -> None:
        """Share the highlighted protocol with the clinic, or stop sharing it."""
        view = self.current()
        if view is None:
            return
        changes = guarded(
            self,
            "Not shared",
            lambda: protocols.share_protocol(
                self._ctx.db, self._ctx.practitioner_id, view.protocol_id, not view.shared
            ),
        )
        self._publish(changes, view.protocol_id)
