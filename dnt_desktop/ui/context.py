"""What every window needs: the open database, who is charting, and change notices."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from dnt_desktop.services.changes import Changes
from dnt_desktop.storage.engine import Database


class ChangeHub(QObject):
    """The one broadcast of what changed, so that open windows refresh only what is affected.

    The widget that ran an operation publishes the ``Changes`` its service returned, once
    (``hub.publish(result.changes)``); every listener connects to ``changed`` and reads the
    typed fields it cares about::

        ctx.hub.changed.connect(self._on_changed)

        def _on_changed(self, changes: Changes) -> None:
            if changes.concerns(self.patient_id) and changes.sessions:
                self.history_tab.show_patient(self.patient_id)

    Nothing else is sent through the hub: no strings, no per-kind signals.
    """

    changed = Signal(object)
    """What changed: one ``Changes`` per operation, never an empty one."""

    def publish(self, changes: Changes) -> None:
        """Tell every listener what *changes* says (nothing is sent when it is empty)."""
        if changes:
            self.changed.emit(changes)


@dataclass
class AppContext:
    """The session of the app: database, the practitioner charting, and the change hub."""

    db: Database
    practitioner_id: int
    practitioner_name: str
    is_admin: bool = False
    hub: ChangeHub = field(default_factory=ChangeHub)
