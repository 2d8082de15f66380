"""The Safety report's statistics: Wilson 95% intervals, the rule of three, comparisons."""

from __future__ import annotations

import pytest

from dnt_desktop.services.safety.stats import Comparison, compare, describe, rate, wilson_interval


def test_100_in_1000_is_10_percent_with_its_wilson_interval() -> None:
    value = rate(100, 1000)
    assert value.percent == pytest.approx(10.0)
    assert round(value.low, 1) == 8.3
    assert round(value.high, 1) == 12.0
    assert describe(value) == "10.0% (95% CI 8.3–12.0%)"


def test_above_only_when_the_lower_end_is_above_the_published_rate() -> None:
    assert compare(rate(100, 1000), 7.55) == Comparison.ABOVE
    eighty = rate(80, 1000)
    assert eighty.percent > 7.55  # the rate itself is higher ...
    assert compare(eighty, 7.55) == Comparison.NOT_ABOVE  # ... but its interval is not


def test_no_event_gives_the_rule_of_three_upper_bound() -> None:
    value = rate(0, 1000)
    assert value.percent == 0.0
    assert value.rule_of_three
    assert value.high == pytest.approx(0.3)
    assert describe(value) == "0% (upper bound 0.3%, rule of three)"


def test_under_100_treatments_is_too_few_to_compare() -> None:
    value = rate(5, 30)
    assert value.too_few
    assert compare(value, 7.55) == Comparison.TOO_FEW
    assert compare(rate(5, 100), 7.55) != Comparison.TOO_FEW


def test_no_published_rate_is_no_reference_and_no_treatment_no_rate() -> None:
    assert compare(rate(3, 500), None) == Comparison.NO_REFERENCE
    assert rate(0, 0).percent is None
    assert describe(rate(0, 0)) == "–"


def test_the_interval_rejects_impossible_counts() -> None:
    with pytest.raises(ValueError):
        wilson_interval(5, 0)
    with pytest.raises(ValueError):
        wilson_interval(11, 10)
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1.0) and 0.69 < low < 0.73
