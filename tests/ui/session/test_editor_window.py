"""The session editor driven as a practitioner would: clicks on the body chart, typing
in the table, the alert confirmation, saving, closing and read-only signed sessions."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QSpinBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dnt_desktop.models import TreatmentSession, catalogue
from dnt_desktop.models.enums import (
    ChartView,
    DepthClass,
    SessionStatus,
    Severity,
    Side,
    Technique,
    ThermalAdvice,
)
from dnt_desktop.services import body_map
from dnt_desktop.services.changes import Changes
from dnt_desktop.services.clinical import record_screening
from dnt_desktop.services.drafts import PointDraft, ScreeningAnswerForm, ScreeningForm, SessionDraft
from dnt_desktop.services.rules import LUNG_LIMIT_ALERT, RuleSettings
from dnt_desktop.services.sessions import load_session, save_session
from dnt_desktop.storage.engine import Database
from dnt_desktop.storage.errors import DatabaseBusyError
from dnt_desktop.ui.context import AppContext
from dnt_desktop.ui.session import editor_window
from dnt_desktop.ui.session.alert_dialog import AlertConfirmDialog
from dnt_desktop.ui.session.editor_window import SessionEditorWindow
from dnt_desktop.ui.session.point_defaults import default_dimensions, moved_point, new_point_at
from dnt_desktop.ui.session.points_model import PointColumn
from dnt_desktop.ui.session.side_effects_model import EffectColumn

# Positions well inside regions of the body chart (normalised, see services.body_map).
FRONT_RIGHT_CHEST = ("front", 0.40, 0.26)
BACK_LEFT_CALF = ("back", 0.43, 0.79)  # over the medial head of gastrocnemius
BACK_RIGHT_SHOULDER_TOP = ("back", 0.60, 0.19)
BACK_LEFT_THIGH = ("back", 0.40, 0.60)


# --- helpers ---------------------------------------------------------------------------


@pytest.fixture
def open_editor(qtbot: QtBot, ctx: AppContext) -> Iterator:
    """Opens editors at 1366x768; at the end closes them without prompting."""

    def make(patient_id: int, session_id: int | None = None) -> SessionEditorWindow:
        editor = SessionEditorWindow(ctx, patient_id, session_id)
        qtbot.addWidget(editor, before_close_func=lambda w: w.discard_and_close())
        editor.resize(1366, 768)
        with qtbot.waitExposed(editor):
            editor.show()
        with qtbot.waitActive(editor):
            editor.activateWindow()
        return editor

    yield make


def click_chart(qtbot: QtBot, editor: SessionEditorWindow, view: str, x: float, y: float) -> None:
    chart = editor.points.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.to_widget(view, x, y).toPoint())


def cell_text(table: QTableView, row: int, column: int) -> str:
    return str(table.model().index(row, column).data())


def open_cell_editor(
    table: QTableView, row: int, column: int, kind: type | tuple[type, ...]
) -> QWidget:
    """Start editing a cell as a double-click would, and return its editor widget."""
    index = table.model().index(row, column)
    table.setCurrentIndex(index)
    table.edit(index)
    found = [
        w for w in table.viewport().findChildren(QWidget) if isinstance(w, kind) and w.isVisible()
    ]
    assert found, f"no editor opened for column {column}"
    editor = found[-1]
    editor.setFocus()
    return editor


def type_number(qtbot: QtBot, table: QTableView, row: int, column: int, text: str) -> None:
    """Type a number into a spin-box cell and press Enter."""
    editor = open_cell_editor(table, row, column, (QDoubleSpinBox, QSpinBox))
    editor.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(editor, text)
    finish_edit(qtbot, table, editor)


def finish_edit(qtbot: QtBot, table: QTableView, editor: QWidget) -> None:
    """Press Enter; the view commits the value in its next event-loop turn."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)


def pick(qtbot: QtBot, table: QTableView, row: int, column: int, label: str) -> None:
    """Choose *label* in a list cell with the keyboard (Down/Up through the list)."""
    box = open_cell_editor(table, row, column, QComboBox)
    assert isinstance(box, QComboBox)
    target = box.findText(label)
    assert target >= 0, f"{label!r} not offered"
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        before = box.currentIndex()
        qtbot.keyClick(box, key)
        if box.currentIndex() == before:
            break
    assert box.currentIndex() == target, f"could not reach {label!r} with the keyboard"
    if table.state() == QAbstractItemView.State.EditingState:
        finish_edit(qtbot, table, box)


