"""Retention dates: adults 8 years after the last treatment, children until their 25th
birthday or 8 years, whichever is longer, a recorded death; the day before, of and after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnt_desktop.services.retention import RetentionRules, add_years, retention

REGISTERED = date(2010, 1, 1)


def test_an_adult_is_kept_eight_years_after_the_last_treatment() -> None:
    kept = retention(date(1970, 6, 1), date(2020, 3, 15), REGISTERED)
    assert kept.ends_on == date(2028, 3, 15)
    assert "8 years after the last treatment" in kept.rule


@pytest.mark.parametrize(
    ("today", "past"),
    [(date(2028, 3, 14), False), (date(2028, 3, 15), False), (date(2028, 3, 16), True)],
)
def test_adult_boundary_day_before_of_and_after(today: date, past: bool) -> None:
    assert retention(date(1970, 6, 1), date(2020, 3, 15), REGISTERED).past(today) is past


def test_a_child_is_kept_until_the_25th_birthday_when_that_is_longer() -> None:
    born = date(2010, 9, 30)  # treated at 12: 8 years -> 2030, 25th birthday -> 2035
    kept = retention(born, date(2022, 5, 2), REGISTERED)
    assert kept.ends_on == date(2035, 9, 30)
    assert "25th birthday" in kept.rule


@pytest.mark.parametrize(
    ("today", "past"),
    [(date(2035, 9, 29), False), (date(2035, 9, 30), False), (date(2035, 10, 1), True)],
)
def test_child_boundary_day_before_of_and_after(today: date, past: bool) -> None:
    assert retention(date(2010, 9, 30), date(2022, 5, 2), REGISTERED).past(today) is past


def test_a_child_treated_at_17_is_kept_8_years_when_that_is_longer() -> None:
    born = date(2003, 1, 10)  # treated at 17: 25th birthday 2028, 8 years -> 2028-12-01
    kept = retention(born, date(2020, 12, 1), REGISTERED)
    assert kept.ends_on == date(2028, 12, 1)
    assert "a child then" in kept.rule


def test_18_on_the_day_of_the_last_treatment_is_an_adult() -> None:
    kept = retention(date(2002, 4, 4), date(2020, 4, 4), REGISTERED)
    assert kept.ends_on == date(2028, 4, 4) and "child" not in kept.rule


def test_a_recorded_death_counts_eight_years_from_the_death() -> None:
    kept = retention(date(2012, 1, 1), date(2020, 1, 1), REGISTERED, died_on=date(2021, 6, 1))
    assert kept.ends_on == date(2029, 6, 1) and kept.rule == "8 years after death"


def test_no_treatment_counts_from_registration() -> None:
    kept = retention(date(1980, 1, 1), None, date(2015, 2, 3))
    assert kept.ends_on == date(2023, 2, 3) and "registration" in kept.rule


def test_the_clinic_sets_the_numbers() -> None:
    rules = RetentionRules(years_after_treatment=10, child_until_age=21)
    assert retention(date(1970, 1, 1), date(2020, 1, 1), REGISTERED, rules=rules).ends_on == date(
        2030, 1, 1
    )


def test_29_february_moves_to_28_february() -> None:
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@given(
    born=st.dates(date(1920, 1, 1), date(2024, 1, 1)),
    gap=st.integers(0, 365 * 80),
    death=st.one_of(st.none(), st.integers(0, 365 * 20)),
)
def test_the_end_is_never_before_eight_years_after_the_treatment(
    born: date, gap: int, death: int | None
) -> None:
    treated = born + timedelta(days=gap)
    died = None if death is None else treated + timedelta(days=death)
    kept = retention(born, treated, REGISTERED, died)
    assert kept.ends_on >= add_years(treated, 8)
    assert not kept.past(kept.ends_on) and kept.past(kept.ends_on + timedelta(days=1))
