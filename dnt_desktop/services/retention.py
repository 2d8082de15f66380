"""How long a patient's record is kept: plain rules, no database.

UK professional guidance for health records (the Records Management Code of Practice,
as quoted in issue 17): an adult's record is kept 8 years after the last treatment; a
child's until their 25th birthday or 8 years after the last treatment, whichever is
longer. A child is a patient under 18 at the last treatment. When a death is recorded,
the record is kept 8 years after the death or after the last treatment, whichever is
later (a 25th birthday after a death no longer applies). A record with no treatment is
counted from its registration. The numbers are clinic settings (``RetentionRules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class RetentionRules:
    """The clinic's retention periods (Administration > Settings)."""

    years_after_treatment: int = 8
    child_until_age: int = 25
    adult_from_age: int = 18


@dataclass(frozen=True)
class Retention:
    """When a record may be disposed of, and which rule decided it."""

    ends_on: date
    """The last day the record must be kept; it may be disposed of from the day after."""
    rule: str

    def past(self, today: date) -> bool:
        """True once the retention period is over (from the day after ``ends_on``)."""
        return today > self.ends_on


def add_years(day: date, years: int) -> date:
    """*day* moved by whole years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def age_on(born: date, day: date) -> int:
    """Completed years of age on *day*."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def retention(
    born: date,
    last_treatment: date | None,
    registered: date,
    died_on: date | None = None,
    rules: RetentionRules = RetentionRules(),
) -> Retention:
    """The retention of one record (see the module's rules)."""
    years = rules.years_after_treatment
    start = last_treatment or registered
    counted = "last treatment" if last_treatment else "registration"
    after_treatment = add_years(start, years)
    if died_on is not None:
        after_death = add_years(died_on, years)
        if after_death >= after_treatment:
            return Retention(after_death, f"{years} years after death")
        return Retention(after_treatment, f"{years} years after the {counted}")
    if age_on(born, start) < rules.adult_from_age:
        birthday = add_years(born, rules.child_until_age)
        if birthday > after_treatment:
            return Retention(
                birthday,
                f"until the {rules.child_until_age}th birthday (a child at the {counted})",
            )
        return Retention(after_treatment, f"{years} years after the {counted} (a child then)")
    return Retention(after_treatment, f"{years} years after the {counted}")
