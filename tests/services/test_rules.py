"""The clinical rules: depth classes, validation messages and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnt_desktop.models.enums import ChartView, DepthClass, ScreeningStatus, Sex, Side
from dnt_desktop.services.drafts import ConditionDraft, PointDraft, SessionDraft, SideEffectDraft
from dnt_desktop.services.rules import (
    ClinicalState,
    ConsentState,
    Level,
    RuleSettings,
    ScreeningFact,
    add_months,
    alerts_needing_confirmation,
    depth_class_for,
    describe_problems,
    patient_alerts,
    point_problems,
    screening_questions,
    screening_review_due,
    session_alerts,
    session_problems,
    touches_lung_risk_muscle,
)


def point(**changes: object) -> PointDraft:
    values: dict[str, object] = dict(
        muscle_code="gluteus_medius",
        side=Side.LEFT,
        view=ChartView.BACK,
        x=0.4,
        y=0.5,
        depth_class=DepthClass.DEEP,
        depth_mm=30.0,
        needle_gauge_mm=0.3,
        needle_length_mm=50.0,
    )
    values.update(changes)
    return PointDraft(**values)  # type: ignore[arg-type]


def draft(**changes: object) -> SessionDraft:
    values: dict[str, object] = dict(
        patient_id=1, practitioner_id=1, started_at=datetime(2026, 11, 1, 9, tzinfo=UTC)
    )
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


ALL_CLEAR = tuple(
    ScreeningFact(code, ScreeningStatus.ABSENT)
    for code in (
        "bleeding_anticoagulants",
        "needle_phobia",
        "metal_latex_allergy",
        "infection_skin_site",
        "implanted_device",
        "pregnancy",
    )
)
HEALTHY = ClinicalState(
    screening=ALL_CLEAR,
    screened_on=date.today(),
    consent=ConsentState.ACTIVE,
    # BMI 27.1: the lung-risk depth limits (services/safety) allow these tests' points.
    height_cm=175.0,
    weight_kg=83.0,
)


@pytest.mark.parametrize(
    ("depth", "expected"),
    [
        (0.5, DepthClass.SUPERFICIAL),
        (10.0, DepthClass.SUPERFICIAL),
        (10.01, DepthClass.DEEP),
        (40, DepthClass.DEEP),
    ],
)
def test_depth_class_boundary_is_10_mm(depth: float, expected: DepthClass) -> None:
    assert depth_class_for(depth) == expected


def test_valid_point_has_no_problems() -> None:
    assert point_problems(point()) == []
    assert point_problems(point(depth_class=DepthClass.SUPERFICIAL, depth_mm=10.0)) == []


def test_superficial_deeper_than_10_mm_is_rejected_with_what_to_fix() -> None:
    problems = point_problems(point(depth_class=DepthClass.SUPERFICIAL, depth_mm=15.0))
    assert [p.field for p in problems] == ["depth_mm"]
    assert "Superficial needling is 10 mm or less, but 15 mm" in problems[0].message
    assert "change the class to deep" in problems[0].message


def test_deep_at_10_mm_or_less_is_rejected() -> None:
    problems = point_problems(point(depth_mm=8.0))
    assert "Deep needling enters the muscle" in problems[0].message


def test_depth_beyond_needle_length_is_rejected() -> None:
    problems = point_problems(point(depth_mm=45.0, needle_length_mm=40.0))
    assert any("more than the needle's length (40 mm)" in p.message for p in problems)


@pytest.mark.parametrize("depth", [0.0, -3.0, float("nan")])
def test_depth_must_be_positive(depth: float) -> None:
    assert any(p.field == "depth_mm" for p in point_problems(point(depth_mm=depth)))


def test_insertions_at_least_one_and_known_muscle() -> None:
    assert [p.field for p in point_problems(point(insertions=0))] == ["insertions"]
    assert [p.field for p in point_problems(point(muscle_code="nonsense"))] == ["muscle_code"]


@given(st.floats(min_value=0.01, max_value=75, allow_nan=False))
def test_the_class_the_rules_give_is_always_accepted(depth: float) -> None:
    candidate = point(depth_mm=depth, depth_class=depth_class_for(depth), needle_length_mm=75.0)
    assert point_problems(candidate) == []


@pytest.mark.parametrize("value", [-1, 11, 2.5, True])
def test_pain_scores_are_integers_0_to_10(value: object) -> None:
    problems = session_problems(draft(pain_before=value))
    assert [p.field for p in problems] == ["pain_before"]
    assert session_problems(draft(pain_before=0, pain_after=10)) == []


def test_session_problems_number_points_as_the_user_sees_them() -> None:
    bad = draft(points=[point(), point(depth_class=DepthClass.SUPERFICIAL, depth_mm=15.0)])
    message = describe_problems(session_problems(bad))
    assert message.startswith("Point 2: Superficial needling")


def test_other_condition_needs_text() -> None:
    problems = session_problems(draft(conditions=[ConditionDraft("other")]))
    assert problems and "other" in problems[0].message
    assert session_problems(draft(conditions=[ConditionDraft("other", "Jaw pain")])) == []


def test_every_present_contraindication_is_a_danger_alert() -> None:
    screening = tuple(
        ScreeningFact(f.code, ScreeningStatus.PRESENT, "Warfarin")
        if f.code == "bleeding_anticoagulants"
        else f
        for f in ALL_CLEAR
    )
    state = ClinicalState(screening=screening, screened_on=None, consent=ConsentState.ACTIVE)
    alerts = patient_alerts(state)
    assert [a.code for a in alerts] == ["contraindication:bleeding_anticoagulants"]
    assert alerts[0].level == Level.DANGER
    assert "Warfarin" in alerts[0].text
    assert "anticoagulant" in alerts[0].title.lower()


def test_no_consent_and_withdrawn_consent_raise_alerts() -> None:
    none = ClinicalState(screening=ALL_CLEAR, screened_on=None, consent=ConsentState.NONE)
    assert [a.code for a in patient_alerts(none)] == ["no_consent"]
    withdrawn = ClinicalState(
        screening=ALL_CLEAR,
        screened_on=None,
        consent=ConsentState.WITHDRAWN,
        consent_withdrawn_on=date(2026, 3, 4),
    )
    (alert,) = patient_alerts(withdrawn)
    assert alert.code == "consent_withdrawn" and "2026-03-04" in alert.detail


def test_missing_screening_is_a_warning() -> None:
    state = ClinicalState(screening=None, screened_on=None, consent=ConsentState.ACTIVE)
    assert [a.code for a in patient_alerts(state)] == ["no_screening"]


def test_healthy_patient_and_safe_session_have_no_alerts() -> None:
    assert session_alerts(HEALTHY, draft(points=[point()])) == []


def test_deep_point_over_lung_risk_muscle_warns_superficial_does_not() -> None:
    deep = point(muscle_code="upper_trapezius", depth_mm=15.0, needle_length_mm=25.0)
    assert [a.code for a in session_alerts(HEALTHY, draft(points=[deep]))] == ["deep_lung_risk"]
    shallow = point(
        muscle_code="upper_trapezius",
        depth_class=DepthClass.SUPERFICIAL,
        depth_mm=5.0,
        needle_length_mm=25.0,
    )
    assert session_alerts(HEALTHY, draft(points=[shallow])) == []
    assert touches_lung_risk_muscle([shallow])
    assert not touches_lung_risk_muscle([point()])


def test_bilateral_deep_thoracic_needling_is_a_danger() -> None:
    left = point(muscle_code="rhomboid_major", side=Side.LEFT, depth_mm=15.0, needle_length_mm=25)
    right = point(muscle_code="rhomboid_major", side=Side.RIGHT, depth_mm=15.0, needle_length_mm=25)
    codes = [a.code for a in session_alerts(HEALTHY, draft(points=[left, right]))]
    assert codes == ["deep_lung_risk", "bilateral_lung_risk"]


def test_long_needle_over_lung_risk_muscle_uses_clinic_limit() -> None:
    p = point(muscle_code="scalenes", depth_mm=15.0, needle_length_mm=30.0)
    codes = [a.code for a in session_alerts(HEALTHY, draft(points=[p]))]
    assert "long_needle_lung_risk" in codes
    relaxed = session_alerts(HEALTHY, draft(points=[p]), RuleSettings(lung_risk_needle_limit_mm=40))
    assert "long_needle_lung_risk" not in [a.code for a in relaxed]


def test_pneumothorax_side_effect_is_a_serious_event() -> None:
    alerts = session_alerts(HEALTHY, draft(side_effects=[SideEffectDraft("pneumothorax")]))
    assert [a.code for a in alerts] == ["serious_pneumothorax"]
    assert alerts[0].level == Level.DANGER


def test_unknown_screening_answers_are_a_caution_that_needs_no_confirmation() -> None:
    screening = (ScreeningFact("pregnancy", ScreeningStatus.UNKNOWN), *ALL_CLEAR[:-1])
    state = ClinicalState(screening=screening, screened_on=None, consent=ConsentState.ACTIVE)
    alerts = session_alerts(state, draft())
    assert [a.code for a in alerts] == ["screening_unknown"]
    assert alerts_needing_confirmation(alerts) == []


# --- screening questions and review ----------------------------------------------------


def test_a_man_is_not_asked_about_pregnancy_everyone_else_is() -> None:
    asked = {sex: {item.code for item in screening_questions(sex)} for sex in Sex}
    assert "pregnancy" not in asked[Sex.MALE]
    assert all("pregnancy" in asked[sex] for sex in (Sex.FEMALE, Sex.OTHER, Sex.UNKNOWN))
    assert asked[Sex.FEMALE] - asked[Sex.MALE] == {"pregnancy"}


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 15), 12, date(2026, 11, 15)),
        (date(2025, 12, 1), 2, date(2026, 2, 1)),
    ],
)
def test_add_months_keeps_the_day_within_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_a_screening_is_due_for_review_once_the_interval_has_passed() -> None:
    screened = date(2025, 3, 10)
    assert not screening_review_due(screened, date(2026, 3, 9), 12)
    assert screening_review_due(screened, date(2026, 3, 10), 12)
    assert screening_review_due(screened, date(2025, 9, 10), 6)
    assert not screening_review_due(None, date(2026, 3, 10), 12)


def test_an_old_screening_is_flagged_with_the_clinics_interval() -> None:
    today = date(2026, 12, 4)
    old = ClinicalState(ALL_CLEAR, screened_on=date(2024, 6, 1), consent=ConsentState.ACTIVE)
    (alert,) = patient_alerts(old, RuleSettings(screening_review_months=12), today)
    assert alert.code == "screening_review_due" and alert.level == Level.WARNING
    assert "01 Jun 2024" in alert.detail and "2 years ago" in alert.detail
    assert "12 months" in alert.detail
    assert patient_alerts(old, RuleSettings(screening_review_months=36), today) == []
    assert alerts_needing_confirmation([alert]) == [alert]
