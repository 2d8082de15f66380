"""The reference catalogues load, validate and carry the clinical facts they cite."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dnt_desktop.models import catalogue
from dnt_desktop.paths import resources_dir

LUNG_RISK = [
    "upper_trapezius",
    "levator_scapulae",
    "scalenes",
    "middle_trapezius",
    "lower_trapezius",
    "rhomboid_major",
    "rhomboid_minor",
    "supraspinatus",
    "infraspinatus",
    "pectoralis_major",
    "pectoralis_minor",
    "serratus_anterior",
    "latissimus_dorsi",
    "subclavius",
    "thoracic_paraspinals",
    "intercostals",
    "serratus_posterior_superior",
    "quadratus_lumborum",
]
NO_LUNG_RISK = [
    "gastrocnemius_medial",
    "gastrocnemius_lateral",
    "soleus",
    "gluteus_medius",
    "gluteus_maximus",
    "extensor_carpi_radialis_brevis",
    "sternocleidomastoid",
    "teres_minor",
    "deltoid",
    "lumbar_multifidus",
    "rectus_femoris",
]


@pytest.fixture
def broken_catalogues(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A writable copy of the catalogues that the loaders read instead of the real ones."""
    for source in (resources_dir() / "catalogues").glob("*.json"):
        shutil.copy(source, tmp_path / source.name)
    monkeypatch.setattr(catalogue, "catalogues_dir", lambda: tmp_path)
    catalogue.clear_cache()
    yield tmp_path
    monkeypatch.undo()
    catalogue.clear_cache()


