"""Starting a new session: copy forward from an earlier one when the patient has any."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from dnt_desktop.services.copy_forward import copy_forward
from dnt_desktop.services.dates import format_date
from dnt_desktop.services.drafts import SessionDraft
from dnt_desktop.services.patients import get_patient
from dnt_desktop.services.sessions import session_history
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.feedback import guarded

from .copy_forward_dialog import CopyForwardDialog
from .datetimes import now_to_the_minute

OpenEditor = Callable[[SessionDraft | None, str], object]
"""Opens the editor of a new session: blank (None) or copied forward (draft, source)."""


def offer_copy_forward(
    ctx: AppContext, patient_id: int, parent: QWidget, open_editor: OpenEditor
) -> CopyForwardDialog | None:
    """Ask where the new session starts from, when the patient has earlier sessions
    (the dialog, opened); None when there are none and a blank session was opened (or
    the patient could not be read: the message says why)."""
    history = guarded(parent, "New session", lambda: session_history(ctx.db, patient_id))
    if history is None:  # could not be read: the message said why
        return None
    if not history:
        open_editor(None, "")
        return None
    patient = guarded(parent, "New session", lambda: get_patient(ctx.db, patient_id))
    if patient is None:
        return None
    dialog = CopyForwardDialog(patient.display_name, history, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dates = {row.session_id: format_date(row.started_at.date()) for row in history}

    def copy(session_id: int) -> None:
        draft = guarded(
            parent,
            "Copy forward",
            lambda: copy_forward(
                ctx.db, patient_id, session_id, ctx.practitioner_id, now_to_the_minute()
            ),
        )
        if draft is not None:
            open_editor(draft, f"the session of {dates[session_id]}")

    dialog.copy_requested.connect(copy)
    dialog.blank_requested.connect(lambda: open_editor(None, ""))
    dialog.open()
    return dialog
