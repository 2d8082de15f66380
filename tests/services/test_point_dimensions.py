"""Where a new point's depth and needle start: last point, catalogue, lung-risk limit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, Side
from dnt_desktop.services.drafts import PointDraft
from dnt_desktop.services.point_dimensions import (
    NEEDLE_LENGTHS_MM,
    NO_MUSCLE,
    Dimensions,
    default_dimensions,
    typical_dimensions,
    within_lung_limit,
)
from dnt_desktop.services.rules import (
    ClinicalState,
    ConsentState,
    RuleSettings,
    depth_class_for,
    lung_limit_breaches,
    patient_lung_limit,
)
from dnt_desktop.services.safety.lung_limits import DepthLimit

LUNG_RISK = [m.code for m in catalogue.muscles() if m.lung_risk]
COMMON_LENGTHS = {13, 15, 25, 30, 40, 50, 60}


def test_without_history_a_muscle_starts_at_its_catalogue_values_not_a_fixed_20_mm() -> None:
    assert default_dimensions("gastrocnemius_medial") == Dimensions(20, DepthClass.DEEP, 30, 0.25)
    assert default_dimensions("gluteus_maximus") == Dimensions(40, DepthClass.DEEP, 50, 0.30)
    assert default_dimensions("first_dorsal_interosseous") == Dimensions(
        10, DepthClass.SUPERFICIAL, 15, 0.16
    )
    assert default_dimensions("intercostals").depth_class == DepthClass.SUPERFICIAL
    depths = {default_dimensions(m.code).depth_mm for m in catalogue.muscles()}
    assert len(depths) >= 8  # a depth per muscle, not one for all


def test_the_practitioners_last_point_comes_before_the_catalogue() -> None:
    last = Dimensions(27, DepthClass.DEEP, 40, 0.30)
    assert default_dimensions("soleus", last=last) == last
    shallow = Dimensions(8, DepthClass.SUPERFICIAL, 15, 0.18)
    assert default_dimensions("soleus", last=shallow) == shallow


def test_a_point_without_a_muscle_starts_cautiously() -> None:
    assert default_dimensions("") == NO_MUSCLE
    assert NO_MUSCLE.depth_class == DepthClass.SUPERFICIAL


def test_over_a_lung_risk_muscle_a_deep_last_point_is_held_to_the_clinics_limit() -> None:
    long = Dimensions(35, DepthClass.DEEP, 50, 0.30)
    held = default_dimensions("upper_trapezius", RuleSettings(25), last=long)
    assert held.needle_length_mm == 25
    assert held.depth_mm == 20  # the shortened needle is not pushed in to its hub
    assert held.needle_gauge_mm == 0.30  # the gauge is the practitioner's
    within = Dimensions(14, DepthClass.DEEP, 25, 0.25)
    assert default_dimensions("upper_trapezius", RuleSettings(25), last=within) == within


def test_the_catalogues_long_needles_are_shortened_over_the_lung() -> None:
    quadratus = default_dimensions("quadratus_lumborum", RuleSettings(25))
    assert (quadratus.needle_length_mm, quadratus.depth_mm) == (25, 20)
    # A clinic that allows longer needles gets the catalogue's values.
    assert default_dimensions("quadratus_lumborum", RuleSettings(60)) == typical_dimensions(
        "quadratus_lumborum"
    )


def test_the_rhomboids_never_start_deeper_than_19_mm_whatever_the_clinic_allows() -> None:
    deep = Dimensions(30, DepthClass.DEEP, 40, 0.25)
    for code in ("rhomboid_major", "rhomboid_minor"):
        assert catalogue.muscle(code).max_depth_mm == 19
        held = default_dimensions(code, RuleSettings(60), last=deep)
        assert held.depth_mm == 19 and held.needle_length_mm == 40


def test_a_strict_clinic_limit_gives_a_short_superficial_start() -> None:
    held = default_dimensions("pectoralis_major", RuleSettings(15))
    assert held == Dimensions(10, DepthClass.SUPERFICIAL, 15, 0.25)


def test_a_muscle_away_from_the_lung_is_never_held() -> None:
    deep = Dimensions(55, DepthClass.DEEP, 60, 0.30)
    assert within_lung_limit("piriformis", deep, RuleSettings(13)) == deep


@given(
    muscle=st.sampled_from(LUNG_RISK),
    depth=st.floats(1, 80),
    needle=st.sampled_from(NEEDLE_LENGTHS_MM),
    gauge=st.sampled_from([0.16, 0.2, 0.25, 0.3]),
    limit=st.floats(13, 60),
)
def test_over_any_lung_risk_muscle_the_default_never_exceeds_the_limit(
    muscle: str, depth: float, needle: float, gauge: float, limit: float
) -> None:
    last = Dimensions(depth, depth_class_for(depth), needle, gauge)
    settings = RuleSettings(limit)
    for start in (last, None):
        dims = default_dimensions(muscle, settings, last=start)
        assert dims.needle_length_mm <= limit
        assert 0 < dims.depth_mm <= min(limit, dims.needle_length_mm)
        assert dims.depth_class == depth_class_for(dims.depth_mm)
        cap = catalogue.muscle(muscle).max_depth_mm
        assert cap is None or dims.depth_mm <= cap


# --- the catalogue's typical values -----------------------------------------------------


@pytest.mark.parametrize("muscle", catalogue.muscles(), ids=lambda m: m.code)
def test_every_muscle_has_typical_values_of_common_sizes(muscle: catalogue.Muscle) -> None:
    typical = muscle.typical
    assert typical is not None
    assert typical.depth_class == depth_class_for(typical.depth_mm).value
    assert typical.needle_length_mm in COMMON_LENGTHS
    assert 0.16 <= typical.needle_gauge_mm <= 0.30
    assert typical.depth_mm <= typical.needle_length_mm - 3  # never in to the hub
    if muscle.max_depth_mm is not None:
        assert typical.depth_mm <= muscle.max_depth_mm


def test_the_catalogue_cites_where_its_depths_come_from() -> None:
    source = (catalogue.catalogues_dir() / "muscles.json").read_text(encoding="utf-8")
    assert "typical_depth_mm" in source and "about 19 mm" in source
    assert "vastus_intermedius" in {m.code for m in catalogue.muscles()}


# --- this patient's lung-risk limit (issue 18) -----------------------------------------


def _state(height_cm: float | None = None, weight_kg: float | None = None) -> ClinicalState:
    return ClinicalState(None, None, ConsentState.NONE, height_cm=height_cm, weight_kg=weight_kg)


LEAN = _state(170.0, 50.0)  # BMI 17.3: under 18.5
BMI_19 = _state(170.0, 55.0)


def test_a_last_point_deeper_than_the_patients_limit_is_capped() -> None:
    # upper trapezius, BMI under 18.5: 10 mm deep on a 25 mm needle at most (shipped limits)
    last = Dimensions(20, DepthClass.DEEP, 25, 0.25)
    assert default_dimensions("upper_trapezius", last=last) == last  # no patient given
    capped = default_dimensions("upper_trapezius", last=last, state=LEAN)
    assert capped == Dimensions(10, DepthClass.SUPERFICIAL, 25, 0.25)
    # a clinic's own, tighter limit is the one applied
    own = RuleSettings(lung_limits={("upper_trapezius", "under_18_5"): DepthLimit(8, 20)})
    assert default_dimensions("upper_trapezius", own, last, LEAN) == Dimensions(
        8, DepthClass.SUPERFICIAL, 20, 0.25
    )


def test_the_catalogue_depth_is_capped_and_an_unknown_bmi_takes_the_leanest_band() -> None:
    typical = typical_dimensions("upper_trapezius")
    assert typical is not None and typical.depth_mm == 12
    assert default_dimensions("upper_trapezius", state=_state()).depth_mm == 10
    assert default_dimensions("upper_trapezius", state=_state(170.0, 80.0)).depth_mm == 12
    # a needle longer than the limit becomes the longest common one within it
    own = RuleSettings(lung_limits={("rhomboid_major", "18_5_to_25"): DepthLimit(14, 20)})
    assert default_dimensions("rhomboid_major", own, state=BMI_19) == Dimensions(
        14, DepthClass.DEEP, 20, 0.25
    )


def test_a_muscle_not_over_the_lung_is_unchanged_by_the_patients_limit() -> None:
    last = Dimensions(35, DepthClass.DEEP, 50, 0.30)
    assert default_dimensions("gluteus_maximus", last=last, state=LEAN) == last
    assert default_dimensions("soleus", state=_state()) == default_dimensions("soleus")


@given(
    muscle=st.sampled_from(LUNG_RISK),
    depth=st.floats(1, 70),
    needle=st.sampled_from(NEEDLE_LENGTHS_MM),
    height=st.none() | st.floats(140, 200),
    weight=st.none() | st.floats(40, 150),
)
def test_a_default_never_breaches_the_patients_limit(
    muscle: str, depth: float, needle: float, height: float | None, weight: float | None
) -> None:
    state = _state(height, weight)
    dims = default_dimensions(muscle, last=Dimensions(depth, DepthClass.DEEP, needle), state=state)
    found = patient_lung_limit(state, muscle)
    assert found is not None
    limit, _band = found
    assert dims.depth_mm <= limit.max_depth_mm
    assert dims.needle_length_mm <= limit.max_needle_length_mm
    point = PointDraft(
        muscle,
        Side.LEFT,
        ChartView.BACK,
        0.5,
        0.5,
        dims.depth_class,
        dims.depth_mm,
        dims.needle_gauge_mm,
        dims.needle_length_mm,
    )
    assert lung_limit_breaches(state, [point]) == []
