"""Scoring a questionnaire exactly, and classing a change against its MCID.

Scores are exact fractions (a PSFS of 3, 4 and 4 is 11/3, never 3.6666...): a change
exactly at the minimal clinically important difference counts as important, one a
hair below does not, whatever floating point would say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction

from ..errors import ServiceError


class ChangeClass(Enum):
    """How a change compares with the measure's minimal important difference."""

    IMPROVED = "clinically important improvement"
    NO_CHANGE = "no important change"
    WORSE = "worse"


def score(scoring: str, answers: Sequence[int | None], min_answered: int = 1) -> Fraction:
    """The score of *answers* (None: not answered) by the rule *scoring*.

    ``single``: the one answer; ``mean``: the mean of the answered items (PSFS);
    ``sum``: their sum. ServiceError when fewer than *min_answered* items are answered.
    """
    answered = [a for a in answers if a is not None]
    if len(answered) < max(1, min_answered):
        raise ServiceError(
            f"Answer at least {max(1, min_answered)} item(s) to score this questionnaire."
        )
    if scoring == "single":
        if len(answers) != 1:
            raise ServiceError("A single-item questionnaire has exactly one answer.")
        return Fraction(answered[0])
    if scoring == "mean":
        return Fraction(sum(answered), len(answered))
    if scoring == "sum":
        return Fraction(sum(answered))
    raise ServiceError(f"Unknown scoring rule '{scoring}'.")


def improvement(first: Fraction, latest: Fraction, direction: str) -> Fraction:
    """The change from *first* to *latest*, positive when the patient is better."""
    change = latest - first
    return change if direction == "higher_is_better" else -change


def classify(better_by: Fraction, mcid: Fraction) -> ChangeClass:
    """Class an improvement (positive: better) against the MCID.

    At least the MCID better: clinically important improvement; at least the MCID worse:
    worse; anything in between: no important change.
    """
    if better_by >= mcid:
        return ChangeClass.IMPROVED
    if better_by <= -mcid:
        return ChangeClass.WORSE
    return ChangeClass.NO_CHANGE


def points(value: Fraction, signed: bool = False) -> str:
    """A score or change as printed: one decimal when it is not whole ('3.7', '+2')."""
    if value.denominator == 1:
        text = str(value.numerator)
    else:
        rounded = round(value, 1)
        text = f"{float(rounded):.1f}"
    if signed and value > 0:
        text = "+" + text
    return text.replace("-", "−") if signed else text


@dataclass(frozen=True)
class Change:
    """A measure's change over the course of care and its class."""

    first: Fraction
    latest: Fraction
    better_by: Fraction
    klass: ChangeClass

    def describe(self, signed_change: Fraction) -> str:
        """'4 → 7.3 (+3.3, clinically important improvement)'."""
        return (
            f"{points(self.first)} → {points(self.latest)} "
            f"({points(signed_change, signed=True)}, {self.klass.value})"
        )
