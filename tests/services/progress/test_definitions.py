"""Questionnaire files: the shipped ones load; a broken one is refused with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from dnt_desktop.services.progress.definitions import (
    MeasureFileError,
    load_measures,
    parse_measure,
    shipped_dir,
)

GOOD = """# a clinic's questionnaire
code: neck_test
name: Neck test
short_name: NT
scale: nrs_0_10
scoring: sum
direction: lower_is_better
mcid: 3
mcid_source: Someone 2020
source: Someone 2020, licensed to the clinic
item: one | First question
item: two | Second question
"""


def write(tmp_path: Path, text: str, name: str = "neck.measure") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_questionnaires_load() -> None:
    found = load_measures(shipped_dir())
    assert list(found) == ["psfs", "nprs", "groc"]


def test_a_clinic_file_adds_a_questionnaire(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    found = load_measures(shipped_dir(), tmp_path)
    assert found["neck_test"].items[1].label == "Second question"
    assert found["neck_test"].slots == found["neck_test"].items


def test_an_unknown_scale_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("scale: nrs_0_10", "scale: vas_100"))
    with pytest.raises(MeasureFileError, match=r"neck\.measure, line 5: unknown scale 'vas_100'"):
        parse_measure(path)


def test_a_missing_item_is_refused_naming_file_and_line(tmp_path: Path) -> None:
    text = "\n".join(line for line in GOOD.splitlines() if not line.startswith("item"))
    path = write(tmp_path, text + "\n")
    with pytest.raises(MeasureFileError, match=r"neck\.measure, line 11: an item is missing"):
        parse_measure(path)


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("item: one | First question", "item: one"), 11, "an item is written"),
        (("mcid: 3", "mcid: three"), 8, "mcid is a number"),
        (("scoring: sum", "scoring: median"), 6, "scoring is one of"),
        (("code: neck_test", "code: neck_test\ncode: again"), 3, "'code' is given twice"),
        (("short_name: NT", "short name NT"), 4, "'short name NT' is not a 'key: value' line"),
        (("short_name: NT", "colour: red"), 4, "unknown key 'colour'"),
    ],
)
def test_other_errors_name_their_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(MeasureFileError) as caught:
        parse_measure(path)
    assert f"neck.measure, line {line}: {message}" in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_broken_clinic_file_is_left_out_with_its_message(tmp_path: Path) -> None:
    from dnt_desktop.services.progress.definitions import load_usable

    write(tmp_path, GOOD.replace("scale: nrs_0_10", "scale: vas_100"))
    found, problems = load_usable(shipped_dir(), tmp_path)
    assert list(found) == ["psfs", "nprs", "groc"]
    assert problems == (
        f"neck.measure, line 5: unknown scale 'vas_100' (known: nrs_0_10, ability_0_10, "
        f"groc_15). Correct the file ({tmp_path / 'neck.measure'}).",
    )
