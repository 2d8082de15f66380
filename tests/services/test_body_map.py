"""Body-chart geometry: side convention, regions, muscle suggestions and lung zones."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dnt_desktop.models import catalogue
from dnt_desktop.services import body_map
from dnt_desktop.services.body_map import VIEWS

# Landmarks in normalised coordinates on the viewer's LEFT half of each view.
SHOULDER_TOP = (0.354, 0.195)  # top of the shoulder, over the upper trapezius
UPPER_CHEST = (0.407, 0.24)  # front: below the clavicle, over pectoralis major
BASE_OF_NECK = (0.42, 0.185)  # back: where the neck meets the shoulder
CALF = (0.399, 0.813)  # back: middle of the calf
ABDOMEN = (0.44, 0.38)
THIGH = (0.4, 0.6)
OUTSIDE = [(0.02, 0.02), (0.98, 0.5), (0.5, 0.9), (0.2, 0.95), (0.5, 0.999)]


def mirror(point: tuple[float, float]) -> tuple[float, float]:
    """The same landmark on the viewer's right half."""
    return (1.0 - point[0], point[1])


def codes(view: str, point: tuple[float, float]) -> set[str]:
    return {m.code for m in body_map.suggest_muscles(view, *point)}


@pytest.mark.parametrize("view", VIEWS)
def test_figure_is_cached_and_normalised(view: str) -> None:
    fig = body_map.figure(view)
    assert fig is body_map.figure(view)
    assert fig.view == view
    assert 0.3 < fig.aspect < 0.7
    shapes = [*fig.outline, *fig.details, *fig.lung_zones, *(r.polygon for r in fig.regions)]
    for shape in shapes:
        assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in shape)
    assert fig.details and len(fig.lung_zones) == 2


def test_both_views_share_the_box() -> None:
    assert body_map.figure("front").aspect == body_map.figure("back").aspect


def test_unknown_view_is_rejected() -> None:
    with pytest.raises(ValueError, match="side"):
        body_map.figure("side")


def test_front_view_viewer_left_is_patient_right() -> None:
    region = body_map.region_at("front", *SHOULDER_TOP)
    assert region is not None and region.side == "right"
    assert region.code.endswith("_right") and region.label.startswith("Right")
    assert body_map.side_at("front", *SHOULDER_TOP) == "right"
    assert body_map.side_at("front", *mirror(SHOULDER_TOP)) == "left"


def test_back_view_viewer_left_is_patient_left() -> None:
    region = body_map.region_at("back", *SHOULDER_TOP)
    assert region is not None and region.side == "left"
    assert body_map.side_at("back", *SHOULDER_TOP) == "left"
    assert body_map.side_at("back", *mirror(SHOULDER_TOP)) == "right"


def test_side_outside_regions_follows_the_convention() -> None:
    assert body_map.side_at("front", 0.1, 0.02) == "right"
    assert body_map.side_at("front", 0.9, 0.02) == "left"
    assert body_map.side_at("back", 0.1, 0.02) == "left"
    assert body_map.side_at("back", 0.9, 0.02) == "right"
    assert body_map.side_at("front", 0.5, 0.9) == "midline"


@pytest.mark.parametrize("point", [UPPER_CHEST, mirror(UPPER_CHEST)])
def test_front_upper_chest_suggests_pectoralis_major_over_the_lung(
    point: tuple[float, float],
) -> None:
    suggested = body_map.suggest_muscles("front", *point)
    assert "pectoralis_major" in {m.code for m in suggested}
    assert all(isinstance(m, catalogue.Muscle) for m in suggested)
    assert any(m.lung_risk for m in suggested)
    assert body_map.in_lung_zone("front", *point)


@pytest.mark.parametrize("point", [CALF, mirror(CALF)])
def test_back_calf_suggests_calf_muscles_away_from_the_lung(point: tuple[float, float]) -> None:
    suggested = codes("back", point)
    assert {"gastrocnemius_medial", "gastrocnemius_lateral", "soleus"} <= suggested
    assert not body_map.in_lung_zone("back", *point)
    assert not any(m.lung_risk for m in body_map.suggest_muscles("back", *point))


@pytest.mark.parametrize("point", [BASE_OF_NECK, SHOULDER_TOP, mirror(BASE_OF_NECK)])
def test_back_base_of_neck_suggests_upper_trapezius(point: tuple[float, float]) -> None:
    assert "upper_trapezius" in codes("back", point)


def test_lung_apex_lies_under_the_base_of_the_neck_on_the_back() -> None:
    assert body_map.in_lung_zone("back", *BASE_OF_NECK)
    assert body_map.in_lung_zone("back", *mirror(BASE_OF_NECK))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("point", [ABDOMEN, THIGH, CALF, (0.45, 0.05)])
