"""The session editor's two editable tables, through what their shared base does."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt

from dnt_desktop.models.enums import ChartView, DepthClass, Side
from dnt_desktop.services.drafts import PointDraft, SideEffectDraft
from dnt_desktop.ui.session.draft_table_model import (
    PROBLEM_BACKGROUND,
    PROBLEM_TEXT,
    field_columns,
)
from dnt_desktop.ui.session.points_model import PointColumn, PointTableModel
from dnt_desktop.ui.session.side_effects_model import EffectColumn, SideEffectsModel

Role = Qt.ItemDataRole


def _point(**changes: object) -> PointDraft:
    values: dict[str, object] = {
        "muscle_code": "upper_trapezius",
        "side": Side.LEFT,
        "view": ChartView.BACK,
        "x": 0.4,
        "y": 0.2,
        "depth_class": DepthClass.DEEP,
        "depth_mm": 20.0,
    }
    values.update(changes)
    return PointDraft(**values)  # type: ignore[arg-type]


def test_a_problem_is_shown_in_its_cell_until_it_is_fixed(qapp) -> None:
    model = SideEffectsModel()
    model.set_effects([SideEffectDraft(code="other")])
    cell = model.index(0, EffectColumn.OTHER_TEXT)
    message = "Describe the side effect of type 'other'."
    assert model.data(cell, Role.BackgroundRole) == PROBLEM_BACKGROUND
    assert model.data(cell, Role.ForegroundRole) == PROBLEM_TEXT
    assert model.data(cell, Role.ToolTipRole) == message
    assert [p.field for p in model.problems()] == ["side_effects[0].other_text"]
    assert model.problem_text() == f"Side effect 1: {message}"

    assert model.setData(cell, "Felt faint", Role.EditRole)
    assert model.problems() == []
    assert model.data(cell, Role.BackgroundRole) is None
    assert model.data(cell, Role.ToolTipRole) == "Felt faint"  # whole, however narrow
    assert model.effects()[0].other_text == "Felt faint"
    assert model.setData(cell, "", Role.EditRole)
    assert model.data(cell, Role.ToolTipRole) == message  # the problem is back


def test_the_check_box_column_toggles_and_a_signed_session_refuses_every_edit(qapp) -> None:
    model = SideEffectsModel()
    model.add_effect(SideEffectDraft(code="bleeding"))
    resolved = model.index(0, EffectColumn.RESOLVED)
    assert model.flags(resolved) & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(resolved, Qt.CheckState.Checked.value, Role.CheckStateRole)
    assert model.data(resolved, Role.CheckStateRole) == Qt.CheckState.Checked
    assert model.data(resolved, Role.DisplayRole) == "Yes"

    model.set_read_only(True)
    action = model.index(0, EffectColumn.ACTION_TAKEN)
    assert not model.flags(action) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(resolved) & Qt.ItemFlag.ItemIsUserCheckable
    assert not model.setData(action, "Pressure applied", Role.EditRole)
    assert not model.setData(resolved, Qt.CheckState.Unchecked.value, Role.CheckStateRole)
    assert model.effects()[0] == SideEffectDraft(code="bleeding", resolved=True)


def test_choosing_a_serious_type_warns_once_and_a_refused_value_changes_nothing(qapp) -> None:
    model = SideEffectsModel()
    model.add_effect()
    warned: list[str] = []
    model.serious_event_recorded.connect(warned.append)
    kind = model.index(0, EffectColumn.CODE)
    assert model.setData(kind, "pneumothorax", Role.EditRole)
    assert model.setData(kind, "pneumothorax", Role.EditRole)  # editor closed, no change
    assert warned == ["pneumothorax"]
    assert not model.setData(model.index(0, EffectColumn.SEVERITY), "fatal", Role.EditRole)
    assert model.effects()[0].code == "pneumothorax"


def test_removing_a_point_renumbers_the_rest_and_problems_follow_them(qapp) -> None:
    model = PointTableModel()
    model.set_points([_point(), _point(), _point(insertions=0)])
    assert [p.field for p in model.problems()] == ["points[2].insertions"]
    assert model.first_problem_index().row() == 2
    assert model.first_problem_index().column() == PointColumn.INSERTIONS
    renumbered: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda first, last, *_: renumbered.append(
            (first.row(), first.column(), last.row(), last.column())
        )
    )

    model.remove_point(0)

    assert renumbered == [(0, PointColumn.NUMBER, 1, PointColumn.NUMBER)]
    assert model.data(model.index(1, PointColumn.NUMBER), Role.DisplayRole) == "2"
    assert model.problem_text() == "Point 2: Insertions must be at least 1."
    assert not model.flags(model.index(0, PointColumn.NUMBER)) & Qt.ItemFlag.ItemIsEditable


def test_a_field_added_to_the_declaration_gets_its_column_shown_and_edited_by_type(
    qapp,
) -> None:
    @dataclass
    class BrandedPoint(PointDraft):
        needle_brand: str = ""
        sterile_pack: bool = True

    columns = field_columns("BrandedColumn", BrandedPoint, first=("number",))
    assert [c.field for c in columns] == [
        *(c.field for c in PointColumn),
        "needle_brand",
        "sterile_pack",
    ]

    class BrandedModel(PointTableModel):
        DRAFT = BrandedPoint
        COLUMNS = columns

    model = BrandedModel()
    model.set_points([BrandedPoint(**vars(_point()))])
    brand, sterile = model.index(0, columns.NEEDLE_BRAND), model.index(0, columns.STERILE_PACK)
    horizontal = Qt.Orientation.Horizontal
    assert model.headerData(columns.NEEDLE_BRAND, horizontal) == "Needle brand"
    assert model.headerData(PointColumn.MUSCLE_CODE, horizontal) == "Muscle"
    assert model.flags(brand) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(brand, "Seirin J-type", Role.EditRole)
    assert model.data(sterile, Role.DisplayRole) == "Yes"
    assert model.setData(sterile, Qt.CheckState.Unchecked.value, Role.CheckStateRole)
    assert (model.points()[0].needle_brand, model.points()[0].sterile_pack) == (
        "Seirin J-type",
        False,
    )
