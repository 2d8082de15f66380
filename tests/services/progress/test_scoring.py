"""Scoring questionnaires exactly and classing the change against the MCID."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dnt_desktop.services.errors import ServiceError
from dnt_desktop.services.progress.definitions import measures
from dnt_desktop.services.progress.scoring import (
    ChangeClass,
    classify,
    improvement,
    points,
    score,
)


def test_psfs_is_the_mean_of_the_answered_items_only() -> None:
    assert score("mean", [3, 4, 4, None, None]) == Fraction(11, 3)
    assert score("mean", [2, None, 7]) == Fraction(9, 2)
    assert points(score("mean", [3, 4, 4])) == "3.7"
    with pytest.raises(ServiceError, match="Answer at least 1"):
        score("mean", [None, None, None, None, None])


def test_nprs_and_groc_are_their_one_answer() -> None:
    assert score("single", [6]) == 6
    assert score("single", [-3]) == -3
    assert score("sum", [1, 2, None]) == 3
    with pytest.raises(ServiceError):
        score("single", [None])


@pytest.mark.parametrize(
    ("code", "first", "latest", "expected"),
    [
        # PSFS, MCID 1.3, higher is better: exactly at, just below, just above
        ("psfs", Fraction(3), Fraction(43, 10), ChangeClass.IMPROVED),
        ("psfs", Fraction(3), Fraction(429, 100), ChangeClass.NO_CHANGE),
        ("psfs", Fraction(3), Fraction(431, 100), ChangeClass.IMPROVED),
        ("psfs", Fraction(3), Fraction(17, 10), ChangeClass.WORSE),
        ("psfs", Fraction(3), Fraction(171, 100), ChangeClass.NO_CHANGE),
        # NPRS, MCID 1.5, lower is better
        ("nprs", Fraction(7), Fraction(11, 2), ChangeClass.IMPROVED),
        ("nprs", Fraction(7), Fraction(551, 100), ChangeClass.NO_CHANGE),
        ("nprs", Fraction(7), Fraction(549, 100), ChangeClass.IMPROVED),
        ("nprs", Fraction(5), Fraction(13, 2), ChangeClass.WORSE),
        ("nprs", Fraction(5), Fraction(649, 100), ChangeClass.NO_CHANGE),
    ],
)
def test_change_is_classed_against_the_mcid_at_its_boundary(
    code: str, first: Fraction, latest: Fraction, expected: ChangeClass
) -> None:
    definition = measures()[code]
    better = improvement(first, latest, definition.direction)
    assert classify(better, definition.mcid) is expected


def test_a_mean_exactly_at_the_mcid_is_not_lost_to_floating_point() -> None:
    # 1.1 + 0.2 != 1.3 in floating point; the exact fractions still reach the MCID.
    first = score("mean", [1, 1, 1, 1, 1]) + Fraction(1, 10) * 0
    latest = first + Fraction(11, 10) + Fraction(2, 10)
    assert classify(improvement(first, latest, "higher_is_better"), Fraction("1.3")) is (
        ChangeClass.IMPROVED
    )


def test_groc_mcid_and_shipped_sources() -> None:
    shipped = measures()
    assert {"nprs", "psfs", "groc"} <= set(shipped)
    assert shipped["psfs"].named_items == 5 and shipped["psfs"].scoring == "mean"
    assert shipped["groc"].scale.low == -7 and shipped["groc"].scale.high == 7
    assert classify(Fraction(2), shipped["groc"].mcid) is ChangeClass.IMPROVED
    assert classify(Fraction(1), shipped["groc"].mcid) is ChangeClass.NO_CHANGE
    assert classify(Fraction(-2), shipped["groc"].mcid) is ChangeClass.WORSE
    for definition in shipped.values():
        assert "2014" in definition.mcid_source or "1989" in definition.mcid_source


def test_points_print_one_decimal_and_a_sign() -> None:
    assert points(Fraction(10, 3), signed=True) == "+3.3"
    assert points(Fraction(-4)) == "-4"
    assert points(Fraction(-4), signed=True) == "−4"
    assert points(Fraction(0), signed=True) == "0"