def type_text(qtbot: QtBot, table: QTableView, row: int, column: int, text: str) -> None:
    editor = open_cell_editor(table, row, column, QLineEdit)
    qtbot.keyClicks(editor, text)
    finish_edit(qtbot, table, editor)


def tick(qtbot: QtBot, box: QWidget) -> None:
    """Click a check or radio box on its indicator, as a user does."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def confirm_alerts(qtbot: QtBot, editor: SessionEditorWindow) -> AlertConfirmDialog:
    dialog = editor.alert_dialog
    assert dialog is not None and dialog.isVisible(), "the alert confirmation did not open"
    assert not dialog.confirm_button.isEnabled()
    tick(qtbot, dialog.read_box)
    assert dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    return dialog


def session_count(db: Database) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(TreatmentSession)) or 0)


# --- charting a full session -----------------------------------------------------------


def test_chart_a_full_session_by_clicks_and_typing(
    qtbot: QtBot, open_editor, db: Database, patient_id: int, practitioner_id: int
) -> None:
    editor = open_editor(patient_id)
    table = editor.points.table
    assert "Doe, Jane" in editor.header.name_label.text()
    assert not editor.has_unsaved_changes

    # Conditions, pain, adjuncts.
    tick(qtbot, editor.treatment.conditions.boxes["neck_pain"])
    tick(qtbot, editor.treatment.conditions.boxes["headaches"])
    qtbot.mouseClick(editor.treatment.pain_before.buttons[7], Qt.MouseButton.LeftButton)
    editor.treatment.pain_after.setFocus()
    qtbot.keyClick(editor.treatment.pain_after, Qt.Key.Key_3)
    tick(qtbot, editor.treatment.adjuncts.boxes["exercise"])
    assert editor.has_unsaved_changes

    # Three points placed on the chart; muscle and side are suggested from the region.
    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    click_chart(qtbot, editor, *BACK_RIGHT_SHOULDER_TOP)
    assert editor.points.model.rowCount() == 3
    expected = [
        ("Pectoralis major", "Right"),
        ("Gastrocnemius (medial head)", "Left"),
        ("Upper trapezius", "Right"),
    ]
    for row, (muscle, side) in enumerate(expected):
        assert muscle in cell_text(table, row, PointColumn.MUSCLE_CODE)
        assert cell_text(table, row, PointColumn.SIDE) == side
        assert cell_text(table, row, PointColumn.NUMBER) == str(row + 1)
    assert cell_text(table, 0, PointColumn.MUSCLE_CODE).startswith("⚠")  # lung-risk muscle
    assert not cell_text(table, 1, PointColumn.MUSCLE_CODE).startswith("⚠")
    points = editor.points.points()
    assert points[0].view == ChartView.FRONT and points[1].view == ChartView.BACK
    assert points[0].x == pytest.approx(0.40, abs=0.01)
    assert points[1].y == pytest.approx(BACK_LEFT_CALF[2], abs=0.01)

    # Edit the calf point in the table: depth, needle, insertions, twitch, technique.
    type_number(qtbot, table, 1, PointColumn.DEPTH_MM, "35")
    pick(qtbot, table, 1, PointColumn.NEEDLE_LENGTH_MM, "50")
    type_number(qtbot, table, 1, PointColumn.INSERTIONS, "3")
    twitch = table.model().index(1, PointColumn.TWITCH_RESPONSE)
    qtbot.mouseClick(
        table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=table.visualRect(twitch).topLeft() + QPoint(12, table.visualRect(twitch).height() // 2),
    )
    pick(qtbot, table, 1, PointColumn.TECHNIQUE, "Pistoning")
    type_text(qtbot, table, 1, PointColumn.NOTES, "band at mid calf")
    # The muscle can be changed: the list offers the region's muscles first.
    pick(qtbot, table, 2, PointColumn.MUSCLE_CODE, "⚠ Levator scapulae")
    assert "Levator scapulae" in cell_text(table, 2, PointColumn.MUSCLE_CODE)
    assert editor.points.message_label.isHidden()

    # Notes and aftercare.
    editor.tabs.setCurrentIndex(editor_window.NOTES_TAB)
    qtbot.keyClicks(editor.notes.notes, "Tender bands in both regions.")
    tick(qtbot, editor.aftercare.thermal_buttons[ThermalAdvice.HEAT])
    qtbot.keyClicks(editor.aftercare.stretches, "Calf stretch 3 x 30 s")
    tick(qtbot, editor.aftercare.has_next)

    # One side effect.
    editor.tabs.setCurrentIndex(editor_window.SIDE_EFFECTS_TAB)
    effects = editor.side_effects
    qtbot.mouseClick(effects.add_button, Qt.MouseButton.LeftButton)
    pick(qtbot, effects.table, 0, EffectColumn.CODE, "Bruising")
    pick(qtbot, effects.table, 0, EffectColumn.SEVERITY, "Moderate")
    type_text(qtbot, effects.table, 0, EffectColumn.ACTION_TAKEN, "pressure applied")
    assert effects.message_label.isHidden()
    on_screen = editor.current_draft()

    # Save: the alerts are confirmed, then the session is written.
    saved: list[int] = []
    editor.saved.connect(saved.append)
    editor.save_action.trigger()
    dialog = editor.alert_dialog
    assert dialog is not None
    shown = dialog.banner.visible_text()
    assert "No informed consent on record" in shown
    assert "pneumothorax-risk muscle" in shown
    confirm_alerts(qtbot, editor)
    assert saved == [editor.session_id], editor.message_bar.text()
    assert not editor.has_unsaved_changes
    assert "Saved" in editor.windowTitle()
    assert editor.state_label.text().startswith("Saved ")

    row = load_session(db, editor.session_id)
    assert [c.code for c in row.conditions] == ["neck_pain", "headaches"]
    assert (row.pain_before, row.pain_after) == (7, 3)
    assert [a.code for a in row.adjuncts] == ["exercise"]
    assert row.notes == "Tender bands in both regions."
    assert row.thermal_advice == ThermalAdvice.HEAT
    assert row.stretches == "Calf stretch 3 x 30 s"
    assert row.next_appointment is not None
    assert [(p.number, p.muscle_code, p.side, p.view) for p in row.points] == [
        (1, "pectoralis_major", Side.RIGHT, ChartView.FRONT),
        (2, "gastrocnemius_medial", Side.LEFT, ChartView.BACK),
        (3, "levator_scapulae", Side.RIGHT, ChartView.BACK),
    ]
    calf = row.points[1]
    assert (calf.depth_mm, calf.depth_class, calf.needle_length_mm) == (35, DepthClass.DEEP, 50)
    assert (calf.insertions, calf.twitch_response, calf.technique) == (3, True, Technique.PISTONING)
    assert calf.notes == "band at mid calf"
    assert [(e.code, e.severity, e.action_taken) for e in row.side_effects] == [
        ("bruising", Severity.MODERATE, "pressure applied")
    ]
    codes = {a.code for a in row.acknowledgements}
    assert {"no_consent", "no_screening", "deep_lung_risk"} <= codes
    assert all(a.acknowledged_by_id == practitioner_id for a in row.acknowledgements)

    # Reopened in a new editor, every field shows what was entered.
    again = open_editor(patient_id, editor.session_id)
    reopened = again.current_draft()
    for name in (
        "conditions",
        "pain_before",
        "pain_after",
        "adjuncts",
        "notes",
        "points",
        "side_effects",
        "thermal_advice",
        "stretches",
    ):
        assert getattr(reopened, name) == getattr(on_screen, name), name
    assert again.treatment.conditions.boxes["headaches"].isChecked()
    assert "Gastrocnemius" in cell_text(again.points.table, 1, PointColumn.MUSCLE_CODE)
    assert cell_text(again.points.table, 1, PointColumn.DEPTH_MM) == "35"
    assert not again.has_unsaved_changes

    # Alerts confirmed for this session are not asked again.
    qtbot.keyClick(again.notes.notes, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(again.notes.notes, " Reviewed.")
    again.save_action.trigger()
    assert again.alert_dialog is None
    assert not again.has_unsaved_changes
    assert load_session(db, editor.session_id).notes.endswith("Reviewed.")


def test_a_new_alert_must_be_confirmed_even_after_earlier_confirmations(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    editor.save_action.trigger()
    confirm_alerts(qtbot, editor)
    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)  # a deep lung-risk point: a new alert
    editor.save_action.trigger()
    dialog = editor.alert_dialog
    assert dialog is not None
    assert "pneumothorax-risk muscle" in dialog.banner.visible_text()
    assert "No informed consent" not in dialog.banner.visible_text()  # confirmed before
    confirm_alerts(qtbot, editor)
    codes = [a.code for a in load_session(db, editor.session_id).acknowledgements]
    assert codes.count("no_consent") == 1 and "deep_lung_risk" in codes


def test_cancelling_the_alert_confirmation_saves_nothing_and_loses_nothing(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    before = editor.current_draft()
    editor.save_action.trigger()
    dialog = editor.alert_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert session_count(db) == 0
    assert editor.current_draft() == before
    assert editor.has_unsaved_changes


# --- validation --------------------------------------------------------------------------


def test_a_superficial_point_at_15_mm_cannot_be_saved_until_fixed(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    table = editor.points.table
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    pick(qtbot, table, 0, PointColumn.DEPTH_CLASS, "Superficial (≤ 10 mm)")
    type_number(qtbot, table, 0, PointColumn.DEPTH_MM, "15")
    message = editor.points.message_label
    assert message.isVisible()
    assert "Point 1: Superficial needling is 10 mm or less, but 15 mm was entered" in message.text()
    depth = table.model().index(0, PointColumn.DEPTH_MM)
    assert depth.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "Superficial needling" in depth.data(Qt.ItemDataRole.ToolTipRole)

    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert editor.alert_dialog is None
    assert editor.message_bar.isVisible()
    # The bar sends to the table, whose line says it once: the message is not shown twice.
    assert "points marked in red" in editor.message_bar.text()
    assert "Superficial needling" not in editor.message_bar.text()
    assert message.text().count("Superficial needling") == 1
    assert session_count(db) == 0
    assert editor.has_unsaved_changes

    type_number(qtbot, table, 0, PointColumn.DEPTH_MM, "8")
    assert not message.isVisible()
    assert not editor.message_bar.isVisible()  # gone as soon as it is fixed
    assert cell_text(table, 0, PointColumn.DEPTH_CLASS) == "Superficial"
    editor.save_action.trigger()
    confirm_alerts(qtbot, editor)
    assert session_count(db) == 1
    assert not editor.message_bar.isVisible()
    point = load_session(db, editor.session_id).points[0]
    assert (point.depth_class, point.depth_mm) == (DepthClass.SUPERFICIAL, 8)


def test_changing_the_depth_offers_the_class_until_the_class_is_chosen(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    table = editor.points.table
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    type_number(qtbot, table, 0, PointColumn.DEPTH_MM, "6")
    assert cell_text(table, 0, PointColumn.DEPTH_CLASS) == "Superficial"
    type_number(qtbot, table, 0, PointColumn.DEPTH_MM, "40")
    assert cell_text(table, 0, PointColumn.DEPTH_CLASS) == "Deep"
    assert "more than the needle's length" in editor.points.message_label.text()
    pick(qtbot, table, 0, PointColumn.NEEDLE_LENGTH_MM, "50")
    assert editor.points.message_label.isHidden()


# --- closing -----------------------------------------------------------------------------


def _prompt(editor: SessionEditorWindow) -> QMessageBox:
    box = editor.close_prompt
    assert box is not None and box.isVisible(), "closing did not ask about the changes"
    return box


def test_closing_with_changes_asks_and_cancel_keeps_the_editor_open(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    tick(qtbot, editor.treatment.conditions.boxes["back_pain"])
    assert editor.close() is False
    box = _prompt(editor)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.treatment.conditions.boxes["back_pain"].isChecked()

    # Escape asks too; Discard closes without writing anything.
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    box = _prompt(editor)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert session_count(db) == 0


def test_closing_and_choosing_save_writes_the_session(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    tick(qtbot, editor.treatment.conditions.boxes["knee_pain"])
    editor.close()
    box = _prompt(editor)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
    confirm_alerts(qtbot, editor)
    assert not editor.isVisible()
    assert session_count(db) == 1


def test_closing_with_save_but_unconfirmed_alerts_keeps_the_editor_and_says_so(
    qtbot: QtBot, open_editor, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    tick(qtbot, editor.treatment.conditions.boxes["knee_pain"])
    editor.close()
    box = _prompt(editor)
    with qtbot.waitSignal(editor.close_abandoned, timeout=3000):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Save), Qt.MouseButton.LeftButton)
        dialog = editor.alert_dialog
        assert dialog is not None and dialog.isVisible()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert editor.isVisible()
    assert editor.treatment.conditions.boxes["knee_pain"].isChecked()
    assert session_count(db) == 0


def test_closing_without_changes_does_not_ask(qtbot: QtBot, open_editor, patient_id: int) -> None:
    editor = open_editor(patient_id)
    assert editor.close() is True
    assert editor.close_prompt is None


# --- chart interaction -------------------------------------------------------------------


def test_dragging_a_marker_moves_the_point_and_delete_renumbers(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    chart = editor.points.chart
    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    click_chart(qtbot, editor, *BACK_RIGHT_SHOULDER_TOP)

    start = chart.marker_position(1).toPoint()
    end = chart.to_widget(*BACK_LEFT_THIGH).toPoint()
    qtbot.mousePress(chart, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(chart, start + (end - start) * step / 5)
    qtbot.mouseRelease(chart, Qt.MouseButton.LeftButton, pos=end)
    moved = editor.points.model.point(1)
    assert moved.x == pytest.approx(0.40, abs=0.01)
    assert moved.y == pytest.approx(0.60, abs=0.01)
    # The calf muscle is not plausible on the thigh: the thigh's first muscle is taken.
    assert moved.muscle_code == "biceps_femoris"
    assert moved.side == Side.LEFT
    assert editor.has_unsaved_changes

    # Select point 2 on the chart and press Delete: point 3 becomes point 2.
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.marker_position(1).toPoint())
    assert editor.points.selected_row() == 1
    qtbot.keyClick(chart, Qt.Key.Key_Delete)
    table = editor.points.table
    assert editor.points.model.rowCount() == 2
    assert [cell_text(table, r, PointColumn.NUMBER) for r in range(2)] == ["1", "2"]
    assert "Upper trapezius" in cell_text(table, 1, PointColumn.MUSCLE_CODE)
    assert [m.row for m in chart.markers()] == [0, 1]


def test_selecting_a_row_highlights_its_marker_and_clicking_a_marker_selects_its_row(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    chart = editor.points.chart
    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    editor.points.table.selectRow(0)
    assert chart.selected_rows() == {0}
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.marker_position(1).toPoint())
    assert editor.points.table.selectionModel().selectedRows()[0].row() == 1
    assert editor.points.model.rowCount() == 2  # clicking a marker adds nothing


def test_double_click_adds_one_point_and_opens_its_muscle_list(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    chart = editor.points.chart
    spot = chart.to_widget(*BACK_LEFT_CALF).toPoint()
    # A double-click is a click followed by a double-click event at the same place.
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(chart, Qt.MouseButton.LeftButton, pos=spot)
    assert editor.points.model.rowCount() == 1
    table = editor.points.table
    assert table.state() == QAbstractItemView.State.EditingState
    assert table.currentIndex().column() == PointColumn.MUSCLE_CODE
    box = table.viewport().findChild(QComboBox, "muscle_editor")
    assert box is not None
    assert box.itemText(0) == "Suggested for this region"
    assert box.itemText(1) == "Gastrocnemius (medial head)"


def test_a_click_on_a_muscle_charts_that_muscle_on_the_clicked_side(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    chart, table = editor.points.chart, editor.points.table
    region = body_map.figure("front").region("thigh_anterior_left")
    assert region.muscles[0] == "rectus_femoris"  # what a click here used to give
    centre = next(a.centre for a in region.areas if a.muscle == "vastus_medialis")
    qtbot.mouseMove(chart, chart.to_widget("front", *centre).toPoint())
    assert editor.points.hover_label.full_text().startswith(
        "Left front of thigh: Vastus medialis (also Rectus femoris"
    )
    click_chart(qtbot, editor, "front", *centre)
    assert cell_text(table, 0, PointColumn.MUSCLE_CODE) == "Vastus medialis"
    assert cell_text(table, 0, PointColumn.SIDE) == "Left"


def _area_centre(view: str, region: str, muscle: str) -> tuple[str, float, float]:
    area = next(a for a in body_map.figure(view).region(region).areas if a.muscle == muscle)
    return (view, *area.centre)


def _elsewhere_on(
    view: str, region: str, muscle: str, marker: tuple[float, float]
) -> tuple[str, float, float]:
    """A spot well inside the muscle's area and well away from a marker already there."""
    area = next(a for a in body_map.figure(view).region(region).areas if a.muscle == muscle)
    left, top, right, bottom = area.bbox
    steps = [i / 40 for i in range(41)]
    for x, y in (
        (left + (right - left) * i, top + (bottom - top) * j) for j in steps for i in steps
    ):
        around = [(x + dx, y + dy) for dx in (-0.006, 0, 0.006) for dy in (-0.01, 0, 0.01)]
        far = abs(y - marker[1]) > 0.04  # about 20 px below or above it
        if far and all(area.contains(*p) for p in around):
            return (view, x, y)
    raise AssertionError(f"no room on {muscle} in {region}")