def test_no_lung_zone_over_abdomen_limbs_or_head(view: str, point: tuple[float, float]) -> None:
    assert not body_map.in_lung_zone(view, *point)
    assert not body_map.in_lung_zone(view, *mirror(point))


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("point", OUTSIDE)
def test_outside_the_figure_there_is_nothing(view: str, point: tuple[float, float]) -> None:
    assert not body_map.inside_figure(view, *point)
    assert body_map.region_at(view, *point) is None
    assert body_map.suggest_muscles(view, *point) == ()
    assert not body_map.in_lung_zone(view, *point)


def _grid(n: int) -> list[tuple[float, float]]:
    return [((i + 0.5) / n, (j + 0.5) / n) for i in range(n) for j in range(n)]


@pytest.mark.parametrize("view", VIEWS)
def test_regions_tile_the_silhouette_without_overlap(view: str) -> None:
    fig = body_map.figure(view)
    inside = covered = 0
    for x, y in _grid(90):
        hits = [r.code for r in fig.regions if r.contains(x, y)]
        assert len(hits) <= 1, f"({x:.3f}, {y:.3f}) is in {hits}"
        on_figure = fig.inside(x, y)
        if hits:
            assert on_figure, f"region {hits[0]} pokes out of the figure at ({x:.3f}, {y:.3f})"
        inside += on_figure
        covered += bool(hits)
    assert inside > 1000
    assert covered >= 0.97 * inside


@pytest.mark.parametrize("view", VIEWS)
def test_lung_zones_lie_on_the_trunk(view: str) -> None:
    fig = body_map.figure(view)
    for x, y in _grid(90):
        if fig.in_lung_zone(x, y):
            assert fig.inside(x, y)
            assert 0.13 < y < 0.4


@pytest.mark.parametrize("view", VIEWS)
def test_every_region_suggests_muscles_needled_from_that_view(view: str) -> None:
    for region in body_map.figure(view).regions:
        assert region.muscles, region.code
        for code in region.muscles:
            assert view in catalogue.muscle(code).views, (region.code, code)


@pytest.mark.parametrize("view", VIEWS)
def test_regions_come_in_left_right_pairs(view: str) -> None:
    regions = body_map.figure(view).regions
    codes_ = [r.code for r in regions]
    assert len(set(codes_)) == len(codes_)
    for region in regions:
        assert region.side in ("left", "right")
        twin = "left" if region.side == "right" else "right"
        stem = region.code.removesuffix(f"_{region.side}")
        assert f"{stem}_{twin}" in codes_
        # The twin is the mirror image: it sits on the other side of the centre line.
        xs = [x for x, _ in region.polygon]
        centre = sum(xs) / len(xs)
        left_of_centre = centre < 0.5
        expected = "right" if view == "front" else "left"
        assert (region.side == expected) == left_of_centre, region.code


@pytest.mark.parametrize(
    ("view", "stems"),
    [
        (
            "front",
            {"head_face", "neck_anterior", "shoulder_top", "chest", "abdomen", "hip_groin"}
            | {"thigh_anterior", "knee_anterior", "leg_anterior", "foot"}
            | {"upper_arm_anterior", "forearm_anterior", "hand_palm"},
        ),
        (
            "back",
            {"head_posterior", "neck_posterior", "shoulder_top", "scapular", "upper_back"}
            | {"mid_back", "lower_back", "gluteal", "thigh_posterior", "knee_posterior"}
            | {"calf", "heel", "upper_arm_posterior", "forearm_posterior", "hand_dorsum"},
        ),
    ],
)
def test_the_whole_body_is_charted(view: str, stems: set[str]) -> None:
    found = {r.code.rsplit("_", 1)[0] for r in body_map.figure(view).regions}
    assert found == stems


def test_every_muscle_can_be_suggested_somewhere() -> None:
    suggested = {c for v in VIEWS for r in body_map.figure(v).regions for c in r.muscles}
    assert suggested == {m.code for m in catalogue.muscles()}


def _copy(tmp_path: Path, view: str) -> Path:
    target = tmp_path / f"{view}.json"
    shutil.copy(body_map.body_chart_dir() / f"{view}.json", target)
    return target


def test_unknown_muscle_in_a_region_is_rejected_naming_the_file(tmp_path: Path) -> None:
    path = _copy(tmp_path, "front")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["regions"][0]["muscles"].append("wing_flapper")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"front\.json.*unknown muscle 'wing_flapper'"):
        body_map.load_figure(path, "front")


def test_muscle_from_the_wrong_view_is_rejected(tmp_path: Path) -> None:
    path = _copy(tmp_path, "back")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["regions"][0]["muscles"].append("pectoralis_major")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"back\.json.*pectoralis_major"):
        body_map.load_figure(path, "back")


