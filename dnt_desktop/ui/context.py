"""What every window needs: the open database, who is charting, and change notices."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from dnt_desktop.storage.engine import Database


class ChangeHub(QObject):
    """Services report what they changed; open windows refresh only what is affected.

    ``changed`` carries the entity kind ("patient", "session", "screening", "consent",
    "clinic", "practitioner", "template") and its id (0 when not about one record), and the
    patient id concerned (0 when none).
    """

    changed = Signal(str, int, int)

    def notify(self, entity: str, entity_id: int = 0, patient_id: int = 0) -> None:
        """Tell every listener that *entity* *entity_id* changed."""
        self.changed.emit(entity, entity_id, patient_id)


@dataclass
class AppContext:
    """The session of the app: database, the practitioner charting, and the change hub."""

    db: Database
    practitioner_id: int
    practitioner_name: str
    is_admin: bool = False
    hub: ChangeHub = field(default_factory=ChangeHub)
