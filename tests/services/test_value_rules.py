"""Physical and clinical limits: needle sizes that exist, finite numbers, plausible dates."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dnt_desktop.models import catalogue
from dnt_desktop.models.enums import ChartView, DepthClass, Side
from dnt_desktop.services.drafts import ConditionDraft, PointDraft, SessionDraft, SideEffectDraft
from dnt_desktop.services.rules import (
    MAX_POINTS_PER_SESSION,
    MAX_SIDE_EFFECTS_PER_SESSION,
    birth_date_problems,
    consent_date_problems,
    describe_problems,
    point_problems,
    screening_time_problems,
    session_problems,
    session_time_problems,
    signing_time_problems,
    withdrawal_date_problems,
)

NOW = datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
TODAY = NOW.date()
# The extremes of the world's offsets: any accepted time must convert in both.
ZONES = (ZoneInfo("Pacific/Kiritimati"), ZoneInfo("Etc/GMT+12"), ZoneInfo("Europe/London"))


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
        patient_id=1, practitioner_id=1, started_at=NOW - timedelta(hours=1)
    )
    values.update(changes)
    return SessionDraft(**values)  # type: ignore[arg-type]


def fields(problems: list) -> list[str]:
    return [p.field for p in problems]


# --- needles and numbers -----------------------------------------------------------------


def test_the_needle_catalogue_holds_the_commercial_ranges() -> None:
    sizes = catalogue.needle_sizes()
    assert sizes.gauges_mm[0] <= 0.16 and sizes.gauges_mm[-1] >= 0.35
    assert sizes.lengths_mm[0] == 13 and sizes.lengths_mm[-1] == 75
    assert 10 <= sizes.max_insertions_per_point <= 100


def test_a_depth_of_500_mm_on_a_600_mm_needle_is_refused_twice() -> None:
    problems = point_problems(point(depth_mm=500.0, needle_length_mm=600.0))
    assert fields(problems) == ["needle_length_mm", "depth_mm"]
    assert "There is no 600 mm needle" in problems[0].message
    assert "13, 15, 20, 25, 30, 40, 50, 60, 75 mm" in problems[0].message
    assert "The depth (500 mm) is more than the longest needle (75 mm)" in problems[1].message


@pytest.mark.parametrize("field", ["depth_mm", "needle_length_mm", "needle_gauge_mm"])
@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan])
def test_infinite_and_undefined_numbers_are_refused(field: str, value: float) -> None:
    assert field in fields(point_problems(point(**{field: value})))


def test_infinite_depth_and_needle_together_are_refused() -> None:
    problems = point_problems(point(depth_mm=math.inf, needle_length_mm=math.inf))
    assert set(fields(problems)) == {"depth_mm", "needle_length_mm"}


def test_a_gauge_of_50_mm_is_not_a_needle() -> None:
    problems = point_problems(point(needle_gauge_mm=50.0))
    assert fields(problems) == ["needle_gauge_mm"]
    assert problems[0].message.startswith("There is no needle of 50 mm diameter")


def test_a_billion_insertions_are_refused_with_the_ceiling() -> None:
    problems = point_problems(point(insertions=10**9))
    assert fields(problems) == ["insertions"]
    assert "1,000,000,000 insertions in one point is more than the 50" in problems[0].message
    assert point_problems(point(insertions=50)) == []
    assert fields(point_problems(point(insertions=True))) == ["insertions"]


@pytest.mark.parametrize("position", [(math.nan, 0.5), (0.5, math.inf)])
def test_a_position_must_be_a_real_place_on_the_chart(position: tuple[float, float]) -> None:
    assert fields(point_problems(point(x=position[0], y=position[1]))) == ["position"]


@given(
    depth=st.floats(allow_nan=True, allow_infinity=True),
    length=st.floats(allow_nan=True, allow_infinity=True),
    gauge=st.floats(allow_nan=True, allow_infinity=True),
    insertions=st.integers(min_value=-(10**12), max_value=10**12),
)
def test_an_accepted_point_is_physically_possible(
    depth: float, length: float, gauge: float, insertions: int
) -> None:
    candidate = point(
        depth_mm=depth,
        needle_length_mm=length,
        needle_gauge_mm=gauge,
        insertions=insertions,
        depth_class=DepthClass.DEEP if depth > 10 else DepthClass.SUPERFICIAL,
    )
    if point_problems(candidate):
        return
    sizes = catalogue.needle_sizes()
    assert any(abs(length - size) <= 0.05 for size in sizes.lengths_mm)
    assert any(abs(gauge - size) <= 0.001 for size in sizes.gauges_mm)
    assert 0 < depth <= length
    assert 1 <= insertions <= sizes.max_insertions_per_point


def test_every_listed_size_is_accepted() -> None:
    sizes = catalogue.needle_sizes()
    for length in sizes.lengths_mm:
        for gauge in sizes.gauges_mm:
            depth = min(length, 12.0)
            assert (
                point_problems(
                    point(needle_length_mm=length, needle_gauge_mm=gauge, depth_mm=depth)
                )
                == []
            )


def test_a_session_has_a_sensible_number_of_points_and_side_effects() -> None:
    many = draft(points=[point()] * (MAX_POINTS_PER_SESSION + 1))
    assert "points" in fields(session_problems(many, NOW))
    assert session_problems(draft(points=[point()] * MAX_POINTS_PER_SESSION), NOW) == []
    effects = [SideEffectDraft("bruising")] * (MAX_SIDE_EFFECTS_PER_SESSION + 1)
    assert "side_effects" in fields(session_problems(draft(side_effects=effects), NOW))


def test_a_condition_ticked_twice_is_refused() -> None:
    twice = draft(conditions=[ConditionDraft("neck_pain"), ConditionDraft("neck_pain")])
    problems = session_problems(twice, NOW)
    assert fields(problems) == ["conditions[1]"]
    assert problems[0].message == "Neck pain is listed twice."


# --- dates -------------------------------------------------------------------------------


def test_a_consent_dated_1800_is_refused() -> None:
    problems = consent_date_problems(date(1800, 1, 1), TODAY)
    assert fields(problems) == ["consented_on"]
    assert problems[0].message == "The consent date cannot be before 1900: check the year."
    assert consent_date_problems(TODAY, TODAY) == []
    assert consent_date_problems(TODAY + timedelta(days=1), TODAY)[0].message == (
        "The consent date is in the future."
    )


def test_a_consent_before_the_patients_birth_is_refused() -> None:
    problems = consent_date_problems(date(1970, 1, 1), TODAY, born=date(1975, 4, 30))
    assert "before the patient's birth (30 Apr 1975)" in problems[0].message


def test_a_withdrawal_lies_between_the_consent_and_today() -> None:
    given_on = date(2026, 1, 10)
    assert withdrawal_date_problems(date(2026, 1, 9), given_on, TODAY)[0].message == (
        "Consent cannot be withdrawn before it was given."
    )
    assert fields(withdrawal_date_problems(date(9999, 12, 31), given_on, TODAY)) == ["withdrawn_on"]
    assert withdrawal_date_problems(TODAY, given_on, TODAY) == []


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (None, "Enter the date of birth."),
        (date(1, 1, 1), "The date of birth cannot be before 1900: check the year."),
        (date(1899, 12, 31), "The date of birth cannot be before 1900: check the year."),
        (date(9999, 12, 31), "The date of birth is in the future."),
        (TODAY + timedelta(days=1), "The date of birth is in the future."),
    ],
)
def test_birth_dates_are_plausible(born: date | None, message: str) -> None:
    assert [p.message for p in birth_date_problems(born, TODAY)] == [message]


def test_a_session_dated_2100_is_refused_and_cannot_be_signed() -> None:
    future = datetime(2100, 1, 1, 9, tzinfo=UTC)
    problems = session_problems(draft(started_at=future), NOW)
    assert fields(problems) == ["started_at"]
    assert "more than a day in the future" in problems[0].message
    assert fields(signing_time_problems(future, NOW)) == ["started_at"]


def test_a_session_a_little_ahead_is_saved_but_signed_only_once_it_has_started() -> None:
    soon = NOW + timedelta(hours=2)
    assert session_problems(draft(started_at=soon), NOW) == []
    assert "sign it once the treatment has taken place" in (
        signing_time_problems(soon, NOW)[0].message
    )
    assert signing_time_problems(NOW, NOW) == []


@pytest.mark.parametrize(
    "moment",
    [
        datetime(1, 1, 1, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
        datetime(1, 1, 1),
        datetime(9999, 12, 31, 23, 59),
        datetime(1969, 12, 31, 23, 0, tzinfo=UTC),
    ],
)
def test_extreme_session_dates_are_refused_without_arithmetic_errors(moment: datetime) -> None:
    assert fields(session_problems(draft(started_at=moment), NOW)) == ["started_at"]
    start = NOW - timedelta(hours=1)
    problems = session_time_problems(start, moment, NOW)
    assert fields(problems) == ["next_appointment"]


def test_a_next_appointment_before_the_session_is_refused() -> None:
    start = NOW - timedelta(hours=1)
    problems = session_time_problems(start, start - timedelta(days=1), NOW)
    assert problems[0].message == (
        "The next appointment is not after this session: check its date and time."
    )
    assert session_time_problems(start, start + timedelta(days=7), NOW) == []
    far = session_time_problems(start, start + timedelta(days=400), NOW)
    assert "more than a year after" in far[0].message


def test_a_screening_is_not_dated_ahead() -> None:
    assert screening_time_problems(None, NOW) == []
    assert screening_time_problems(NOW, NOW) == []
    assert fields(screening_time_problems(NOW + timedelta(days=1), NOW)) == ["screened_at"]
    assert fields(screening_time_problems(datetime(1, 1, 1, tzinfo=UTC), NOW)) == ["screened_at"]


def test_a_value_that_is_not_a_date_is_refused_with_a_message() -> None:
    assert fields(session_time_problems("tomorrow", None, NOW)) == ["started_at"]
    assert fields(consent_date_problems("2026-01-01", TODAY)) == ["consented_on"]


@given(
    st.datetimes(timezones=st.sampled_from([UTC, *ZONES])),
    st.one_of(st.none(), st.datetimes(timezones=st.sampled_from([UTC, *ZONES]))),
)
def test_accepted_session_times_work_in_every_time_zone(
    started: datetime, following: datetime | None
) -> None:
    if session_time_problems(started, following, NOW):
        return
    for moment in (started, following):
        if moment is None:
            continue
        assert moment.timestamp() > 0  # local time exists on Windows too
        for zone in ZONES:
            local = moment.astimezone(zone)
            assert 1970 <= local.year <= 2200
            assert local + timedelta(days=366) > local  # date arithmetic does not overflow


@given(st.text(st.characters(codec=None, exclude_categories=()), max_size=30))
def test_any_text_in_a_session_gives_problems_never_an_exception(text: str) -> None:
    candidate = draft(
        notes=text,
        stretches=text,
        conditions=[ConditionDraft("other", text or "x")],
        points=[point(notes=text)],
        side_effects=[SideEffectDraft("other", other_text=text or "x", action_taken=text)],
    )
    problems = session_problems(candidate, NOW)
    if any("\ud800" <= char <= "\udfff" or char == "\x00" for char in text):
        assert any("cannot be stored" in p.message for p in problems)
    describe_problems(problems).encode("utf-8", "surrogatepass")
