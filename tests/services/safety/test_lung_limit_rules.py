"""Depth limits over the lung-risk muscles for this patient's BMI (issue 16)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from dnt_desktop.models.enums import ChartView, DepthClass, ScreeningStatus, Side
from dnt_desktop.services.drafts import PointDraft, SessionDraft
from dnt_desktop.services.rules import (
    ClinicalState,
    ConsentState,
    Level,
    RuleSettings,
    ScreeningFact,
    alerts_needing_confirmation,
    session_alerts,
)
from dnt_desktop.services.safety import lung_limits
from dnt_desktop.services.safety.lung_limits import DepthLimit


def rhomboid(depth: float, needle: float, side: Side = Side.LEFT) -> PointDraft:
    return PointDraft(
        muscle_code="rhomboid_major",
        side=side,
        view=ChartView.BACK,
        x=0.45,
        y=0.3,
        depth_class=DepthClass.DEEP if depth > 10 else DepthClass.SUPERFICIAL,
        depth_mm=depth,
        needle_gauge_mm=0.25,
        needle_length_mm=needle,
    )


def session(*points: PointDraft) -> SessionDraft:
    return SessionDraft(
        patient_id=1,
        practitioner_id=1,
        started_at=datetime(2026, 11, 1, 9, tzinfo=UTC),
        points=list(points),
    )


def patient(
    height: float | None = 170.0, weight: float | None = 55.0, *present: str
) -> ClinicalState:
    """BMI 19.0 by default (170 cm, 55 kg)."""
    facts = tuple(ScreeningFact(code, ScreeningStatus.PRESENT) for code in present)
    return ClinicalState(
        screening=facts,
        screened_on=date.today(),
        consent=ConsentState.ACTIVE,
        height_cm=height,
        weight_kg=weight,
    )


def codes(state: ClinicalState, draft: SessionDraft, settings: RuleSettings | None = None):
    return [a.code for a in session_alerts(state, draft, settings)]


def test_bmi_and_its_band() -> None:
    assert round(lung_limits.bmi(170, 55), 1) == 19.0
    assert lung_limits.band_for(19.0).code == "18_5_to_25"
    assert lung_limits.band_for(18.4).code == "under_18_5"
    assert lung_limits.band_for(30.0).code == "30_plus"
    assert lung_limits.band_for(None) == lung_limits.most_conservative_band()
    assert lung_limits.bmi(None, 55) is None


def test_bmi_19_deep_rhomboid_beyond_the_clinics_limit_raises_a_danger_alert() -> None:
    settings = RuleSettings(
        lung_limits={
            **lung_limits.default_limits(),
            ("rhomboid_major", "18_5_to_25"): DepthLimit(19, 25),
        }
    )
    alerts = session_alerts(patient(), session(rhomboid(22, 25)), settings)
    (alert,) = [a for a in alerts if a.code == "lung_depth_limit"]
    assert alert.level == Level.DANGER
    assert alert in alerts_needing_confirmation(alerts)
    assert "point 1 (Rhomboid major, left): 22 mm deep, limit 19 mm" in alert.detail
    assert "BMI 19.0" in alert.detail
    # the generic lung-risk depth warning does not name the same point a second time
    assert "deep_lung_risk" not in [a.code for a in alerts]


def test_the_same_point_within_the_limit_does_not() -> None:
    found = codes(patient(), session(rhomboid(15, 25)))
    assert "lung_depth_limit" not in found
    assert "deep_lung_risk" in found  # the usual warning over a lung-risk muscle stays


def test_a_longer_needle_than_the_limit_is_named() -> None:
    alerts = session_alerts(patient(), session(rhomboid(15, 30)))
    (alert,) = [a for a in alerts if a.code == "lung_depth_limit"]
    assert "30 mm needle, limit 25 mm" in alert.detail
    assert "long_needle_lung_risk" not in [a.code for a in alerts]


def test_the_clinics_own_limit_is_the_one_applied() -> None:
    stricter = {
        **lung_limits.default_limits(),
        ("rhomboid_major", "18_5_to_25"): DepthLimit(12, 25),
    }
    assert "lung_depth_limit" in codes(
        patient(), session(rhomboid(15, 25)), RuleSettings(lung_limits=stricter)
    )


def test_unknown_bmi_uses_the_most_conservative_band_and_says_so() -> None:
    alerts = session_alerts(patient(None, None), session(rhomboid(17, 25)))
    (alert,) = [a for a in alerts if a.code == "lung_depth_limit"]
    assert "Height and weight are not recorded" in alert.detail
    assert "BMI under 18.5" in alert.detail
    assert "limit 15 mm" in alert.detail


def test_any_deep_thoracic_point_with_lung_disease_is_a_danger() -> None:
    alerts = session_alerts(patient(170, 80, "lung_disease"), session(rhomboid(12, 25)))
    (alert,) = [a for a in alerts if a.code == "lung_depth_limit"]
    assert alert.title == "Deep needling over the thorax with chronic lung disease"
    assert "the patient has chronic lung disease" in alert.detail
    # superficial needling there is not
    calm = codes(patient(170, 80, "lung_disease"), session(rhomboid(8, 13)))
    assert "lung_depth_limit" not in calm


def test_smoking_warns_without_demanding_a_stop() -> None:
    alerts = session_alerts(patient(170, 80, "smoking"), session())
    (smoking,) = [a for a in alerts if a.code == "contraindication:smoking"]
    assert smoking.level == Level.WARNING


def test_both_sides_still_warn_of_a_bilateral_pneumothorax() -> None:
    found = codes(patient(), session(rhomboid(22, 25), rhomboid(22, 25, Side.RIGHT)))
    assert "bilateral_lung_risk" in found and found.count("lung_depth_limit") == 1


def test_shipped_defaults_cover_every_lung_risk_muscle_and_band() -> None:
    table = lung_limits.default_limits()
    for muscle in lung_limits.lung_risk_muscles():
        for band in lung_limits.bands():
            limit = table[(muscle.code, band.code)]
            assert 0 < limit.max_depth_mm <= limit.max_needle_length_mm
    assert table[("rhomboid_major", "18_5_to_25")] == DepthLimit(19, 25)  # the published 19 mm