def _edit(folder: Path, name: str, change: Callable[[dict[str, Any]], object]) -> None:
    path = folder / name
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_every_catalogue_file_cites_its_source() -> None:
    for path in sorted((resources_dir() / "catalogues").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(data["source"], str) and data["source"].strip(), path.name


def test_there_are_at_least_40_muscles_with_unique_codes() -> None:
    codes = [m.code for m in catalogue.muscles()]
    assert len(codes) >= 40
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize("code", LUNG_RISK)
def test_muscles_over_the_lung_carry_the_pneumothorax_flag(code: str) -> None:
    assert catalogue.muscle(code).lung_risk is True


@pytest.mark.parametrize("code", NO_LUNG_RISK)
def test_muscles_away_from_the_lung_do_not(code: str) -> None:
    assert catalogue.muscle(code).lung_risk is False


def test_lung_risk_muscles_are_exactly_the_starred_ones() -> None:
    assert {m.code for m in catalogue.muscles() if m.lung_risk} == set(LUNG_RISK)


def test_depth_notes_quote_the_reference() -> None:
    assert "19 mm" in (catalogue.muscle("rhomboid_minor").max_depth_note or "")
    assert "10-20 mm" in (catalogue.muscle("upper_trapezius").max_depth_note or "")
    assert "12th rib" in (catalogue.muscle("quadratus_lumborum").max_depth_note or "")


def test_muscles_cover_every_region_and_views_are_valid() -> None:
    region_codes = {r.code for r in catalogue.regions()}
    assert region_codes == {
        "head_neck",
        "shoulder_girdle",
        "arm_hand",
        "trunk_back",
        "hip_pelvis",
        "thigh_knee",
        "leg_foot",
    }
    for code in region_codes:
        assert catalogue.muscles_in_region(code), code
    for m in catalogue.muscles():
        assert m.region in region_codes
        assert m.views and set(m.views) <= {"front", "back"}


def test_muscles_in_region_groups_by_region() -> None:
    names = {m.code for m in catalogue.muscles_in_region("leg_foot")}
    assert {"gastrocnemius_medial", "soleus", "tibialis_anterior", "abductor_hallucis"} <= names
    assert "upper_trapezius" not in names
    assert catalogue.muscles_in_region("nowhere") == ()


def test_unknown_muscle_raises_key_error_naming_it() -> None:
    with pytest.raises(KeyError, match="no_such_muscle"):
        catalogue.muscle("no_such_muscle")


def test_all_seed_conditions_are_present_and_other_asks_for_text() -> None:
    by_code = {c.code: c for c in catalogue.conditions()}
    assert set(by_code) == {
        "neck_pain",
        "back_pain",
        "shoulder_pain",
        "headaches",
        "tennis_elbow",
        "carpal_tunnel_syndrome",
        "knee_pain",
        "plantar_fasciitis",
        "fibromyalgia",
        "chronic_pelvic_pain",
        "other",
    }
    assert by_code["other"].needs_text
    assert not any(c.needs_text for code, c in by_code.items() if code != "other")
    assert "lateral elbow" in by_code["tennis_elbow"].label.lower()
    assert by_code["plantar_fasciitis"].regions == ("leg_foot",)
    assert "head_neck" in by_code["headaches"].regions


def test_side_effects_carry_brady_2014_rates() -> None:
    by_code = {s.code: s for s in catalogue.side_effect_types()}
    assert by_code["bleeding"].published_rate_percent == 4.65
    assert by_code["bruising"].published_rate_percent == 7.55
    assert by_code["pain_during"].published_rate_percent == 3.01
    assert by_code["soreness"].published_rate_percent == 2.19
    assert by_code["aggravation"].published_rate_percent == 0.88
    assert by_code["drowsiness"].published_rate_percent == 0.26
    assert by_code["headache"].published_rate_percent == 0.14
    assert by_code["nausea"].published_rate_percent == 0.13
    assert by_code["fatigue"].published_rate_percent == 0.04
    assert by_code["altered_emotions"].published_rate_percent == 0.04
    for code in ("fainting", "infection", "nerve_damage", "pneumothorax", "other"):
        assert by_code[code].published_rate_percent is None
    assert {code for code, s in by_code.items() if s.serious} == {
        "pneumothorax",
        "infection",
        "nerve_damage",
    }
    assert [code for code, s in by_code.items() if s.needs_text] == ["other"]


def test_contraindications_have_alerts_and_screening_questions() -> None:
    items = catalogue.contraindications()
    assert [c.code for c in items] == [
        "bleeding_anticoagulants",
        "needle_phobia",
        "metal_latex_allergy",
        "infection_skin_site",
        "implanted_device",
        "pregnancy",
        "lung_disease",
        "thoracic_surgery",
        "smoking",
    ]
    assert {c.code: c.level for c in items if c.level != "danger"} == {
        "thoracic_surgery": "warning",
        "smoking": "warning",
    }
    for item in items:
        assert item.alert.strip() and "\n" not in item.alert
        assert item.question.strip().endswith("?")
    labels = {c.code: c.label for c in items}
    assert labels["bleeding_anticoagulants"] == (
        "Bleeding disorder or anticoagulant / blood-thinner use"
    )
    assert labels["implanted_device"] == "Pacemaker or other implanted device"


def test_adjuncts() -> None:
    items = {a.code: a for a in catalogue.adjuncts()}
    assert set(items) == {"physiotherapy", "massage", "exercise", "medication", "other"}
    assert items["other"].needs_text


@pytest.mark.parametrize(
    ("kind", "code", "label"),
    [
        ("condition", "carpal_tunnel_syndrome", "Carpal tunnel syndrome"),
        ("side_effect", "soreness", "Post-needling soreness"),
        ("contraindication", "needle_phobia", "Needle phobia or anxiety"),
        ("adjunct", "massage", "Massage"),
        ("region", "leg_foot", "Leg and foot"),
        ("muscle", "upper_trapezius", "Upper trapezius"),
    ],
)
def test_label_of(kind: str, code: str, label: str) -> None:
    assert catalogue.label_of(kind, code) == label


def test_label_of_rejects_unknown_kinds_and_codes() -> None:
    with pytest.raises(KeyError, match="kind"):
        catalogue.label_of("planet", "mars")
    with pytest.raises(KeyError, match="nope"):
        catalogue.label_of("condition", "nope")


def test_loaders_are_cached() -> None:
    assert catalogue.muscles() is catalogue.muscles()


def test_duplicate_codes_are_rejected_naming_the_file(broken_catalogues: Path) -> None:
    _edit(broken_catalogues, "adjuncts.json", lambda d: d["items"].append(d["items"][0]))
    with pytest.raises(ValueError, match=r"adjuncts\.json.*duplicate code 'physiotherapy'"):
        catalogue.adjuncts()


def test_unknown_region_of_a_muscle_is_rejected(broken_catalogues: Path) -> None:
    _edit(broken_catalogues, "muscles.json", lambda d: d["items"][0].update(region="tail"))
    with pytest.raises(ValueError, match=r"muscles\.json.*unknown region 'tail'"):
        catalogue.muscles()


def test_invalid_view_is_rejected(broken_catalogues: Path) -> None:
    _edit(broken_catalogues, "muscles.json", lambda d: d["items"][0].update(views=["side"]))
    with pytest.raises(ValueError, match=r"muscles\.json.*views"):
        catalogue.muscles()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.pop("typical_depth_mm"), "'typical_depth_mm' must be a number above 0"),
        (lambda m: m.update(typical_depth_class="medium"), "'typical_depth_class' must be one"),
        (lambda m: m.update(typical_depth_mm=30), "'typical_depth_mm' must be less than"),
        (lambda m: m.update(typical_needle_gauge_mm=-1), "'typical_needle_gauge_mm' must be"),
    ],
    ids=["no depth", "unknown class", "deeper than the needle", "negative gauge"],
)
def test_broken_typical_values_are_rejected(broken_catalogues: Path, change, message: str) -> None:
    _edit(broken_catalogues, "muscles.json", lambda d: change(d["items"][0]))
    with pytest.raises(ValueError, match=rf"muscles\.json: item 0: {message}"):
        catalogue.muscles()


def test_unknown_region_of_a_condition_is_rejected(broken_catalogues: Path) -> None:
    _edit(broken_catalogues, "conditions.json", lambda d: d["items"][0].update(regions=["x"]))
    with pytest.raises(ValueError, match=r"conditions\.json.*unknown region 'x'"):
        catalogue.conditions()


def test_unreadable_file_is_reported(broken_catalogues: Path) -> None:
    (broken_catalogues / "side_effects.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"side_effects\.json"):
        catalogue.side_effect_types()