def _dimensions(table: QTableView, row: int) -> tuple[str, str, str, str]:
    columns = (
        PointColumn.DEPTH_CLASS,
        PointColumn.DEPTH_MM,
        PointColumn.NEEDLE_LENGTH_MM,
        PointColumn.NEEDLE_GAUGE_MM,
    )
    return tuple(cell_text(table, row, column) for column in columns)  # type: ignore[return-value]


def test_a_click_on_a_muscle_starts_from_its_defaults_and_then_the_practitioners_last(
    qtbot: QtBot, open_editor, db: Database, patient_id: int, practitioner_id: int
) -> None:
    gluteus = _area_centre("back", "gluteal_left", "gluteus_maximus")
    soleus = _area_centre("back", "calf_left", "soleus")
    trapezius = _area_centre("back", "shoulder_top_right", "upper_trapezius")
    editor = open_editor(patient_id)
    table = editor.points.table
    for spot in (gluteus, soleus, trapezius):
        click_chart(qtbot, editor, *spot)
    # Nothing charted before: the catalogue's typical values of each muscle; over the
    # lung (upper trapezius, typically 12 mm) held to this patient's limit: no height and
    # weight recorded, so the leanest band's 10 mm.
    assert _dimensions(table, 0) == ("Deep", "40", "50", "0.30")
    assert _dimensions(table, 1) == ("Deep", "30", "40", "0.25")
    assert _dimensions(table, 2) == ("Superficial", "10", "25", "0.25")
    # Within the session, the next point on a muscle starts like the last one on it.
    type_number(qtbot, table, 1, PointColumn.DEPTH_MM, "35")
    click_chart(qtbot, editor, "back", 1.0 - soleus[1], soleus[2])
    assert _dimensions(table, 3) == ("Deep", "35", "40", "0.25")
    assert cell_text(table, 3, PointColumn.SIDE) == "Right"
    # A point with a problem is not copied: the next one starts from the catalogue.
    type_number(qtbot, table, 0, PointColumn.DEPTH_MM, "60")  # deeper than its 50 mm needle
    click_chart(
        qtbot, editor, *_elsewhere_on("back", "gluteal_left", "gluteus_maximus", gluteus[1:])
    )
    assert _dimensions(table, 4) == ("Deep", "40", "50", "0.30")
    editor.discard_and_close()

    # An earlier visit by this practitioner: soleus 27 mm on 50 mm x 0.30, and the upper
    # trapezius on a 40 mm needle, longer than the clinic allows over the lung (25 mm).
    earlier = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    chosen = [
        PointDraft("soleus", Side.LEFT, ChartView.BACK, *soleus[1:], DepthClass.DEEP, 27, 0.3, 50),
        PointDraft(
            "upper_trapezius",
            Side.RIGHT,
            ChartView.BACK,
            *trapezius[1:],
            DepthClass.DEEP,
            30,
            0.25,
            40,
        ),
    ]
    draft = SessionDraft(patient_id, practitioner_id, earlier, points=chosen)
    save_session(db, practitioner_id, draft)
    editor = open_editor(patient_id)
    table = editor.points.table
    click_chart(qtbot, editor, *soleus)
    click_chart(qtbot, editor, *trapezius)
    assert _dimensions(table, 0) == ("Deep", "27", "50", "0.30")
    assert _dimensions(table, 1) == ("Superficial", "10", "25", "0.25")  # held to the limits


