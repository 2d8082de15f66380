"""The body chart widget on its own: geometry, clicks, markers, lung zones, keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QItemSelectionModel, QPointF, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from dnt_desktop.models.enums import DepthClass
from dnt_desktop.services import body_map
from dnt_desktop.ui.body_chart import BodyChartWidget
from dnt_desktop.ui.body_chart import palette as chart_palette
from dnt_desktop.ui.session.point_defaults import new_point_at
from dnt_desktop.ui.session.points_model import PointTableModel

LUNG_POINT = ("front", 0.40, 0.26)  # right chest, over the lung zone
CALF = ("back", 0.40, 0.83)


@pytest.fixture
def chart(qtbot: QtBot) -> Iterator[tuple[BodyChartWidget, PointTableModel]]:
    model = PointTableModel()
    selection = QItemSelectionModel(model)
    widget = BodyChartWidget()
    widget.set_model(model, selection)
    qtbot.addWidget(widget)
    widget.resize(640, 560)
    with qtbot.waitExposed(widget):
        widget.show()
    yield widget, model


def pixel(image: QImage, point: QPointF) -> QColor:
    return image.pixelColor(point.toPoint())


def test_both_views_keep_the_figure_aspect_ratio_at_any_size(chart, qtbot: QtBot) -> None:
    widget, _model = chart
    for width, height in ((640, 560), (420, 900), (1400, 500)):
        widget.resize(width, height)
        front, back = widget.view_rect("front"), widget.view_rect("back")
        for view, rect in (("front", front), ("back", back)):
            aspect = body_map.figure(view).aspect
            assert rect.width() / rect.height() == pytest.approx(aspect, rel=0.01)
            assert widget.rect().toRectF().contains(rect)
        assert front.height() == pytest.approx(back.height())
        assert front.right() < back.left()  # side by side, no overlap
    widget.resize(640, 560)
    assert widget.view_rect("front").height() > 400  # the figure fills the space it has


def test_normalised_positions_round_trip(chart) -> None:
    widget, _model = chart
    for view in ("front", "back"):
        located = widget.to_normalised(widget.to_widget(view, 0.3, 0.7))
        assert located is not None
        assert located[0] == view
        assert located[1:] == pytest.approx((0.3, 0.7), abs=1e-6)
    assert widget.to_normalised(QPointF(2, 2)) is None


def test_a_click_on_the_figure_asks_for_a_point_and_a_click_beside_it_does_nothing(
    chart, qtbot: QtBot
) -> None:
    widget, _model = chart
    asked: list[tuple[str, float, float]] = []
    widget.add_requested.connect(lambda *args: asked.append(args))
    outside = [("front", 0.05, 0.95), ("back", 0.95, 0.05), ("front", 0.5, 0.995)]
    for view, x, y in outside:
        assert not body_map.inside_figure(view, x, y)
        qtbot.mouseClick(
            widget, Qt.MouseButton.LeftButton, pos=widget.to_widget(view, x, y).toPoint()
        )
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPointF(3, 3).toPoint())
    assert asked == []

    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.to_widget(*CALF).toPoint())
    assert len(asked) == 1
    view, x, y = asked[0]
    assert view == "back"
    assert (x, y) == pytest.approx((0.40, 0.83), abs=0.005)


def test_markers_are_numbered_and_coloured_by_depth_class(chart, qtbot: QtBot) -> None:
    widget, model = chart
    deep = new_point_at(*CALF)
    superficial = new_point_at("back", 0.60, 0.83)
    superficial.depth_class, superficial.depth_mm = DepthClass.SUPERFICIAL, 5.0
    model.add_point(deep)
    model.add_point(superficial)
    assert [(m.row, m.view, m.depth_class) for m in widget.markers()] == [
        (0, "back", "deep"),
        (1, "back", "superficial"),
    ]
    image = widget.grab().toImage()
    radius = widget.marker_radius()
    for row, expected in ((0, chart_palette.DEEP), (1, chart_palette.SUPERFICIAL)):
        # Beside the number, inside the disc.
        seen = pixel(image, widget.marker_position(row) + QPointF(radius * 0.75, 0))
        assert seen.name() == expected.name()
    assert widget.marker_at(widget.marker_position(1)) == 1
    assert widget.marker_at(widget.to_widget("front", 0.5, 0.5)) is None


def test_lung_zones_are_shaded_only_when_switched_on(chart) -> None:
    widget, _model = chart
    spot = widget.to_widget(*LUNG_POINT)
    assert body_map.in_lung_zone(*LUNG_POINT)
    widget.set_lung_zones_visible(False)
    plain = pixel(widget.grab().toImage(), spot)
    widget.set_lung_zones_visible(True)
    shaded = pixel(widget.grab().toImage(), spot)
    assert plain.name() == chart_palette.FIGURE_FILL.name()
    assert shaded.name() != plain.name()
    assert shaded.red() > shaded.blue()  # a red tint over the lungs
    calf = widget.to_widget(*CALF)
    assert pixel(widget.grab().toImage(), calf).name() == chart_palette.FIGURE_FILL.name()


def test_selecting_a_row_highlights_its_marker(chart) -> None:
    widget, model = chart
    model.add_point(new_point_at(*CALF))
    before = widget.grab().toImage()
    halo = widget.marker_position(0) + QPointF(widget.marker_radius() + 4, 0)
    selection = widget.selection_model()
    assert selection is not None
    selection.select(
        model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    after = widget.grab().toImage()
    assert pixel(before, halo).name() != pixel(after, halo).name()


def test_keyboard_moves_and_deletes_the_selected_marker(chart, qtbot: QtBot) -> None:
    widget, model = chart
    model.add_point(new_point_at(*CALF))
    moves: list[tuple[int, float, float]] = []
    deletes: list[int] = []
    widget.move_requested.connect(lambda *args: moves.append(args))
    widget.delete_requested.connect(deletes.append)
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    assert moves == []  # nothing selected yet
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.marker_position(0).toPoint())
    qtbot.keyClick(widget, Qt.Key.Key_Right)
    qtbot.keyClick(widget, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)
    assert moves[0][0] == 0 and moves[0][1] > 0.40
    assert moves[1][2] < 0.83
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    assert deletes == [0]


def test_dropping_a_marker_off_the_figure_puts_it_back(chart, qtbot: QtBot) -> None:
    widget, model = chart
    model.add_point(new_point_at(*CALF))
    moves: list[tuple[int, float, float]] = []
    widget.move_requested.connect(lambda *args: moves.append(args))
    start = widget.marker_position(0).toPoint()
    end = widget.to_widget("back", 0.05, 0.83).toPoint()  # beside the leg
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, (start + end) / 2)
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)
    assert moves == []
    assert widget.marker_position(0).toPoint() == start


def test_a_read_only_chart_adds_moves_and_deletes_nothing(chart, qtbot: QtBot) -> None:
    widget, model = chart
    model.add_point(new_point_at(*CALF))
    widget.set_read_only(True)
    signals: list[object] = []
    for signal in (widget.add_requested, widget.move_requested, widget.delete_requested):
        signal.connect(lambda *args: signals.append(args))
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.to_widget(*LUNG_POINT).toPoint())
    start = widget.marker_position(0).toPoint()
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, start + QPointF(0, -40).toPoint())
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=start + QPointF(0, -40).toPoint())
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    assert signals == []


def test_hovering_names_the_region_and_its_muscles(chart, qtbot: QtBot) -> None:
    widget, _model = chart
    texts: list[str] = []
    widget.hover_text_changed.connect(texts.append)
    qtbot.mouseMove(widget, widget.to_widget(*CALF).toPoint())
    assert texts and "calf" in texts[-1].lower()
    assert "Gastrocnemius" in texts[-1]
