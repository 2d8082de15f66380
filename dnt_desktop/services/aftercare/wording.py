"""Dates, times, contacts and catalogue names in a sheet's language, from its text set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from ..dates import local
from .texts import NAME_CATALOGUES, fill_words, parse_names

Text = Callable[[str], str]
"""A sheet's text of a block by key (``AftercareSheet.text``)."""

_ENGLISH_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _listed(text: Text, key: str, english: tuple[str, ...]) -> tuple[str, ...]:
    """A comma-separated list of the set (months, weekdays); English if it is malformed."""
    items = tuple(item.strip() for item in text(key).split(","))
    return items if len(items) == len(english) and all(items) else english


def sheet_date(text: Text, value: date) -> str:
    """'20 November 2026' in the set's words and order."""
    month = _listed(text, "months", _ENGLISH_MONTHS)[value.month - 1]
    return fill_words(text("date_format"), day=str(value.day), month=month, year=str(value.year))


def sheet_appointment(text: Text, moment: datetime) -> str:
    """'Friday 27 November 2026 at 10:30' (local time) in the set's words."""
    when = local(moment)
    return fill_words(
        text("appointment_format"),
        weekday=_listed(text, "weekdays", _ENGLISH_WEEKDAYS)[when.weekday()],
        date=sheet_date(text, when.date()),
        time=f"{when:%H:%M}",
    )


def sheet_contact(text: Text, phone: str, email: str) -> str:
    """'phone 0123 or e-mail a@b.example', as available ('' when neither is)."""
    parts = [
        fill_words(text("contact_phone"), phone=phone) if phone else "",
        fill_words(text("contact_email"), email=email) if email else "",
    ]
    return f" {text('contact_or').strip()} ".join(part for part in parts if part)


def local_names(text: Text, kind: str) -> dict[str, str]:
    """English (catalogue) name to the set's name, for one catalogue ('muscle'...)."""
    key = next(k for k, v in NAME_CATALOGUES.items() if v == kind)
    return parse_names(text(key))


def named(names: dict[str, str], english: str) -> str:
    """*english* (a catalogue label, or a label and detail 'Exercise: ...') in the set's
    language when the set names it; as typed otherwise."""
    if english in names:
        return names[english]
    label, sep, detail = english.partition(": ")
    if sep and label in names:
        return f"{names[label]}: {detail}"
    return english