def test_a_rhomboid_point_for_a_lean_patient_starts_within_the_patients_limit(
    qtbot: QtBot, open_editor, db: Database, patient_id: int, practitioner_id: int
) -> None:
    """Issue 18: BMI 19, rhomboid major limited to 19 mm on a 25 mm needle; this
    practitioner last needled it 28 mm deep on a 40 mm needle (another patient, say)."""
    answers = [ScreeningAnswerForm(c.code) for c in catalogue.contraindications()]
    form = ScreeningForm(answers, height_cm=170.0, weight_kg=55.0)
    record_screening(db, practitioner_id, patient_id, form)
    rhomboid = _area_centre("back", "upper_back_left", "rhomboid_major")
    earlier = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    deep = PointDraft(
        "rhomboid_major", Side.LEFT, ChartView.BACK, *rhomboid[1:], DepthClass.DEEP, 28, 0.25, 40
    )
    save_session(
        db, practitioner_id, SessionDraft(patient_id, practitioner_id, earlier, points=[deep])
    )
    editor = open_editor(patient_id)
    table = editor.points.table
    click_chart(qtbot, editor, *rhomboid)
    assert cell_text(table, 0, PointColumn.MUSCLE_CODE).endswith("Rhomboid major")
    _class, depth, needle, _gauge = _dimensions(table, 0)
    assert float(depth) <= 19 and float(needle) <= 25
    editor.save_action.trigger()
    dialog = editor.alert_dialog
    assert dialog is not None  # the deep point over the lung is still flagged
    assert "Deeper than this patient's limit" not in dialog.banner.visible_text()
    confirm_alerts(qtbot, editor)
    codes = [a.code for a in load_session(db, editor.session_id).acknowledgements]
    assert "deep_lung_risk" in codes and LUNG_LIMIT_ALERT not in codes


