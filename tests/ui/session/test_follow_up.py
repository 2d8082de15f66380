"""Daily speed: a follow-up charted by copy forward, counted in user actions; protocols
applied in one action; the note phrases; the "Done when" path from the demo database."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from dnt_desktop.models.enums import ChartView, DepthClass, Side, Technique
from dnt_desktop.services import records
from dnt_desktop.services.drafts import ConditionDraft, PointDraft, SessionDraft, SideEffectDraft
from dnt_desktop.services.sessions import draft_from, load_session, save_session, session_history
from dnt_desktop.storage.engine import Database
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.main_window import MainWindow
from dnt_desktop.ui.session.alert_dialog import AlertConfirmDialog
from dnt_desktop.ui.session.copy_forward_dialog import CopyForwardDialog
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.points_model import COPIED_BACKGROUND, PointColumn

from ..conftest import RECORDS_PASSWORD

README = Path(__file__).resolve().parents[3] / "README.md"
MOST_ACTIONS = 15
CTRL = Qt.KeyboardModifier.ControlModifier
FIVE = (
    ("upper_trapezius", Side.LEFT, 0.3808, 0.1888),
    ("upper_trapezius", Side.RIGHT, 0.6192, 0.1888),
    ("levator_scapulae", Side.LEFT, 0.4338, 0.2055),
    ("infraspinatus", Side.RIGHT, 0.6192, 0.2467),
    ("extensor_carpi_radialis_brevis", Side.RIGHT, 0.8227, 0.444),
)


class Actions:
    """Clicks and keystrokes of the user, counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.count = 0

    def key(self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
        target = QApplication.focusWidget() or QApplication.activeWindow()
        assert target is not None, "nothing has the keyboard focus"
        self.qtbot.keyClick(target, key, modifier)
        self.count += 1
        QApplication.processEvents()

    def click(self, widget: QWidget) -> None:
        assert widget.isVisible(), widget
        self.qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
        self.count += 1
        QApplication.processEvents()


def five_point_session(db: Database, sam: int, patient: int) -> int:
    """A signed session of five points, with pain, side effects and notes."""
    points = [
        PointDraft(
            code,
            side,
            ChartView.BACK,
            x,
            y,
            DepthClass.DEEP,
            15.0,
            0.3,
            30.0,
            insertions=2,
            twitch_response=True,
            technique=Technique.PISTONING,
            notes="LTR",
        )
        for code, side, x, y in FIVE
    ]
    draft = SessionDraft(
        patient,
        sam,
        datetime.now(UTC) - timedelta(days=7),
        conditions=[ConditionDraft("neck_pain")],
        pain_before=7,
        pain_after=4,
        notes="Sore next day",
        subjective="Neck stiff",
        plan="Review in a week",
        points=points,
        side_effects=[SideEffectDraft("bruising")],
    )
    session_id = save_session(db, sam, draft).session_id
    records.sign_session(db, sam, session_id, RECORDS_PASSWORD)
    return session_id


def confirm_alerts(qtbot: QtBot, actions: Actions, editor: SessionEditorWindow) -> None:
    """Tick "I have read these alerts" and confirm, when the save asks."""
    dialog = editor.alert_dialog
    if isinstance(dialog, AlertConfirmDialog):
        qtbot.waitExposed(dialog)
        activate(qtbot, dialog)
        dialog.read_box.setFocus()  # where it opens with the focus
        actions.key(Qt.Key.Key_Space)  # "I have read these alerts"
        actions.key(Qt.Key.Key_Return)  # Confirm and save


def newest_editor(qtbot: QtBot, main: MainWindow) -> SessionEditorWindow:
    qtbot.waitUntil(lambda: bool(main.editors))
    editor = main.editors[-1].window
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    return editor


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Give *window* the keyboard (the offscreen platform may hand it over late)."""

    def focused() -> bool:
        if QApplication.focusWidget() is None or QApplication.activeWindow() is not window:
            window.raise_()
            window.activateWindow()
            return False
        return True

    qtbot.waitUntil(focused)


def readme_count() -> int:
    found = re.search(r"takes \*\*(\d+) actions\*\*", README.read_text(encoding="utf-8"))
    assert found, "the README reports the number of actions of a follow-up"
    return int(found.group(1))


@pytest.fixture
def sam_main(open_main: Callable[[AppContext], MainWindow], ctx_of, clinic_accounts):
    return open_main(ctx_of(clinic_accounts.sam_id))


def test_a_five_point_follow_up_from_copy_forward_to_saved_in_few_actions(
    qtbot: QtBot, db: Database, sam_main: MainWindow, clinic_accounts, consented_patient: int
) -> None:
    sam = clinic_accounts.sam_id
    source_id = five_point_session(db, sam, consented_patient)
    before = load_session(db, source_id)
    main = sam_main
    main.open_patient(consented_patient)
    actions = Actions(qtbot)

    actions.key(Qt.Key.Key_N, CTRL)  # New session
    dialog = main.copy_forward_dialog
    assert isinstance(dialog, CopyForwardDialog)
    qtbot.waitExposed(dialog)
    assert dialog.chosen_session() == source_id  # the last session is offered first
    actions.key(Qt.Key.Key_Return)  # copy it forward
    editor = newest_editor(qtbot, main)
    model = editor.points.model
    assert model.rowCount() == 5 and model.copied_rows() == [0, 1, 2, 3, 4]
    assert editor.points.copied_bar.isVisible()
    assert "5 points copied from the session of" in editor.points.copied_label.text()
    legend = [text for _kind, _colour, text in editor.points.chart.legend_items()]
    assert "Copied, to confirm" in legend  # the chart's amber dotted rings, explained
    number = model.index(0, PointColumn.NUMBER)
    assert model.data(number).startswith("↻")
    assert model.data(number, Qt.ItemDataRole.BackgroundRole) == COPIED_BACKGROUND
    assert "not confirmed" in model.data(number, Qt.ItemDataRole.AccessibleDescriptionRole)
    draft = editor.current_draft()
    assert draft.pain_before is None and draft.side_effects == [] and draft.notes == ""
    assert draft.subjective == draft.plan == ""

    # (not counted: what a practitioner who saves too early sees)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)
    assert editor.session_id is None
    assert "not confirmed yet" in editor.message_bar.text()
    assert QApplication.focusWidget() is editor.points.confirm_copied_button
    actions.key(Qt.Key.Key_K, CTRL)  # confirm them
    assert model.copied_rows() == [] and not editor.points.copied_bar.isVisible()
    legend = [text for _kind, _colour, text in editor.points.chart.legend_items()]
    assert "Copied, to confirm" not in legend
    actions.key(Qt.Key.Key_Tab, CTRL)  # to the Treatment tab (the points are its first)
    actions.click(editor.treatment.pain_before.buttons[5])
    actions.click(editor.treatment.pain_after.buttons[2])
    actions.key(Qt.Key.Key_S, CTRL)  # save
    confirm_alerts(qtbot, actions, editor)
    qtbot.waitUntil(lambda: editor.session_id is not None)

    saved = draft_from(load_session(db, editor.session_id))
    original = draft_from(before)
    assert [(p.muscle_code, p.side, p.depth_mm) for p in saved.points] == [
        (p.muscle_code, p.side, p.depth_mm) for p in original.points
    ]
    assert saved.conditions == original.conditions
    assert (saved.pain_before, saved.pain_after) == (5, 2)
    assert saved.side_effects == [] and saved.notes == saved.subjective == ""
    assert records.signature_intact(db, source_id) is True
    print(f"\nA five-point follow-up from copy forward to saved: {actions.count} actions")
    assert actions.count <= MOST_ACTIONS
    assert actions.count == readme_count(), "update the number in the README"


def save_and_confirm(qtbot: QtBot, editor: SessionEditorWindow) -> int:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, CTRL)
    assert not editor.message_bar.isVisible(), editor.message_bar.text()
    qtbot.waitUntil(lambda: editor.alert_dialog is not None or editor.session_id is not None)
    confirm_alerts(qtbot, Actions(qtbot), editor)
    qtbot.waitUntil(lambda: editor.session_id is not None)
    assert editor.session_id is not None
    return editor.session_id


def test_done_when_a_follow_up_by_copy_forward_and_a_protocol_from_the_demo(
    qtbot: QtBot, db: Database, open_main, ctx_of
) -> None:
    from sqlalchemy import select

    from dnt_desktop import demo
    from dnt_desktop.models import Patient, Practitioner
    from dnt_desktop.services.drafts import carried_fields

    demo.generate(db, patients=30, seed=5)
    with db.reading() as session:
        sarah = session.scalar(
            select(Practitioner.id).where(Practitioner.username == "sarah.okafor")
        )
        patients = list(session.scalars(select(Patient.id).order_by(Patient.id)))
    followed = next(p for p in patients if (h := session_history(db, p)) and h[0].point_count)
    other = next(p for p in patients if p != followed)
    source = draft_from(load_session(db, session_history(db, followed)[0].session_id))
    main = open_main(ctx_of(sarah))

    assert main.open_patient(followed)  # copy forward: Ctrl+N, Enter, Ctrl+K, save
    activate(qtbot, main)
    qtbot.keyClick(QApplication.focusWidget() or main, Qt.Key.Key_N, CTRL)
    qtbot.waitExposed(main.copy_forward_dialog)
    qtbot.keyClick(main.copy_forward_dialog.sessions, Qt.Key.Key_Return)
    editor = newest_editor(qtbot, main)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_K, CTRL)
    assert editor.points.model.copied_rows() == []
    copied = draft_from(load_session(db, save_and_confirm(qtbot, editor)))
    point_fields = carried_fields(PointDraft)
    assert [[getattr(p, n) for n in point_fields] for p in copied.points] == [
        [getattr(p, n) for n in point_fields] for p in source.points
    ]

    def codes(items: list) -> list[str]:  # the editor lists them in the catalogue's order
        return sorted(item.code for item in items)

    assert codes(copied.conditions) == codes(source.conditions)
    assert codes(copied.adjuncts) == codes(source.adjuncts)
    assert copied.pain_before is None and copied.side_effects == [] and copied.notes == ""

    assert main.open_patient(other)  # a protocol: one action in the editor
    activate(qtbot, main)
    qtbot.keyClick(QApplication.focusWidget() or main, Qt.Key.Key_N, CTRL)
    if main.copy_forward_dialog is not None and main.copy_forward_dialog.isVisible():
        qtbot.mouseClick(main.copy_forward_dialog.blank_button, Qt.MouseButton.LeftButton)
    second = newest_editor(qtbot, main)
    assert second is not editor and second.points.model.rowCount() == 0
    second.protocol_button.fill_menu()
    [apply] = [a for a in second.protocol_button.menu_.actions() if "Lateral elbow" in a.text()]
    apply.trigger()
    assert second.points.model.rowCount() == 3
    assert "Lateral elbow" in second.statusBar().currentMessage()
    saved = draft_from(load_session(db, save_and_confirm(qtbot, second)))
    assert [p.muscle_code for p in saved.points] == [
        "extensor_carpi_radialis_brevis",
        "extensor_carpi_radialis_longus",
        "extensor_digitorum",
    ]


def test_protocols_saved_from_a_session_and_shared_by_an_administrator(
    qtbot: QtBot, db: Database, open_main, ctx_of, clinic_accounts, consented_patient: int
) -> None:
    from dnt_desktop.services import protocols
    from dnt_desktop.ui.session.protocols_ui import ProtocolsDialog

    sam, admin = clinic_accounts.sam_id, clinic_accounts.admin_id
    source_id = five_point_session(db, sam, consented_patient)
    main = open_main(ctx_of(sam))
    editor = main.open_session(consented_patient, source_id)
    qtbot.waitExposed(editor)
    editor.protocol_button.fill_menu()
    [save] = [a for a in editor.protocol_button.menu_.actions() if "Save these" in a.text()]
    save.trigger()
    ask = editor.protocol_button.dialog
    qtbot.waitExposed(ask)
    from PySide6.QtWidgets import QLineEdit

    name = ask.findChild(QLineEdit)
    qtbot.keyClicks(name, "Neck and elbow")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    [mine] = protocols.protocols_for(db, sam)
    assert (mine.name, len(mine.points), mine.shared) == ("Neck and elbow", 5, False)
    assert protocols.protocols_for(db, clinic_accounts.kim_id) == []

    dialog = ProtocolsDialog(ctx_of(sam), main)
    qtbot.addWidget(dialog)
    assert not dialog.share_button.isVisibleTo(dialog)  # practitioners do not share
    dialog.rename("Neck, elbow")
    assert dialog.table.item(0, 0).text() == "Neck, elbow"

    manage = ProtocolsDialog(ctx_of(admin), main)
    qtbot.addWidget(manage)
    manage.show()
    qtbot.waitExposed(manage)
    assert manage.table.rowCount() == 0  # not shared yet: the admin does not see it either
    protocols.share_protocol(db, admin, mine.protocol_id, True)
    manage.reload()
    assert manage.table.item(0, 3).text() == "Yes" and manage.share_button.isEnabled()
    qtbot.mouseClick(manage.share_button, Qt.MouseButton.LeftButton)  # stop sharing
    assert protocols.protocols_for(db, clinic_accounts.kim_id) == []
    protocols.share_protocol(db, admin, mine.protocol_id, True)
    manage.reload()
    manage.delete(confirmed=True)
    assert protocols.protocols_for(db, sam) == []


def test_a_clinic_phrase_is_inserted_from_the_keyboard(
    qtbot: QtBot, db: Database, open_main, ctx_of, clinic_accounts, consented_patient: int
) -> None:
    admin_main = open_main(ctx_of(clinic_accounts.admin_id))
    dialog = admin_main.open_note_phrases()
    qtbot.waitExposed(dialog)
    dialog.editor.setPlainText("Tolerated well.\n\n  Review in one week. \nTolerated well.")
    dialog.save()
    from dnt_desktop.services.note_phrases import note_phrases

    assert note_phrases(db) == ["Tolerated well.", "Review in one week."]
    assert open_main(ctx_of(clinic_accounts.sam_id)).open_note_phrases() is None  # admins only

    main = open_main(ctx_of(clinic_accounts.sam_id))
    editor = main.open_session(consented_patient)
    qtbot.waitExposed(editor)
    activate(qtbot, editor)
    editor.show_section(1)
    box = editor.notes.boxes["assessment"]
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "Needled trapezius.")
    qtbot.keyClick(box, Qt.Key.Key_Space, CTRL)
    menu = editor.notes.phrase_menu
    assert menu is not None and [a.text() for a in menu.actions()] == [
        "Tolerated well.",
        "Review in one week.",
    ]
    qtbot.waitExposed(menu)
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: box.toPlainText() == "Needled trapezius. Review in one week.")
    assert editor.current_draft().assessment == "Needled trapezius. Review in one week."


def test_editing_or_moving_a_copied_point_confirms_only_that_one(qtbot: QtBot) -> None:
    from dnt_desktop.ui.body_chart import MarkerRole
    from dnt_desktop.ui.session.points_model import PointTableModel

    model = PointTableModel()
    model.set_points(
        [
            PointDraft(code, side, ChartView.BACK, x, y, DepthClass.DEEP, 15.0, 0.3, 30.0)
            for code, side, x, y in FIVE[:3]
        ]
    )
    seen: list[int] = []
    model.copied_changed.connect(lambda: seen.append(len(model.copied_rows())))
    model.mark_copied(range(3), "the session of 1 Dec 2026")
    assert model.copied_rows() == [0, 1, 2]
    depth = model.index(1, PointColumn.DEPTH_MM)
    assert model.setData(depth, 15.0)  # opened and closed without a change: still copied
    assert model.copied_rows() == [0, 1, 2]
    assert model.setData(depth, 18.0)
    assert model.copied_rows() == [0, 2]
    assert model.data(model.index(1, PointColumn.NUMBER)) == "2"
    summary = model.data(model.index(0, 0), MarkerRole.SUMMARY)
    assert summary.endswith("(copied, not confirmed yet)")  # the chart's marker says it
    model.move_point(2, FIVE[2][2] + 0.001, FIVE[2][3])
    assert model.copied_rows() == [0]
    assert model.confirm_copied() == 1 and model.copied_rows() == []
    assert seen == [3, 2, 1, 0]


def test_a_copy_with_unconfirmed_points_is_not_kept_as_a_draft_for_a_colleague(
    qtbot: QtBot, db: Database, sam_main: MainWindow, clinic_accounts, consented_patient: int
) -> None:
    five_point_session(db, clinic_accounts.sam_id, consented_patient)
    main = sam_main
    assert main.open_patient(consented_patient)
    dialog = main.start_session(consented_patient)
    assert isinstance(dialog, CopyForwardDialog)
    dialog.copy_button.click()
    editor = newest_editor(qtbot, main)
    assert "incomplete" in main.take_over_plan()  # never saved as if confirmed
    assert not editor.keep_as_draft() and editor.session_id is None
    editor.points.confirm_copied()
    assert "will be saved as a draft" in main.take_over_plan()
    assert editor.keep_as_draft() and editor.session_id is not None
