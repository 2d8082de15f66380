"""The signing presenter works through its small public interface, with any editor."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.services import records
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.drafts import ConditionDraft, SessionDraft
from dnt_desktop.services.rules import Problem
from dnt_desktop.services.sessions import save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.session import signing
from dnt_desktop.ui.session.amendments import AmendmentsPanel
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.signing import SigningEditor, SigningPresenter

STARTED = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


class FakeEditor:
    """A SigningEditor that is no session editor at all: it only records what it is told."""

    def __init__(self, session_id: int, patient_id: int, charted_by: tuple[int, str]) -> None:
        self.session_id: int | None = session_id
        self.version: int | None = None
        self.patient_id = patient_id
        self.patient_name = "Doe, Jane"
        self.started_at = STARTED
        self.charted_by = charted_by
        self.is_read_only = False
        self.has_unsaved_changes = False
        self.waiting_for: QWidget | None = None
        self.banners: list[tuple[str, bool | None]] = []
        self.statuses: list[str] = []

    @property
    def is_waiting(self) -> bool:
        return self.waiting_for is not None

    def request_save(
        self,
        then: Callable[[], None] | None = None,
        otherwise: Callable[[], None] | None = None,
    ) -> None:
        if then is not None:
            then()

    def wait_for(self, dialog: QWidget | None) -> None:
        self.waiting_for = dialog

    def show_signed(self, banner: str, intact: bool | None) -> None:
        self.is_read_only = True
        self.banners.append((banner, intact))

    def signature_recorded(self, version: int) -> None:
        self.version = version

    def show_problems(self, problems: list[Problem], heading: str) -> None:
        raise AssertionError(f"{heading} {problems}")

    def show_message(self, text: str) -> None:
        raise AssertionError(text)

    def show_status(self, text: str) -> None:
        self.statuses.append(text)


def test_the_session_editor_implements_the_interface_and_the_presenter_keeps_out(
    qtbot: QtBot, ctx: AppContext, patient_id: int
) -> None:
    editor = SessionEditorWindow(ctx, patient_id)
    qtbot.addWidget(editor, before_close_func=lambda w: w.discard_and_close())
    assert isinstance(editor, SigningEditor)
    assert editor.signing.editor is editor
    assert editor.patient_name == "Doe, Jane" and editor.charted_by[1] == "Pat Practitioner"

    tree = ast.parse(inspect.getsource(signing))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any("editor_window" in name for name in imported), "no import of the editor"
    private = [
        ast.unparse(node)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr.startswith("_")
        and "editor" in ast.unparse(node.value)
    ]
    assert private == [], "the presenter reads or writes the editor's private state"


def test_signing_and_amending_through_the_interface_alone(
    qtbot: QtBot,
    db: Database,
    ctx_of: Callable[[int], AppContext],
    clinic_accounts,
    consented_patient: int,
) -> None:
    sam = clinic_accounts.sam_id
    draft = SessionDraft(consented_patient, sam, STARTED, conditions=[ConditionDraft("neck_pain")])
    saved = save_session(db, sam, draft)
    ctx = ctx_of(sam)
    notices: list[Changes] = []
    ctx.hub.changed.connect(notices.append)
    window = QWidget()
    qtbot.addWidget(window)
    fake = FakeEditor(saved.session_id, consented_patient, (sam, "Sam Physio"))
    fake.version = saved.version
    sign, amend = QAction("Sign", window), QAction("Amend", window)
    presenter = SigningPresenter(fake, ctx, sign, amend, AmendmentsPanel(window), window)
    presenter.update_actions()
    assert sign.isEnabled() and not amend.isVisible()

    sign.trigger()
    dialog = presenter.password_dialog
    assert dialog is not None and fake.waiting_for is dialog
    question = dialog.findChild(QLabel, "password_confirm_text").text()
    assert "<b>04 Mar 2025</b> for <b>Doe, Jane</b>" in question
    dialog.password.setText(clinic_accounts.password)
    dialog.confirm_button.click()

    assert fake.waiting_for is None and presenter.password_dialog is None
    assert fake.is_read_only and "Signed by Sam Physio" in fake.banners[-1][0]
    assert fake.banners[-1][1] is True  # the signature was checked and matches
    assert fake.version == saved.version + 1
    assert fake.statuses[-1] == "Session signed."
    assert notices == [Changes.session(saved.session_id, consented_patient)]
    presenter.update_actions()
    assert amend.isVisible() and amend.isEnabled() and not sign.isVisible()

    amendment = presenter.request_amendment()
    assert amendment is not None and fake.waiting_for is amendment
    amendment.text.setPlainText("Bruise resolved.")
    amendment.save_button.click()
    assert fake.waiting_for is None
    assert [a.text for a in records.amendments(db, saved.session_id)] == ["Bruise resolved."]
    assert notices[-1] == Changes.session(saved.session_id, consented_patient)
    assert len(notices) == 2
