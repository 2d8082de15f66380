"""The "Referred by" choice of the patient form (the clinic's active referrers)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from dnt_desktop.services.changes import NO_CHANGES, Changes
from dnt_desktop.services.progress.referrers import (
    patient_referrer,
    referrers,
    set_patient_referrer,
)
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.widgets.combo_box import WideComboBox


class ReferrerField(WideComboBox):
    """'No referrer' or one of the clinic's referrers; ``save`` keeps the choice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName("Referred by")
        self.setToolTip("The doctor or practice who referred the patient (letters go to them)")
        self.initial: int | None = None
        self.addItem("No referrer", None)
        for referrer in referrers(ctx.db):
            self.addItem(referrer.label, referrer.referrer_id)

    def load(self, patient_id: int) -> None:
        """Show the patient's referrer (an inactive one too, marked)."""
        chosen = patient_referrer(self.ctx.db, patient_id)
        self.initial = chosen.referrer_id if chosen else None
        if chosen is not None and self.findData(chosen.referrer_id) < 0:
            self.addItem(chosen.label + " (inactive)", chosen.referrer_id)
        self.setCurrentIndex(max(0, self.findData(self.initial)) if chosen else 0)

    def changed(self) -> bool:
        """True when another referrer was chosen."""
        return self.currentData() != self.initial

    def save(self, patient_id: int) -> Changes:
        """Keep the choice for *patient_id* (audited when it changed)."""
        if not self.changed():
            return NO_CHANGES
        changes = set_patient_referrer(
            self.ctx.db, self.ctx.practitioner_id, patient_id, self.currentData()
        )
        self.initial = self.currentData()
        return changes