def test_coordinates_outside_the_box_are_rejected(tmp_path: Path) -> None:
    path = _copy(tmp_path, "front")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["lung_zones"][0][0] = [1.5, 0.2]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match=r"front\.json.*lung_zones\[0\]"):
        body_map.load_figure(path, "front")


# --- muscle areas: the muscle under the pointer first -----------------------------------

AREAS = [
    pytest.param(view, region.code, area.muscle, id=f"{view}-{region.code}-{area.muscle}")
    for view in VIEWS
    for region in body_map.figure(view).regions
    for area in region.areas
]
UNDER_OTHERS = {
    "pectoralis_minor",
    "subclavius",
    "subscapularis",
    "rhomboid_minor",
    "serratus_posterior_superior",
    "splenius_cervicis",
    "cervical_multifidus",
    "supinator",
    "gluteus_minimus",
    "piriformis",
    "obturator_internus",
    "vastus_intermedius",
    "tibialis_posterior",
    "quadratus_plantae",
}
"""Deep muscles that lie under others on a flat chart: listed, never an area of their own."""


@pytest.mark.parametrize(("view", "code", "muscle"), AREAS)
def test_a_click_at_an_area_centre_suggests_its_muscle_then_the_regions_others(
    view: str, code: str, muscle: str
) -> None:
    region = body_map.figure(view).region(code)
    (area,) = [a for a in region.areas if a.muscle == muscle]
    x, y = area.centre
    suggested = [m.code for m in body_map.suggest_muscles(view, x, y)]
    assert suggested[0] == muscle
    assert suggested[1:] == [m for m in region.muscles if m != muscle]
    assert body_map.side_at(view, x, y) == region.side
    assert body_map.muscle_area_at(view, x, y) == area


@pytest.mark.parametrize("view", VIEWS)
def test_the_areas_tile_their_region(view: str) -> None:
    fig = body_map.figure(view)
    in_regions = covered = 0
    for x, y in _grid(120):
        region = fig.region_at(x, y)
        areas = [(r.code, a.muscle) for r in fig.regions for a in r.areas if a.contains(x, y)]
        assert len(areas) <= 1, f"({x:.3f}, {y:.3f}) is in {areas}"
        if areas:  # an area never reaches out of its region
            assert region is not None and areas[0][0] == region.code, (x, y, areas)
        if region is not None:
            in_regions += 1
            covered += bool(areas)
    assert covered == in_regions


def test_every_region_has_areas_and_only_deep_muscles_have_none() -> None:
    with_area = set()
    for view in VIEWS:
        for region in body_map.figure(view).regions:
            assert region.areas, region.code
            with_area |= {a.muscle for a in region.areas}
    assert {m.code for m in catalogue.muscles()} - with_area == UNDER_OTHERS


def test_the_clicked_muscle_follows_the_surface_anatomy() -> None:
    def first(view: str, code: str, muscle: str) -> str:
        area = next(a for a in body_map.figure(view).region(code).areas if a.muscle == muscle)
        return body_map.suggest_muscles(view, *area.centre)[0].code

    # Not the region's first muscle: the one under the pointer.
    assert body_map.figure("front").region("thigh_anterior_right").muscles[0] == "rectus_femoris"
    assert first("front", "thigh_anterior_right", "vastus_medialis") == "vastus_medialis"
    assert first("back", "calf_left", "soleus") == "soleus"
    # Left-right mirror images: the same muscle at the mirrored point.
    for view in VIEWS:
        for region in body_map.figure(view).regions:
            for area in region.areas:
                x, y = area.centre
                twin = body_map.muscle_area_at(view, 1.0 - x, y)
                assert twin is not None and twin.muscle == area.muscle, (region.code, area)


def _region_json(tmp_path: Path, change) -> Path:
    path = _copy(tmp_path, "front")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data["regions"][0])
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["areas"][0].update(muscle="soleus"), "area of 'soleus'"),
        (lambda r: r["areas"][0].update(centre=r["areas"][1]["centre"]), "centre of area"),
        (lambda r: r["areas"].append(dict(r["areas"][0])), "more than one area"),
        (lambda r: r["areas"][0].update(polygon=[[0.5, 0.5]]), "polygon needs at least 3"),
        (lambda r: r["areas"][0].update(centre=[2, 0]), "centre has a point"),
    ],
    ids=["foreign muscle", "centre outside", "twice", "no polygon", "centre off the box"],
)
def test_broken_areas_are_rejected_naming_the_file(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(ValueError, match=rf"front\.json.*{message}"):
        body_map.load_figure(_region_json(tmp_path, change), "front")