def test_delete_in_the_table_removes_the_selected_point(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    table = editor.points.table
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert editor.points.model.rowCount() == 1
    assert "Gastrocnemius" in cell_text(table, 0, PointColumn.MUSCLE_CODE)


def test_a_point_can_be_added_from_the_keyboard(qtbot: QtBot, open_editor, patient_id: int):
    editor = open_editor(patient_id)
    pane = editor.points
    found = pane.region_box.findText("Back: Left calf", Qt.MatchFlag.MatchStartsWith)
    assert found >= 0
    pane.region_box.setCurrentIndex(found)
    pane.add_button.setFocus()
    qtbot.keyClick(pane.add_button, Qt.Key.Key_Space)
    assert pane.model.rowCount() == 1
    assert pane.model.point(0).muscle_code == "gastrocnemius_medial"


# --- side effects ------------------------------------------------------------------------


def test_recording_a_pneumothorax_shows_the_serious_event_warning(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    editor.tabs.setCurrentIndex(editor_window.SIDE_EFFECTS_TAB)
    effects = editor.side_effects
    qtbot.mouseClick(effects.add_button, Qt.MouseButton.LeftButton)
    assert effects.serious_box is None
    pick(qtbot, effects.table, 0, EffectColumn.CODE, "Pneumothorax")
    box = effects.serious_box
    assert box is not None and box.isVisible()
    assert box.icon() == QMessageBox.Icon.Critical
    assert "emergency care" in box.informativeText()
    assert "serious adverse event" in box.informativeText()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert effects.model.effects()[0].code == "pneumothorax"


# --- failures and read-only --------------------------------------------------------------


def test_a_failed_save_keeps_everything_on_screen_and_says_why(
    qtbot: QtBot, open_editor, db: Database, patient_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(*_args: object, **_kwargs: object) -> None:
        raise DatabaseBusyError("The database is busy on another workstation. Try again.")

    monkeypatch.setattr(editor_window, "save_session", busy)
    editor = open_editor(patient_id)
    tick(qtbot, editor.treatment.conditions.boxes["neck_pain"])
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    editor.tabs.setCurrentIndex(editor_window.NOTES_TAB)
    qtbot.keyClicks(editor.notes.notes, "Typed before the failure")
    before = editor.current_draft()

    editor.save_action.trigger()
    confirm_alerts(qtbot, editor)
    assert editor.isVisible()
    assert editor.message_bar.isVisible()
    assert "The database is busy on another workstation" in editor.message_bar.text()
    assert editor.current_draft() == before
    assert editor.notes.notes.toPlainText() == "Typed before the failure"
    assert editor.treatment.conditions.boxes["neck_pain"].isChecked()
    assert editor.points.model.rowCount() == 1
    assert editor.has_unsaved_changes
    assert editor.session_id is None
    assert session_count(db) == 0


def _signed_session(db: Database, patient_id: int, practitioner_id: int) -> int:
    draft = SessionDraft(
        patient_id=patient_id,
        practitioner_id=practitioner_id,
        started_at=datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
        notes="Signed notes",
        points=[new_point_at(*BACK_LEFT_CALF)],
    )
    session_id = save_session(db, practitioner_id, draft).session_id
    with db.transaction() as session:
        row = session.get(TreatmentSession, session_id)
        assert row is not None
        row.status = SessionStatus.SIGNED
        row.signed_at = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)
        row.signed_by_id = practitioner_id
    return session_id


def test_a_signed_session_opens_read_only(
    qtbot: QtBot, open_editor, db: Database, patient_id: int, practitioner_id: int
) -> None:
    session_id = _signed_session(db, patient_id, practitioner_id)
    editor = open_editor(patient_id, session_id)
    assert editor.is_read_only
    assert editor.signed_banner.isVisible()
    assert "Signed by Pat Practitioner on 04 Mar 2025" in editor.signed_banner.text()
    assert "read-only" in editor.signed_banner.text()
    assert not editor.save_action.isEnabled()
    assert editor.header.started_edit.isReadOnly()
    assert editor.notes.notes.isReadOnly()
    assert not editor.treatment.conditions.boxes["neck_pain"].isEnabled()
    assert not editor.treatment.pain_before.buttons[5].isEnabled()
    assert not editor.aftercare.thermal_buttons[ThermalAdvice.ICE].isEnabled()
    assert editor.aftercare.stretches.isReadOnly()
    assert not editor.side_effects.add_button.isEnabled()
    assert not editor.points.add_button.isEnabled()
    index = editor.points.model.index(0, PointColumn.DEPTH_MM)
    assert not editor.points.model.flags(index) & Qt.ItemFlag.ItemIsEditable

    click_chart(qtbot, editor, *FRONT_RIGHT_CHEST)
    chart = editor.points.chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.marker_position(0).toPoint())
    qtbot.keyClick(chart, Qt.Key.Key_Delete)
    assert editor.points.model.rowCount() == 1
    assert not editor.has_unsaved_changes
    assert editor.close() is True


def test_aftercare_request_saves_first_then_emits_the_session_id(
    qtbot: QtBot, open_editor, ctx: AppContext, db: Database, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    requested: list[int] = []
    notices: list[Changes] = []
    editor.aftercare_requested.connect(requested.append)
    ctx.hub.changed.connect(notices.append)
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert requested == []
    confirm_alerts(qtbot, editor)
    assert requested == [editor.session_id]
    assert notices == [Changes.session(editor.session_id, patient_id)]
    editor.aftercare_action.trigger()  # nothing changed since: no second save
    assert requested == [editor.session_id, editor.session_id]
    assert session_count(db) == 1


def test_escape_in_a_cell_editor_ends_the_edit_not_the_window(
    qtbot: QtBot, open_editor, patient_id: int
) -> None:
    editor = open_editor(patient_id)
    click_chart(qtbot, editor, *BACK_LEFT_CALF)
    table = editor.points.table
    notes = open_cell_editor(table, 0, PointColumn.NOTES, QLineEdit)
    qtbot.keyClicks(notes, "abc")
    qtbot.keyClick(notes, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState)
    assert editor.close_prompt is None
    assert editor.isVisible()
    assert editor.points.model.point(0).notes == ""
    assert editor.points.chart.accessibleName() == "Body chart"
    assert editor.points.table.accessibleName() == "Needling points"


# --- defaults and moves (plain rules of the editor) --------------------------------------


def test_new_points_start_with_clinically_sensible_defaults() -> None:
    calf = new_point_at(*BACK_LEFT_CALF)
    assert (calf.depth_class, calf.depth_mm, calf.needle_length_mm) == (DepthClass.DEEP, 20, 30)
    assert (calf.needle_gauge_mm, calf.insertions) == (0.25, 1)
    chest = new_point_at(*FRONT_RIGHT_CHEST)
    assert chest.muscle_code == "pectoralis_major" and chest.side == Side.RIGHT
    assert chest.depth_mm == 12 and chest.needle_length_mm == 25  # the catalogue's typical
    strict = default_dimensions("upper_trapezius", RuleSettings(lung_risk_needle_limit_mm=15))
    assert strict.needle_length_mm == 15 and strict.depth_mm == 10


def test_a_move_keeps_a_plausible_muscle_and_the_chosen_side() -> None:
    point = PointDraft(
        muscle_code="soleus",
        side=Side.MIDLINE,
        view=ChartView.BACK,
        x=0.40,
        y=0.83,
        depth_class=DepthClass.DEEP,
        depth_mm=20,
    )
    within = moved_point(point, 0.41, 0.80)
    assert within.point.muscle_code == "soleus" and not within.muscle_changed
    assert within.point.side == Side.MIDLINE  # still the same side of the body: kept
    across = moved_point(point, 0.60, 0.83)
    assert across.point.side == Side.RIGHT and across.side_changed


def test_the_muscle_under_a_point_follows_it_onto_another_muscles_area() -> None:
    _, *soleus = _area_centre("back", "calf_left", "soleus")
    _, *medial = _area_centre("back", "calf_left", "gastrocnemius_medial")
    point = new_point_at("back", *soleus)
    assert point.muscle_code == "soleus"
    moved = moved_point(point, *medial)
    assert moved.point.muscle_code == "gastrocnemius_medial" and moved.muscle_changed
    # A muscle picked from the list (deep, without an area of its own) stays put.
    deep = replace(point, muscle_code="tibialis_posterior")
    assert moved_point(deep, *medial).point.muscle_code == "tibialis_posterior"


@pytest.fixture(autouse=True)
def _no_stray_windows() -> Iterator[None]:
    yield
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox | AlertConfirmDialog):
            widget.close()
